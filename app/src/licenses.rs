//! The dashboard, the Licenses list and the license page with its tabs.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_params_map;
use leptos_router::hooks::use_query_map;
use licensing::flash::Flash;
use licensing::licenses::{Dashboard, License, LicenseResetOutcome, LicenseRole, LicenseType};
use licensing::AppError;

use crate::components::{focus_when_shown, show, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::format::{count, format_date};
use crate::i18n::{self, t, t_args, t_around_link};
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
    let who = require_login().await?;
    let outcome =
        licensing::licenses::reset_license(&state()?.store, &who, &license_id, &client_ip())
            .await?;
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
        <Title text=t("dashboard.title") />
        <SignedIn>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(data.await, |d| {
                        let role = d
                            .role
                            .map_or_else(|| t("dashboard.no_role"), i18n::role);
                        view! {
                            <h1>{t_args("dashboard.welcome", &[("name", &d.name)])}</h1>
                            <section class="card">
                                <dl class="facts">
                                    <dt>{t("label.your_role")}</dt>
                                    <dd data-testid="role" class="role">{role}</dd>
                                    <dt>{t("dashboard.company")}</dt>
                                    <dd>{d.customer_name.clone().unwrap_or_default()}</dd>
                                    <dt>{t("dashboard.vendor")}</dt>
                                    <dd>{d.company.clone()}</dd>
                                    <dt>{t("label.email")}</dt>
                                    <dd>{d.email.clone()}</dd>
                                </dl>
                                <p>
                                    {match d.role {
                                        Some(licensing::licenses::LicenseRole::Manager) => {
                                            t("dashboard.as_manager")
                                        }
                                        Some(licensing::licenses::LicenseRole::User) => {
                                            t("dashboard.as_user")
                                        }
                                        None => t("dashboard.no_license"),
                                    }}
                                </p>
                                <p>
                                    {if d.vendor_admin {
                                        view! { <a class="button" href="/admin">{t("dashboard.open_console")}</a> }.into_any()
                                    } else {
                                        view! { <a class="button" href="/licenses">{t("dashboard.view_license")}</a> }.into_any()
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
        <Title text=t("licenses.title") />
        <SignedIn>
            <h1>{t("licenses.title")}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(licenses.await, |list| {
                        if list.is_empty() {
                            return view! {
                                <p class="empty">{t("licenses.empty")}</p>
                            }
                                .into_any();
                        }
                        view! {
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t("label.product")}</th>
                                        <th scope="col">{t("label.type")}</th>
                                        <th scope="col">{t("label.status")}</th>
                                        <th scope="col">{t("label.valid_until")}</th>
                                        <th scope="col">{t("label.seats")}</th>
                                        <th scope="col">{t("label.your_role")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .into_iter()
                                        .map(|l| {
                                            view! {
                                                <tr data-testid="license-row">
                                                    <td data-label=t("label.product")>
                                                        <a href=format!("/licenses/{}", l.id)>{l.product.clone()}</a>
                                                    </td>
                                                    <td data-label=t("label.type")>{i18n::license_type(l.license_type)}</td>
                                                    <td data-label=t("label.status")>{i18n::license_status(l.status)}</td>
                                                    <td data-label=t("label.valid_until")>{format_date(l.valid_until)}</td>
                                                    <td data-label=t("label.seats")>{format!("{} / {}", l.seats_used, l.max_users)}</td>
                                                    <td data-label=t("label.your_role")>{i18n::role(l.my_role)}</td>
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

/// Shared by the license page's tabs: the license, and one counter of changes made on the page.
///
/// Each tab owns its actions and tells the context when one finished ([`Self::notify_when`]); the
/// license and every tab's data then reload, and the tabs take their note ([`Self::changes`]).
#[derive(Clone, Copy)]
pub struct LicenseContext {
    pub id: Memo<String>,
    pub license: Resource<Result<License, AppError>>,
    version: Memo<usize>,
    changes: RwSignal<usize>,
}

impl LicenseContext {
    fn new(id: Memo<String>) -> Self {
        let changes = RwSignal::new(0);
        let net = use_network();
        // The tabs reload after a change made here and when the connection comes back.
        let version = Memo::new(move |_| net.epoch() as usize + changes.get());
        let license = Resource::new(
            move || (id.get(), version.get()),
            move |(id, _)| net.track(get_license(id)),
        );
        Self {
            id,
            license,
            version,
            changes,
        }
    }

    /// Changes whenever the license changed through this page, so the tabs reload their data.
    pub fn version(&self) -> usize {
        self.version.get()
    }

    /// Changes whenever a form of this page finished: when the tabs take their note
    /// ([`crate::flash::use_flash`]). Not when the connection comes back, which would only find
    /// the note gone and blank the one shown.
    pub fn changes(&self) -> usize {
        self.changes.get()
    }

    /// A form of this page finished: the license, the tabs' data and the notes reload.
    pub fn notify(&self) {
        self.changes.update(|n| *n += 1);
    }

    /// Notifies whenever an action of a tab finishes: pass the action's `version()`. (Effects
    /// run in the browser only; without JavaScript the form's redirect loads the page anew.)
    pub fn notify_when(&self, finished: RwSignal<usize>) {
        let ctx = *self;
        Effect::new(move |seen: Option<usize>| {
            let now = finished.get();
            if seen.is_some_and(|seen| seen != now) {
                ctx.notify();
            }
            now
        });
    }
}

#[component]
pub fn LicenseLayout() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let ctx = LicenseContext::new(id);
    let license = ctx.license;
    provide_context(ctx);
    view! {
        <SignedIn>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(license.await, |l| {
                        let base = format!("/licenses/{}", l.id);
                        let (users_href, activity_href) =
                            (format!("{base}/users"), format!("{base}/activity"));
                        view! {
                            <Title text=l.product.clone() />
                            <p class="crumbs">
                                <a href="/licenses">{t("nav.licenses")}</a>
                                " / "
                                {l.customer_name.clone()}
                            </p>
                            <h1>{l.product.clone()}</h1>
                            <UsageStats license=l.clone() />
                            <nav class="tabs" aria-label=t("tabs.label")>
                                <A href=base.clone() exact=true>{t("tabs.overview")}</A>
                                <A href=format!("{base}/devices")>{t("tabs.devices")}</A>
                                <Show when=move || {
                                    l.my_role == LicenseRole::Manager
                                        && l.license_type != LicenseType::Personal
                                }>
                                    <A href=users_href.clone()>{t("tabs.users")}</A>
                                </Show>
                                <Show when=move || l.my_role == LicenseRole::Manager>
                                    <A href=activity_href.clone()>{t("tabs.activity")}</A>
                                </Show>
                            </nav>
                        }
                    })
                })}
            </Suspense>
            <Outlet />
        </SignedIn>
    }
}

/// Seats, devices and deactivations, used of allowed: the `data-testid` texts ("2 / 5") and a meter
/// each, so how full the license is shows at a glance. Fewer used is better: a meter turns amber
/// when a quarter or less is left and red at the limit. Also on the vendor console's license page.
#[component]
pub fn UsageStats(license: License) -> impl IntoView {
    let items = [
        (
            t("usage.seats"),
            "seats",
            license.seats_used,
            license.max_users,
        ),
        (
            t("usage.devices"),
            "devices",
            license.devices_active,
            license.max_activations,
        ),
        (
            t("usage.deactivations"),
            "deactivations",
            license.deactivations_used,
            license.max_deactivations,
        ),
    ];
    view! {
        <ul class="stats" aria-label=t("usage.label")>
            {items
                .into_iter()
                .map(|(label, testid, used, allowed)| {
                    let (low, high) = meter_bounds(allowed);
                    let (used_text, allowed_text) = (used.to_string(), allowed.to_string());
                    let meter_label = t_args(
                        "usage.meter",
                        &[("label", &label), ("used", &used_text), ("allowed", &allowed_text)],
                    );
                    view! {
                        <li>
                            <span class="stat-label">{label}</span>
                            <span class="stat" data-testid=testid>{format!("{used} / {allowed}")}</span>
                            <meter
                                min="0"
                                max=allowed.to_string()
                                value=used.to_string()
                                low=low
                                high=high
                                optimum="0"
                                aria-label=meter_label
                            ></meter>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The `low` and `high` of a usage meter out of `allowed`: up to `low` it is green, above it (a
/// quarter of the allowance or less left, at least the last one) amber, above `high` (at the
/// limit) red. Halves keep whole counts off the boundaries, where browsers differ.
fn meter_bounds(allowed: i64) -> (String, String) {
    let margin = (allowed / 4).max(1);
    let low = ((allowed - margin) as f64 - 0.5).max(0.5);
    let high = (allowed as f64 - 0.5).max(low);
    (low.to_string(), high.to_string())
}

#[component]
pub fn OverviewTab() -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    // One note per page: a *Reset license* note or the offline activation form's error.
    let reset_license = ServerAction::<ResetLicense>::new();
    ctx.notify_when(reset_license.version());
    let flash = use_flash(move || ctx.changes());
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
                    let (hint_before, hint_after) = t_around_link("overview.hint");
                    view! {
                        <section class="card">
                            <h2>{t("overview.heading")}</h2>
                            <dl class="facts">
                                <dt>{t("label.type")}</dt>
                                <dd>{i18n::license_type(l.license_type)}</dd>
                                <dt>{t("label.status")}</dt>
                                <dd>{i18n::license_status(l.status)}</dd>
                                <dt>{t("label.valid_from")}</dt>
                                <dd>{format_date(l.valid_from)}</dd>
                                <dt>{t("label.valid_until")}</dt>
                                <dd>{format_date(l.valid_until)}</dd>
                                <dt>{t("label.subscriptions")}</dt>
                                <dd>{l.subscriptions}</dd>
                                <dt>{t("label.seats")}</dt>
                                <dd>{used_of("overview.seats", l.seats_used, l.max_users, None)}</dd>
                                <dt>{t("label.devices")}</dt>
                                <dd>
                                    {used_of("overview.devices", l.devices_active, l.max_activations, None)}
                                </dd>
                                <dt>{t("label.deactivations")}</dt>
                                <dd>
                                    {used_of(
                                        "overview.deactivations",
                                        l.deactivations_used,
                                        l.max_deactivations,
                                        Some(l.deactivations_left()),
                                    )}
                                </dd>
                                <dt>{t("label.your_role")}</dt>
                                <dd>{i18n::role(l.my_role)}</dd>
                            </dl>
                            <p class="hint">
                                {hint_before}
                                <a href=format!("/licenses/{}/devices", l.id)>{t("tabs.devices")}</a>
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
        "reset_license.confirm_text",
        &[
            ("devices", &count(license.devices_active, "active_device")),
            ("left", &count(left, "deactivation")),
        ],
    );
    view! {
        <section class="card">
            <h2>{t("reset_license.heading")}</h2>
            <p class="hint">{t("reset_license.hint")}</p>
            {move || {
                let (id, base, text) = (id.clone(), base.clone(), text.clone());
                if !confirming() {
                    let href = format!("{base}?confirm=reset-license");
                    return view! { <a class="button danger" href=href>{t("reset_license.open")}</a> }.into_any();
                }
                let dialog = NodeRef::new();
                focus_when_shown(dialog);
                view! {
                    <section
                        class="confirm"
                        role="alertdialog"
                        aria-labelledby="reset-license-title"
                        aria-describedby="reset-license-text"
                        tabindex="-1"
                        autofocus
                        node_ref=dialog
                    >
                        <h3 id="reset-license-title">{t("reset_license.confirm_title")}</h3>
                        <p id="reset-license-text">{text}</p>
                        <ActionForm action>
                            <input type="hidden" name="license_id" value=id />
                            <button
                                type="submit"
                                class="danger"
                                disabled=move || action.pending().get()
                            >
                                {t("reset_license.submit")}
                            </button>
                            <a href=base>{t("action.cancel")}</a>
                        </ActionForm>
                    </section>
                }
                    .into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::meter_bounds;

    fn bounds(allowed: i64) -> (String, String) {
        meter_bounds(allowed)
    }

    #[test]
    fn meters_warn_near_the_limit_and_alarm_at_it() {
        // 5 seats: 0–3 green, 4 amber (one left), 5 red.
        assert_eq!(bounds(5), ("3.5".into(), "4.5".into()));
        // 10 devices: 8 and 9 amber.
        assert_eq!(bounds(10), ("7.5".into(), "9.5".into()));
        // 3 deactivations: 2 amber, 3 red.
        assert_eq!(bounds(3), ("1.5".into(), "2.5".into()));
        assert_eq!(bounds(2), ("0.5".into(), "1.5".into()));
        // 1 allowed: none used is green, the one used red.
        assert_eq!(bounds(1), ("0.5".into(), "0.5".into()));
        assert_eq!(bounds(0), ("0.5".into(), "0.5".into()));
    }
}
