//! The license page's Overview tab: the license's facts, and for managers offline activation and
//! *Reset license*.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use licensing::flash::Flash;
use licensing::licenses::{License, LicenseRole};

use crate::components::{ConfirmDialog, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::format::{count, format_date};
use crate::i18n::{self, t, t_args, t_around_link};

use super::{LicenseContext, ResetLicense};

#[component]
pub fn OverviewTab() -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    // One note per page: a *Reset license* note or the offline activation form's error.
    let reset_license = ServerAction::<ResetLicense>::new();
    ctx.notify_when(reset_license.version());
    let flash = use_flash("/licenses/:id", move || ctx.changes());
    let failed = move || reset_license.value().get().and_then(Result::err);
    view! {
        <FlashNote flash />
        {move || failed().map(|error| view! { <ErrorNotice error /> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                // Errors are shown once, by the layout around this tab.
                let offline_error = match flash.await {
                    Some(Flash::OfflineActivationFailed { error }) => Some(error),
                    _ => None,
                };
                ctx.license.await.ok().map(|l| {
                    let (hint_before, hint_after) = t_around_link("overview-hint");
                    view! {
                        <section class="card">
                            <h2>{t("overview-heading")}</h2>
                            <dl class="facts">
                                <dt>{t("label-type")}</dt>
                                <dd>{i18n::license_type(l.license_type)}</dd>
                                <dt>{t("label-status")}</dt>
                                <dd>{i18n::license_status(l.status)}</dd>
                                <dt>{t("label-valid_from")}</dt>
                                <dd>{format_date(l.valid_from)}</dd>
                                <dt>{t("label-valid_until")}</dt>
                                <dd>{format_date(l.valid_until)}</dd>
                                <dt>{t("label-subscriptions")}</dt>
                                <dd>{l.subscriptions}</dd>
                                <dt>{t("label-seats")}</dt>
                                <dd>{used_of("overview-seats", l.seats_used, l.max_users, None)}</dd>
                                <dt>{t("label-devices")}</dt>
                                <dd>
                                    {used_of("overview-devices", l.devices_active, l.max_activations, None)}
                                </dd>
                                <dt>{t("label-deactivations")}</dt>
                                <dd>
                                    {used_of(
                                        "overview-deactivations",
                                        l.deactivations_used,
                                        l.max_deactivations,
                                        Some(l.deactivations_left()),
                                    )}
                                </dd>
                                <dt>{t("label-your_role")}</dt>
                                <dd>{i18n::role(l.my_role)}</dd>
                            </dl>
                            <p class="hint">
                                {hint_before}
                                <a href=format!("/licenses/{}/devices", l.id)>{t("tabs-devices")}</a>
                                {hint_after}
                            </p>
                        </section>
                        <Show when=move || l.my_role == LicenseRole::Manager>
                            <crate::offline::OfflineActivation license=l.clone() error=offline_error.clone() />
                            <ResetLicenseSection license=l.clone() action=reset_license />
                        </Show>
                    }
                })
            })}
        </Suspense>
    }
}

/// "3 of 5 used": a count of an allowance, and what is left when `left` is given.
fn used_of(key: &str, used: i64, allowed: i64, left: Option<i64>) -> String {
    let (used, allowed) = (used.to_string(), allowed.to_string());
    let left = left.map(|n| n.to_string()).unwrap_or_default();
    t_args(
        key,
        &[("used", &used), ("allowed", &allowed), ("left", &left)],
    )
}

/// The manager's *Reset license*, behind a confirmation that says what it does.
#[component]
fn ResetLicenseSection(license: License, action: ServerAction<ResetLicense>) -> impl IntoView {
    let query = use_query_map();
    let confirming = move || {
        query.read().get("confirm").as_deref() == Some("reset-license")
            && action.value().with(|v| !matches!(v, Some(Err(_))))
    };
    let id = license.id.clone();
    let base = format!("/licenses/{id}");
    let left = license.deactivations_left();
    let text = t_args(
        "reset_license-confirm_text",
        &[
            ("devices", &count(license.devices_active, "active_device")),
            ("left", &count(left, "deactivation")),
        ],
    );
    view! {
        <section class="card">
            <h2>{t("reset_license-heading")}</h2>
            <p class="hint">{t("reset_license-hint")}</p>
            {move || {
                let (id, base, text) = (id.clone(), base.clone(), text.clone());
                if !confirming() {
                    let href = format!("{base}?confirm=reset-license");
                    return view! { <a class="button danger" href=href>{t("reset_license-open")}</a> }.into_any();
                }
                view! {
                    <ConfirmDialog id="reset-license" title=t("reset_license-confirm_title") text>
                        <ActionForm action>
                            <input type="hidden" name="license_id" value=id />
                            <button
                                type="submit"
                                class="danger"
                                disabled=move || action.pending().get()
                            >
                                {t("reset_license-submit")}
                            </button>
                            <a href=base>{t("action-cancel")}</a>
                        </ActionForm>
                    </ConfirmDialog>
                }
                    .into_any()
            }}
        </section>
    }
}
