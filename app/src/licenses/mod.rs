//! The dashboard, the Licenses list and the license page with its tabs.
//!
//! Here the server functions, the dashboard and the list; `page` is the license page's frame and
//! the context its tabs share, `overview` its first tab (the Devices, Users and Activity tabs live
//! in their own modules).

pub mod overview;
pub mod page;

pub use overview::OverviewTab;
pub use page::{LicenseContext, LicenseLayout, UsageStats};

use leptos::prelude::*;
use leptos_meta::Title;
use licensing::licenses::{Dashboard, License, LicenseResetOutcome};
use licensing::AppError;

use crate::components::{show, Loading};
use crate::format::format_date;
use crate::i18n::{self, t, t_args};
use crate::layout::SignedIn;
use crate::network::use_network;

#[server(endpoint = "get_dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::licenses::dashboard(&state()?.store, &who).await
}

#[server(endpoint = "list_licenses")]
pub async fn list_licenses() -> Result<Vec<License>, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::licenses::list(&state()?.store, &who).await
}

#[server(endpoint = "get_license")]
pub async fn get_license(id: String) -> Result<License, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::licenses::get(&state()?.store, &who, &id).await
}

/// *Reset license* (managers): every device and every license user, for one deactivation.
#[server(endpoint = "reset_license")]
pub async fn reset_license(license_id: String) -> Result<LicenseResetOutcome, AppError> {
    use crate::flash::redirect_with;
    use crate::session::{client_ip, require_login, state};
    use licensing::flash::Flash;
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let outcome = licensing::licenses::reset_license(&state()?.store, &actor, &license_id).await?;
    redirect_with(
        &format!("/licenses/{}", outcome.license_id),
        Flash::LicenseReset {
            devices: outcome.devices_reset,
            users: outcome.users_removed,
            deactivations_left: outcome.deactivations_left,
        },
    )
    .await;
    Ok(outcome)
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let net = use_network();
    let data = Resource::new(move || net.epoch(), move |_| net.track(get_dashboard()));
    view! {
        <Title text=t("dashboard-title") />
        <SignedIn>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(data.await, |d| {
                        let role = d
                            .role
                            .map_or_else(|| t("dashboard-no_role"), i18n::role);
                        view! {
                            <h1>{t_args("dashboard-welcome", &[("name", &d.name)])}</h1>
                            <section class="card">
                                <dl class="facts">
                                    <dt>{t("label-your_role")}</dt>
                                    <dd data-testid="role" class="role">{role}</dd>
                                    <dt>{t("dashboard-company")}</dt>
                                    <dd>{d.customer_name.clone().unwrap_or_default()}</dd>
                                    <dt>{t("dashboard-vendor")}</dt>
                                    <dd>{d.company.clone()}</dd>
                                    <dt>{t("label-email")}</dt>
                                    <dd>{d.email.clone()}</dd>
                                </dl>
                                <p>
                                    {match d.role {
                                        Some(licensing::licenses::LicenseRole::Manager) => {
                                            t("dashboard-as_manager")
                                        }
                                        Some(licensing::licenses::LicenseRole::User) => {
                                            t("dashboard-as_user")
                                        }
                                        None => t("dashboard-no_license"),
                                    }}
                                </p>
                                <p>
                                    {if d.vendor_admin {
                                        view! { <a class="button" href="/admin">{t("dashboard-open_console")}</a> }.into_any()
                                    } else {
                                        view! { <a class="button" href="/licenses">{t("dashboard-view_license")}</a> }.into_any()
                                    }}
                                </p>
                            </section>
                        }
                    })
                })}
            </Suspense>
        </SignedIn>
    }
}

#[component]
pub fn LicensesPage() -> impl IntoView {
    let net = use_network();
    let licenses = Resource::new(move || net.epoch(), move |_| net.track(list_licenses()));
    view! {
        <Title text=t("licenses-title") />
        <SignedIn>
            <h1>{t("licenses-title")}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(licenses.await, |list| {
                        if list.is_empty() {
                            return view! {
                                <p class="empty">{t("licenses-empty")}</p>
                            }
                                .into_any();
                        }
                        view! {
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t("label-product")}</th>
                                        <th scope="col">{t("label-type")}</th>
                                        <th scope="col">{t("label-status")}</th>
                                        <th scope="col">{t("label-valid_until")}</th>
                                        <th scope="col">{t("label-seats")}</th>
                                        <th scope="col">{t("label-your_role")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .into_iter()
                                        .map(|l| {
                                            view! {
                                                <tr data-testid="license-row">
                                                    <td data-label=t("label-product")>
                                                        <a href=format!("/licenses/{}", l.id)>{l.product.clone()}</a>
                                                    </td>
                                                    <td data-label=t("label-type")>{i18n::license_type(l.license_type)}</td>
                                                    <td data-label=t("label-status")>{i18n::license_status(l.status)}</td>
                                                    <td data-label=t("label-valid_until")>{format_date(l.valid_until)}</td>
                                                    <td data-label=t("label-seats")>{format!("{} / {}", l.seats_used, l.max_users)}</td>
                                                    <td data-label=t("label-your_role")>{i18n::role(l.my_role)}</td>
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
        </SignedIn>
    }
}
