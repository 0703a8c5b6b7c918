//! One license on the vendor console: its facts, limits, subscriptions, suspension and lifting
//! the deactivation limit.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use licensing::flash::Flash;
use licensing::licenses::{LicenseStatus, TenantLicense};
use licensing::AppError;

use crate::components::{show, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::format::format_date;
use crate::i18n::{self, t, t_around};
use crate::licenses::UsageStats;
use crate::network::use_network;

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
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
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
        &actor,
        &license_id,
        &Limits {
            max_users,
            max_activations,
            max_deactivations,
            valid_until,
        },
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
    let state = state()?;
    let portal = licensing::mail::Portal::new(&state.public_url);
    licensing::licenses::sell_subscriptions(&state.store, &who, &license_id, count, &portal)
        .await?;
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
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let suspend = suspend == "true";
    licensing::licenses::set_suspended(&state()?.store, &actor, &license_id, suspend).await?;
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
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    licensing::licenses::reset_deactivation_limit(&state()?.store, &actor, &license_id, &reason)
        .await?;
    crate::flash::redirect_with(
        &format!("/admin/licenses/{license_id}"),
        licensing::flash::Flash::DeactivationLimitReset,
    )
    .await;
    Ok(())
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
    let flash = use_flash("/admin/licenses/:id", move || {
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
                    let (before, after) = t_around("admin-license_key", "key");
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
                            <a href="/admin">{t("admin-customers")}</a>
                            " / "
                            <a href=format!("/admin/customers/{}", sold.customer_id)>{l.customer_name.clone()}</a>
                        </p>
                        <h1>{l.product.clone()}</h1>
                        <UsageStats license=l.clone() />
                        <section class="card">
                            <dl class="facts">
                                <dt>{t("label-type")}</dt><dd>{i18n::license_type(l.license_type)}</dd>
                                <dt>{t("label-status")}</dt><dd data-testid="status">{i18n::license_status(l.status)}</dd>
                                <dt>{t("label-subscriptions")}</dt><dd>{l.subscriptions}</dd>
                                <dt>{t("label-valid_until")}</dt><dd>{until.clone()}</dd>
                            </dl>
                        </section>
                        <section class="card">
                            <h2>{t("admin-reset_limit")}</h2>
                            <p class="hint">{t("admin-reset_limit_hint")}</p>
                            <ActionForm action=reset attr:class="form row">
                                <input type="hidden" name="license_id" value=move || id.get() />
                                <div class="field">
                                    <label for="reset-reason">{t("admin-reason")}</label>
                                    <input id="reset-reason" name="reason" required maxlength="500" />
                                </div>
                                <button type="submit">{t("admin-reset_limit")}</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2>{t("admin-limits")}</h2>
                            <ActionForm action=limits attr:class="form">
                                <input type="hidden" name="license_id" value=move || id.get() />
                                <label>{t("label-seats")} <input name="max_users" type="number" min="1" value=l.max_users.to_string() required /></label>
                                <label>{t("label-devices")} <input name="max_activations" type="number" min="0" value=l.max_activations.to_string() required /></label>
                                <label>{t("admin-deactivations_allowed")} <input name="max_deactivations" type="number" min="0" value=l.max_deactivations.to_string() required /></label>
                                <label>{t("admin-valid_until_utc")} <input name="valid_until" type="date" value=until required /></label>
                                <button type="submit">{t("admin-save_limits")}</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2>{t("admin-add_subscriptions")}</h2>
                            <ActionForm action=add attr:class="form row">
                                <input type="hidden" name="license_id" value=move || id.get() />
                                <div class="field">
                                    <label for="add-count">{t("admin-subscriptions_to_add")}</label>
                                    <input id="add-count" name="count" type="number" min="1" value="1" required />
                                </div>
                                <button type="submit">{t("admin-add_subscriptions")}</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2>{if suspended { t("admin-resume") } else { t("admin-suspend") }}</h2>
                            <p class="hint">{t("admin-suspend_hint")}</p>
                            <ActionForm action=suspend>
                                <input type="hidden" name="license_id" value=move || id.get() />
                                <input type="hidden" name="suspend" value=(!suspended).to_string() />
                                <button type="submit" class=if suspended { "" } else { "danger" }>
                                    {if suspended { t("admin-resume") } else { t("admin-suspend") }}
                                </button>
                            </ActionForm>
                        </section>
                        <p><a href=format!("/admin/audit?license_id={}", l.id)>{t("admin-license_log")}</a></p>
                    }
                });
                view! { {key} {page} }
            })}
        </Suspense>
    }
}
