//! The vendor console under `/admin` (vendor staff of the tenant only): customers, their licenses
//! and accounts, selling and changing licenses, lifting deactivation limits, the tenant's log.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::{use_params_map, use_query_map};
use licensing::audit::{AuditFilter, AuditPage, KINDS};
use licensing::customers::{CustomerDetail, CustomerSummary};
use licensing::flash::Flash;
use licensing::licenses::{LicenseStatus, LicenseType, TenantLicense};
use licensing::AppError;
use serde::{Deserialize, Serialize};

use crate::auth::Logout;
use crate::components::{show, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::format::{format_date, format_time};
use crate::i18n::{self, t, t_args, t_around_link, LanguageSwitcher};
use crate::licenses::UsageStats;
use crate::network::use_network;

#[server(endpoint = "admin_list_customers")]
pub async fn admin_list_customers(
    search: Option<String>,
) -> Result<Vec<CustomerSummary>, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::customers::list(&state()?.store, &who, search.as_deref()).await
}

#[server(endpoint = "admin_create_customer")]
pub async fn admin_create_customer(name: String) -> Result<String, AppError> {
    use crate::session::{client_ip, require_login, state};
    let who = require_login().await?;
    let id = licensing::customers::create(&state()?.store, &who, &name, &client_ip()).await?;
    crate::flash::redirect_with(
        &format!("/admin/customers/{id}"),
        licensing::flash::Flash::CustomerCreated,
    )
    .await;
    Ok(id)
}

#[server(endpoint = "admin_get_customer")]
pub async fn admin_get_customer(id: String) -> Result<CustomerDetail, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::customers::get(&state()?.store, &who, &id).await
}

#[server(endpoint = "admin_rename_customer")]
pub async fn admin_rename_customer(id: String, name: String) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let who = require_login().await?;
    licensing::customers::rename(&state()?.store, &who, &id, &name, &client_ip()).await?;
    crate::flash::redirect_with(
        &format!("/admin/customers/{id}"),
        licensing::flash::Flash::CustomerRenamed,
    )
    .await;
    Ok(())
}

/// An account for a customer; the person sets their password with the link shown once (in the
/// customer page's one-time note, never in an address).
#[server(endpoint = "admin_create_account")]
pub async fn admin_create_account(
    customer_id: String,
    name: String,
    email: String,
) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let who = require_login().await?;
    let created = licensing::users::create_for_customer(
        &state()?.store,
        &who,
        &customer_id,
        &name,
        &email,
        &client_ip(),
    )
    .await?;
    crate::flash::redirect_with(
        &format!("/admin/customers/{customer_id}"),
        licensing::flash::Flash::AccountAdded {
            email: created.email,
            set_password_token: created.set_password_token,
        },
    )
    .await;
    Ok(())
}

/// Sells subscriptions: a new license (its key shown once) or more of the customer's existing one.
/// The numbers of a sale (form fields `terms[subscriptions]` and so on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleTerms {
    pub subscriptions: i64,
    pub seats_per_subscription: i64,
    pub devices_per_subscription: i64,
    pub deactivations: i64,
    pub valid_days: i64,
}

#[server(endpoint = "admin_sell")]
pub async fn admin_sell(
    customer_id: String,
    product: String,
    license_type: String,
    owner_account_id: String,
    terms: SaleTerms,
) -> Result<(), AppError> {
    use crate::session::{require_login, state};
    use licensing::licenses::Sale;
    let who = require_login().await?;
    let license_type = LicenseType::parse(&license_type).ok_or_else(|| {
        AppError::invalid(
            licensing::Field::Type,
            licensing::InvalidReason::NoLicenseType,
        )
    })?;
    let (purchase, key) = licensing::licenses::sell(
        &state()?.store,
        &who,
        &Sale {
            customer_id,
            product,
            license_type,
            subscriptions: terms.subscriptions,
            seats_per_subscription: terms.seats_per_subscription,
            devices_per_subscription: terms.devices_per_subscription,
            max_deactivations: terms.deactivations,
            valid_days: terms.valid_days,
            owner_account_id,
        },
    )
    .await?;
    // A new license's key is shown this once (only its hash is kept), in the page's note.
    let note = match key {
        Some(key) => licensing::flash::Flash::LicenseSold { key },
        None => licensing::flash::Flash::SubscriptionsAdded {
            subscriptions: terms.subscriptions,
        },
    };
    crate::flash::redirect_with(&format!("/admin/licenses/{}", purchase.license_id), note).await;
    Ok(())
}

#[server(endpoint = "admin_get_license")]
pub async fn admin_get_license(id: String) -> Result<TenantLicense, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::licenses::get_for_vendor(&state()?.store, &who, &id).await
}

/// New limits; `valid_until` is a date (YYYY-MM-DD), the license ending at its start, UTC.
#[server(endpoint = "admin_update_limits")]
pub async fn admin_update_limits(
    license_id: String,
    max_users: i64,
    max_activations: i64,
    max_deactivations: i64,
    valid_until: String,
) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    use licensing::licenses::Limits;
    let who = require_login().await?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(valid_until.trim(), &format).map_err(|_| {
        AppError::invalid(
            licensing::Field::ValidUntil,
            licensing::InvalidReason::DateFormat,
        )
    })?;
    let valid_until = (date.midnight().assume_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    licensing::licenses::update_limits(
        &state()?.store,
        &who,
        &license_id,
        &Limits {
            max_users,
            max_activations,
            max_deactivations,
            valid_until,
        },
        &client_ip(),
    )
    .await?;
    crate::flash::redirect_with(
        &format!("/admin/licenses/{license_id}"),
        licensing::flash::Flash::LimitsSaved,
    )
    .await;
    Ok(())
}

#[server(endpoint = "admin_add_subscriptions")]
pub async fn admin_add_subscriptions(license_id: String, count: i64) -> Result<(), AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::licenses::sell_subscriptions(&state()?.store, &who, &license_id, count).await?;
    crate::flash::redirect_with(
        &format!("/admin/licenses/{license_id}"),
        licensing::flash::Flash::SubscriptionsAdded {
            subscriptions: count,
        },
    )
    .await;
    Ok(())
}

#[server(endpoint = "admin_set_suspended")]
pub async fn admin_set_suspended(license_id: String, suspend: String) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let who = require_login().await?;
    let suspend = suspend == "true";
    licensing::licenses::set_suspended(&state()?.store, &who, &license_id, suspend, &client_ip())
        .await?;
    let note = if suspend {
        licensing::flash::Flash::LicenseSuspended
    } else {
        licensing::flash::Flash::LicenseResumed
    };
    crate::flash::redirect_with(&format!("/admin/licenses/{license_id}"), note).await;
    Ok(())
}

/// "Reset deactivation limit": the support action the portal's customers are told to ask for.
#[server(endpoint = "admin_reset_deactivations")]
pub async fn admin_reset_deactivations(license_id: String, reason: String) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let who = require_login().await?;
    licensing::licenses::reset_deactivation_limit(
        &state()?.store,
        &who,
        &license_id,
        &reason,
        &client_ip(),
    )
    .await?;
    crate::flash::redirect_with(
        &format!("/admin/licenses/{license_id}"),
        licensing::flash::Flash::DeactivationLimitReset,
    )
    .await;
    Ok(())
}

#[server(endpoint = "admin_audit")]
pub async fn admin_audit(
    // No filter at all sends no field; the default is the whole log.
    #[server(default)] filter: AuditFilter,
    page: u32,
) -> Result<AuditPage, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::audit::list_for_tenant(&state()?.store, &who, &filter, page).await
}

/// The frame of every console page.
#[component]
pub fn AdminLayout() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <Title text=t("admin.title") />
        <header class="topbar">
            <a class="brand" href="/admin">{t("admin.brand")}</a>
            <nav aria-label=t("nav.main")>
                <A href="/admin" exact=true>{t("admin.customers")}</A>
                <A href="/admin/audit">{t("admin.audit")}</A>
            </nav>
            <LanguageSwitcher />
            <ActionForm action=logout attr:class="logout">
                <button type="submit" class="link">{t("nav.logout")}</button>
            </ActionForm>
        </header>
        <main id="main" tabindex="-1" class="page">
            <Outlet />
        </main>
    }
}

/// `/admin`: search, list and create customers.
#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let net = use_network();
    let customers = Resource::new(
        move || (search.get(), net.epoch()),
        move |(q, _)| net.track(admin_list_customers(Some(q))),
    );
    let create = ServerAction::<AdminCreateCustomer>::new();
    view! {
        <h1>{t("admin.customers")}</h1>
        <form method="get" action="/admin" class="form row" role="search">
            <div class="field">
                <label for="customer-search">{t("admin.search_label")}</label>
                <input id="customer-search" name="q" value=move || search.get() />
            </div>
            <button type="submit">{t("admin.search")}</button>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                show(customers.await, |list: Vec<CustomerSummary>| {
                    if list.is_empty() {
                        return view! { <p class="empty">{t("admin.no_customers")}</p> }.into_any();
                    }
                    view! {
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t("label.customer")}</th>
                                    <th scope="col">{t("label.licenses")}</th>
                                    <th scope="col">{t("label.accounts")}</th>
                                    <th scope="col">{t("admin.since")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <tr data-testid="customer-row">
                                                <td data-label=t("label.customer")>
                                                    <a href=format!("/admin/customers/{}", c.id)>{c.name.clone()}</a>
                                                </td>
                                                <td data-label=t("label.licenses")>{c.licenses}</td>
                                                <td data-label=t("label.accounts")>{c.accounts}</td>
                                                <td data-label=t("admin.since")>{format_date(c.created_at)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                })
            })}
        </Suspense>
        <section class="card">
            <h2>{t("admin.create_customer")}</h2>
            {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action=create attr:class="form row">
                <div class="field">
                    <label for="customer-name">{t("admin.customer_name")}</label>
                    <input id="customer-name" name="name" required maxlength="200" />
                </div>
                <button type="submit" disabled=move || create.pending().get()>{t("admin.create_customer")}</button>
            </ActionForm>
        </section>
    }
}

/// `/admin/customers/:id`: the customer's licenses and accounts; sell a license, add an account.
#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let rename = ServerAction::<AdminRenameCustomer>::new();
    let account = ServerAction::<AdminCreateAccount>::new();
    let sell = ServerAction::<AdminSell>::new();
    let net = use_network();
    let customer = Resource::new(
        move || {
            (
                id.get(),
                rename.version().get() + account.version().get() + net.epoch() as usize,
            )
        },
        move |(id, _)| net.track(admin_get_customer(id)),
    );
    let flash =
        use_flash(move || rename.version().get() + account.version().get() + sell.version().get());
    let failed = move || {
        [
            rename.value().get().and_then(Result::err),
            account.value().get().and_then(Result::err),
            sell.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    view! {
        <FlashNote flash />
        {move || failed().map(|error| view! { <ErrorNotice error /> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let link = match flash.await {
                    Some(Flash::AccountAdded {
                        set_password_token: Some(token),
                        ..
                    }) => Some(format!("/set-password?token={token}")),
                    _ => None,
                };
                let link = link.map(|link| {
                    let (before, after) = t_around_link("admin.password_link");
                    view! {
                        <section class="notice">
                            <p>
                                {before}
                                <code data-testid="password-link">{link}</code>
                                {after}
                            </p>
                        </section>
                    }
                });
                let page = show(customer.await, move |c: CustomerDetail| {
                    let owners = c.accounts.clone();
                    view! {
                        <Title text=c.name.clone() />
                        <p class="crumbs"><a href="/admin">{t("admin.customers")}</a></p>
                        <h1>{c.name.clone()}</h1>
                        <section class="card">
                            <h2>{t("label.licenses")}</h2>
                            <CustomerLicenses list=c.licenses.clone() />
                        </section>
                        <section class="card">
                            <h2>{t("label.accounts")}</h2>
                            <ul class="plain">
                                {c
                                    .accounts
                                    .iter()
                                    .map(|a| {
                                        let seats = if a.seats.is_empty() {
                                            t("admin.no_seat")
                                        } else {
                                            a.seats
                                                .iter()
                                                .map(i18n::seat)
                                                .collect::<Vec<_>>()
                                                .join(", ")
                                        };
                                        view! {
                                            <li data-testid="account-row">
                                                {format!("{} <{}> — {seats}", a.name, a.email)}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            <h3>{t("admin.add_account")}</h3>
                            <ActionForm action=account attr:class="form row">
                                <input type="hidden" name="customer_id" value=move || id.get() />
                                <div class="field">
                                    <label for="account-name">{t("label.name")}</label>
                                    <input id="account-name" name="name" required maxlength="100" />
                                </div>
                                <div class="field">
                                    <label for="account-email">{t("label.email")}</label>
                                    <input id="account-email" name="email" type="email" required />
                                </div>
                                <button type="submit">{t("admin.add_account")}</button>
                            </ActionForm>
                        </section>
                        <SellForm customer_id=c.id.clone() owners action=sell />
                        <p>
                            <a href=format!("/admin/audit?customer_id={}", c.id)>{t("admin.customer_log")}</a>
                        </p>
                        <section class="card">
                            <h2>{t("admin.rename")}</h2>
                            <ActionForm action=rename attr:class="form row">
                                <input type="hidden" name="id" value=move || id.get() />
                                <div class="field">
                                    <label for="rename">{t("admin.customer_name")}</label>
                                    <input id="rename" name="name" value=c.name.clone() required maxlength="200" />
                                </div>
                                <button type="submit" class="secondary">{t("admin.rename")}</button>
                            </ActionForm>
                        </section>
                    }
                });
                view! { {link} {page} }
            })}
        </Suspense>
    }
}

#[component]
fn CustomerLicenses(list: Vec<TenantLicense>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">{t("admin.no_licenses")}</p> }.into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{t("label.product")}</th>
                    <th scope="col">{t("label.type")}</th>
                    <th scope="col">{t("label.status")}</th>
                    <th scope="col">{t("label.seats")}</th>
                    <th scope="col">{t("label.devices")}</th>
                    <th scope="col">{t("label.deactivations")}</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|sold| {
                        let l = sold.license;
                        view! {
                            <tr data-testid="admin-license-row">
                                <td data-label=t("label.product")>
                                    <a href=format!("/admin/licenses/{}", l.id)>{l.product.clone()}</a>
                                </td>
                                <td data-label=t("label.type")>{i18n::license_type(l.license_type)}</td>
                                <td data-label=t("label.status")>{i18n::license_status(l.status)}</td>
                                <td data-label=t("label.seats")>{format!("{} / {}", l.seats_used, l.max_users)}</td>
                                <td data-label=t("label.devices")>{format!("{} / {}", l.devices_active, l.max_activations)}</td>
                                <td data-label=t("label.deactivations")>{format!("{} / {}", l.deactivations_used, l.max_deactivations)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// "Sell license": subscriptions of a product; a second sale of the same product raises the
/// customer's one license.
#[component]
fn SellForm(
    customer_id: String,
    owners: Vec<licensing::customers::CustomerAccount>,
    action: ServerAction<AdminSell>,
) -> impl IntoView {
    if owners.is_empty() {
        return view! {
            <section class="card">
                <h2>{t("admin.sell")}</h2>
                <p class="hint">{t("admin.sell_first_account")}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card">
            <h2>{t("admin.sell")}</h2>
            <ActionForm action attr:class="form">
                <input type="hidden" name="customer_id" value=customer_id />
                <label>{t("label.product")} <input name="product" required value="CodeGlass" /></label>
                <label for="sell-type">{t("label.type")}</label>
                <select id="sell-type" name="license_type">
                        {LicenseType::ALL
                            .into_iter()
                            .map(|kind| {
                                view! {
                                    <option value=kind.as_str() selected=kind == LicenseType::Organisation>
                                        {i18n::license_type(kind)}
                                    </option>
                                }
                            })
                            .collect_view()}
                </select>
                <label for="sell-owner">{t("admin.owner")}</label>
                <select id="sell-owner" name="owner_account_id">
                        {owners
                            .into_iter()
                            .map(|a| view! { <option value=a.id>{format!("{} <{}>", a.name, a.email)}</option> })
                            .collect_view()}
                </select>
                <label>{t("admin.subscriptions_bought")} <input name="terms[subscriptions]" type="number" min="1" value="1" required /></label>
                <label>{t("admin.seats_per_subscription")} <input name="terms[seats_per_subscription]" type="number" min="1" value="5" required /></label>
                <label>{t("admin.devices_per_subscription")} <input name="terms[devices_per_subscription]" type="number" min="0" value="10" required /></label>
                <label>{t("admin.deactivations_allowed")} <input name="terms[deactivations]" type="number" min="0" value="3" required /></label>
                <label>{t("admin.valid_days")} <input name="terms[valid_days]" type="number" min="1" max="36500" value="365" required /></label>
                <button type="submit" disabled=move || action.pending().get()>{t("admin.sell")}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// `/admin/licenses/:id`: the license's facts and the vendor's actions on it.
#[component]
pub fn AdminLicensePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let limits = ServerAction::<AdminUpdateLimits>::new();
    let add = ServerAction::<AdminAddSubscriptions>::new();
    let suspend = ServerAction::<AdminSetSuspended>::new();
    let reset = ServerAction::<AdminResetDeactivations>::new();
    let net = use_network();
    let license = Resource::new(
        move || {
            (
                id.get(),
                limits.version().get()
                    + add.version().get()
                    + suspend.version().get()
                    + reset.version().get()
                    + net.epoch() as usize,
            )
        },
        move |(id, _)| net.track(admin_get_license(id)),
    );
    let failed = move || {
        [
            limits.value().get().and_then(Result::err),
            add.value().get().and_then(Result::err),
            suspend.value().get().and_then(Result::err),
            reset.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    let flash = use_flash(move || {
        limits.version().get()
            + add.version().get()
            + suspend.version().get()
            + reset.version().get()
    });
    view! {
        <FlashNote flash />
        {move || failed().map(|error| view! { <ErrorNotice error /> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let key = match flash.await {
                    Some(Flash::LicenseSold { key }) => Some(key),
                    _ => None,
                };
                let key = key.map(|key| {
                    let (before, after) = t_around_link("admin.license_key");
                    view! {
                        <section class="notice">
                            <p>
                                {before}
                                <code data-testid="license-key">{key}</code>
                                {after}
                            </p>
                        </section>
                    }
                });
                let page = show(license.await, move |sold: TenantLicense| {
                    let l = sold.license.clone();
                    let suspended = l.status == LicenseStatus::Suspended;
                    let until = format_date(l.valid_until);
                    view! {
                        <Title text=format!("{} · {}", l.customer_name, l.product) />
                        <p class="crumbs">
                            <a href="/admin">{t("admin.customers")}</a>
                            " / "
                            <a href=format!("/admin/customers/{}", sold.customer_id)>{l.customer_name.clone()}</a>
                        </p>
                        <h1>{l.product.clone()}</h1>
                        <UsageStats license=l.clone() />
                        <section class="card">
                            <dl class="facts">
                                <dt>{t("label.type")}</dt><dd>{i18n::license_type(l.license_type)}</dd>
                                <dt>{t("label.status")}</dt><dd data-testid="status">{i18n::license_status(l.status)}</dd>
                                <dt>{t("label.subscriptions")}</dt><dd>{l.subscriptions}</dd>
                                <dt>{t("label.valid_until")}</dt><dd>{until.clone()}</dd>
                            </dl>
                        </section>
                        <section class="card">
                            <h2>{t("admin.reset_limit")}</h2>
                            <p class="hint">{t("admin.reset_limit_hint")}</p>
                            <ActionForm action=reset attr:class="form row">
                                <input type="hidden" name="license_id" value=move || id.get() />
                                <div class="field">
                                    <label for="reset-reason">{t("admin.reason")}</label>
                                    <input id="reset-reason" name="reason" required maxlength="500" />
                                </div>
                                <button type="submit">{t("admin.reset_limit")}</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2>{t("admin.limits")}</h2>
                            <ActionForm action=limits attr:class="form">
                                <input type="hidden" name="license_id" value=move || id.get() />
                                <label>{t("label.seats")} <input name="max_users" type="number" min="1" value=l.max_users.to_string() required /></label>
                                <label>{t("label.devices")} <input name="max_activations" type="number" min="0" value=l.max_activations.to_string() required /></label>
                                <label>{t("admin.deactivations_allowed")} <input name="max_deactivations" type="number" min="0" value=l.max_deactivations.to_string() required /></label>
                                <label>{t("admin.valid_until_utc")} <input name="valid_until" type="date" value=until required /></label>
                                <button type="submit">{t("admin.save_limits")}</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2>{t("admin.add_subscriptions")}</h2>
                            <ActionForm action=add attr:class="form row">
                                <input type="hidden" name="license_id" value=move || id.get() />
                                <div class="field">
                                    <label for="add-count">{t("admin.subscriptions_to_add")}</label>
                                    <input id="add-count" name="count" type="number" min="1" value="1" required />
                                </div>
                                <button type="submit">{t("admin.add_subscriptions")}</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2>{if suspended { t("admin.resume") } else { t("admin.suspend") }}</h2>
                            <p class="hint">{t("admin.suspend_hint")}</p>
                            <ActionForm action=suspend>
                                <input type="hidden" name="license_id" value=move || id.get() />
                                <input type="hidden" name="suspend" value=(!suspended).to_string() />
                                <button type="submit" class=if suspended { "" } else { "danger" }>
                                    {if suspended { t("admin.resume") } else { t("admin.suspend") }}
                                </button>
                            </ActionForm>
                        </section>
                        <p><a href=format!("/admin/audit?license_id={}", l.id)>{t("admin.license_log")}</a></p>
                    }
                });
                view! { {key} {page} }
            })}
        </Suspense>
    }
}

/// `/admin/audit`: the tenant's log, narrowed by the query string (a GET form, so it works
/// without JavaScript and can be bookmarked).
#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let date = |key: &str, days: i64| {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            q.get(key)
                .and_then(|v| time::Date::parse(&v, &format).ok())
                .map(|d| {
                    (d.midnight().assume_utc().unix_timestamp_nanos() / 1_000_000) as i64
                        + days * 86_400_000
                })
        };
        AuditFilter {
            customer_id: q.get("customer_id"),
            license_id: q.get("license_id"),
            actor: q.get("actor"),
            kind: q.get("kind"),
            from: date("from", 0),
            // The "to" day is included: the log runs until the start of the next day.
            until: date("to", 1),
        }
    });
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    });
    let net = use_network();
    let log = Resource::new(
        move || (filter.get(), page.get(), net.epoch()),
        move |(f, p, _)| net.track(admin_audit(f, p)),
    );
    let value = move |key: &'static str| move || query.read().get(key).unwrap_or_default();
    view! {
        <Title text=t("admin.audit") />
        <h1>{t("admin.audit")}</h1>
        <form method="get" action="/admin/audit" class="form filters" role="search">
            <input type="hidden" name="customer_id" value=value("customer_id") />
            <input type="hidden" name="license_id" value=value("license_id") />
            <label>{t("admin.who_filter")} <input name="actor" value=value("actor") /></label>
            <div class="field">
                <label for="audit-kind">{t("admin.kind")}</label>
                <select id="audit-kind" name="kind">
                    <option value="">{t("admin.any")}</option>
                    {KINDS
                        .into_iter()
                        .map(|kind| {
                            view! {
                                <option value=kind selected=move || query.read().get("kind").as_deref() == Some(kind)>
                                    {i18n::audit_kind(kind)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <label>{t("admin.from")} <input name="from" type="date" value=value("from") /></label>
            <label>{t("admin.to")} <input name="to" type="date" value=value("to") /></label>
            <button type="submit">{t("admin.filter")}</button>
            " "
            <a href="/admin/audit">{t("admin.clear")}</a>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                show(log.await, move |log: AuditPage| {
                    let here = |p: u32| {
                        let mut q = query.get_untracked();
                        q.replace("page", p.to_string());
                        format!("/admin/audit{}", q.to_query_string())
                    };
                    let newer = (log.page > 1).then(|| here(log.page - 1));
                    let older = log.has_more.then(|| here(log.page + 1));
                    view! {
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t("label.time")}</th>
                                    <th scope="col">{t("label.who")}</th>
                                    <th scope="col">{t("label.what")}</th>
                                    <th scope="col">{t("admin.license")}</th>
                                    <th scope="col">{t("admin.details")}</th>
                                    <th scope="col">{t("admin.from")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {log
                                    .entries
                                    .iter()
                                    .map(|e| {
                                        view! {
                                            <tr data-testid="audit-row">
                                                <td data-label=t("label.time")>{format_time(e.at)}</td>
                                                <td data-label=t("label.who")>{e.actor.clone().unwrap_or_else(|| t("admin.system"))}</td>
                                                <td data-label=t("label.what")>{i18n::audit_action(e)}</td>
                                                <td data-label=t("admin.license")>{e.license.clone().unwrap_or_default()}</td>
                                                <td data-label=t("admin.details")>{e.subject.clone()}</td>
                                                <td data-label=t("admin.from")>{e.ip.clone().unwrap_or_default()}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <nav class="pager" aria-label=t("pager.label")>
                            {newer.map(|href| view! { <a href=href>{t("pager.newer")}</a> })}
                            <span>{t_args("pager.page", &[("n", &log.page.to_string())])}</span>
                            {older.map(|href| view! { <a href=href>{t("pager.older")}</a> })}
                        </nav>
                    }
                })
            })}
        </Suspense>
    }
}
