//! The vendor console's customers: the list with search and create, and one customer's page with
//! their licenses and accounts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use licensing::customers::{CustomerDetail, CustomerSummary};
use licensing::licenses::TenantLicense;
use licensing::AppError;

use crate::components::{show, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::format::format_date;
use crate::i18n::{self, t, t_args};
use crate::network::use_network;

use super::sell::{AdminSell, SellForm};

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
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let id = licensing::customers::create(&state()?.store, &actor, &name).await?;
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
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    licensing::customers::rename(&state()?.store, &actor, &id, &name).await?;
    crate::flash::redirect_with(
        &format!("/admin/customers/{id}"),
        licensing::flash::Flash::CustomerRenamed,
    )
    .await;
    Ok(())
}

/// An account for a customer; the person is emailed an invitation with a set-password link (the
/// console never shows the link; the Email page shows what was sent).
#[server(endpoint = "admin_create_account")]
pub async fn admin_create_account(
    customer_id: String,
    name: String,
    email: String,
) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let state = state()?;
    let portal = licensing::mail::Portal::new(&state.public_url);
    let created = licensing::users::create_for_customer(
        &state.store,
        &actor,
        &customer_id,
        (&name, &email),
        Some(&portal),
    )
    .await?;
    crate::flash::redirect_with(
        &format!("/admin/customers/{customer_id}"),
        licensing::flash::Flash::AccountAdded {
            email: created.email,
        },
    )
    .await;
    Ok(())
}

/// *Resend invitation* from a customer's page: a new set-password link by email.
#[server(endpoint = "admin_resend_invitation")]
pub async fn admin_resend_invitation(
    customer_id: String,
    account_id: String,
) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    use licensing::users::ResendFrom;
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let state = state()?;
    let portal = licensing::mail::Portal::new(&state.public_url);
    let from = ResendFrom::Customer(&customer_id);
    let email =
        licensing::users::resend_invitation(&state.store, &actor, from, &account_id, &portal)
            .await?;
    crate::flash::redirect_with(
        &format!("/admin/customers/{customer_id}"),
        licensing::flash::Flash::InvitationResent { email },
    )
    .await;
    Ok(())
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
        <h1>{t("admin-customers")}</h1>
        <form method="get" action="/admin" class="form row" role="search">
            <div class="field">
                <label for="customer-search">{t("admin-search_label")}</label>
                <input id="customer-search" name="q" value=move || search.get() />
            </div>
            <button type="submit">{t("admin-search")}</button>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                show(customers.await, |list: Vec<CustomerSummary>| {
                    if list.is_empty() {
                        return view! { <p class="empty">{t("admin-no_customers")}</p> }.into_any();
                    }
                    view! {
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t("label-customer")}</th>
                                    <th scope="col">{t("label-licenses")}</th>
                                    <th scope="col">{t("label-accounts")}</th>
                                    <th scope="col">{t("admin-since")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <tr data-testid="customer-row">
                                                <td data-label=t("label-customer")>
                                                    <a href=format!("/admin/customers/{}", c.id)>{c.name.clone()}</a>
                                                </td>
                                                <td data-label=t("label-licenses")>{c.licenses}</td>
                                                <td data-label=t("label-accounts")>{c.accounts}</td>
                                                <td data-label=t("admin-since")>{format_date(c.created_at)}</td>
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
            <h2>{t("admin-create_customer")}</h2>
            {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action=create attr:class="form row">
                <div class="field">
                    <label for="customer-name">{t("admin-customer_name")}</label>
                    <input id="customer-name" name="name" required maxlength="200" />
                </div>
                <button type="submit" disabled=move || create.pending().get()>{t("admin-create_customer")}</button>
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
    let resend = ServerAction::<AdminResendInvitation>::new();
    let sell = ServerAction::<AdminSell>::new();
    let net = use_network();
    let customer = Resource::new(
        move || {
            (
                id.get(),
                rename.version().get()
                    + account.version().get()
                    + resend.version().get()
                    + net.epoch() as usize,
            )
        },
        move |(id, _)| net.track(admin_get_customer(id)),
    );
    let flash = use_flash("/admin/customers/:id", move || {
        rename.version().get()
            + account.version().get()
            + sell.version().get()
            + resend.version().get()
    });
    let failed = move || {
        [
            rename.value().get().and_then(Result::err),
            account.value().get().and_then(Result::err),
            sell.value().get().and_then(Result::err),
            resend.value().get().and_then(Result::err),
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
                let page = show(customer.await, move |c: CustomerDetail| {
                    let owners = c.accounts.clone();
                    view! {
                        <Title text=c.name.clone() />
                        <p class="crumbs"><a href="/admin">{t("admin-customers")}</a></p>
                        <h1>{c.name.clone()}</h1>
                        <section class="card">
                            <h2>{t("label-licenses")}</h2>
                            <CustomerLicenses list=c.licenses.clone() />
                        </section>
                        <section class="card">
                            <h2>{t("label-accounts")}</h2>
                            <ul class="plain">
                                {c
                                    .accounts
                                    .clone()
                                    .into_iter()
                                    .map(|a| {
                                        let seats = if a.seats.is_empty() {
                                            t("admin-no_seat")
                                        } else {
                                            a.seats
                                                .iter()
                                                .map(i18n::seat)
                                                .collect::<Vec<_>>()
                                                .join(", ")
                                        };
                                        let line = format!("{} <{}> — {seats}", a.name, a.email);
                                        let pending = a.invitation_pending.then(move || view! {
                                            " "
                                            <span class="tag">{t("users-invitation_pending")}</span>
                                            <ActionForm action=resend attr:class="inline">
                                                <input type="hidden" name="customer_id" value=id.get_untracked() />
                                                <input type="hidden" name="account_id" value=a.id.clone() />
                                                <button
                                                    type="submit"
                                                    class="small secondary"
                                                    aria-label=t_args("users-resend_label", &[("name", &a.name)])
                                                >
                                                    {t("users-resend")}
                                                </button>
                                            </ActionForm>
                                        });
                                        view! {
                                            <li data-testid="account-row">
                                                {line}
                                                {pending}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            <h3>{t("admin-add_account")}</h3>
                            <ActionForm action=account attr:class="form row">
                                <input type="hidden" name="customer_id" value=move || id.get() />
                                <div class="field">
                                    <label for="account-name">{t("label-name")}</label>
                                    <input id="account-name" name="name" required maxlength="100" />
                                </div>
                                <div class="field">
                                    <label for="account-email">{t("label-email")}</label>
                                    <input id="account-email" name="email" type="email" required />
                                </div>
                                <button type="submit">{t("admin-add_account")}</button>
                            </ActionForm>
                        </section>
                        <SellForm customer_id=c.id.clone() owners action=sell />
                        <p>
                            <a href=format!("/admin/audit?customer_id={}", c.id)>{t("admin-customer_log")}</a>
                        </p>
                        <section class="card">
                            <h2>{t("admin-rename")}</h2>
                            <ActionForm action=rename attr:class="form row">
                                <input type="hidden" name="id" value=move || id.get() />
                                <div class="field">
                                    <label for="rename">{t("admin-customer_name")}</label>
                                    <input id="rename" name="name" value=c.name.clone() required maxlength="200" />
                                </div>
                                <button type="submit" class="secondary">{t("admin-rename")}</button>
                            </ActionForm>
                        </section>
                    }
                });
                page
            })}
        </Suspense>
    }
}

#[component]
fn CustomerLicenses(list: Vec<TenantLicense>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">{t("admin-no_licenses")}</p> }.into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{t("label-product")}</th>
                    <th scope="col">{t("label-type")}</th>
                    <th scope="col">{t("label-status")}</th>
                    <th scope="col">{t("label-seats")}</th>
                    <th scope="col">{t("label-devices")}</th>
                    <th scope="col">{t("label-deactivations")}</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|sold| {
                        let l = sold.license;
                        view! {
                            <tr data-testid="admin-license-row">
                                <td data-label=t("label-product")>
                                    <a href=format!("/admin/licenses/{}", l.id)>{l.product.clone()}</a>
                                </td>
                                <td data-label=t("label-type")>{i18n::license_type(l.license_type)}</td>
                                <td data-label=t("label-status")>{i18n::license_status(l.status)}</td>
                                <td data-label=t("label-seats")>{format!("{} / {}", l.seats_used, l.max_users)}</td>
                                <td data-label=t("label-devices")>{format!("{} / {}", l.devices_active, l.max_activations)}</td>
                                <td data-label=t("label-deactivations")>{format!("{} / {}", l.deactivations_used, l.max_deactivations)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
