//! The license page's frame (crumbs, usage, tabs) and the context its tabs share: the license
//! and one counter of the changes made on the page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_params_map;
use licensing::licenses::{License, LicenseRole};
use licensing::AppError;

use crate::components::{show, Loading};
use crate::i18n::{t, t_args};
use crate::layout::SignedIn;
use crate::network::use_network;

use super::get_license;

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
                                <a href="/licenses">{t("nav-licenses")}</a>
                                " / "
                                {l.customer_name.clone()}
                            </p>
                            <h1>{l.product.clone()}</h1>
                            <UsageStats license=l.clone() />
                            <nav class="tabs" aria-label=t("tabs-label")>
                                <A href=base.clone() exact=true>{t("tabs-overview")}</A>
                                <A href=format!("{base}/devices")>{t("tabs-devices")}</A>
                                <Show when=move || {
                                    l.my_role == LicenseRole::Manager
                                        && l.license_type.fixed_seats().is_none()
                                }>
                                    <A href=users_href.clone()>{t("tabs-users")}</A>
                                </Show>
                                <Show when=move || l.my_role == LicenseRole::Manager>
                                    <A href=activity_href.clone()>{t("tabs-activity")}</A>
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
            t("usage-seats"),
            "seats",
            license.seats_used,
            license.max_users,
        ),
        (
            t("usage-devices"),
            "devices",
            license.devices_active,
            license.max_activations,
        ),
        (
            t("usage-deactivations"),
            "deactivations",
            license.deactivations_used,
            license.max_deactivations,
        ),
    ];
    view! {
        <ul class="stats" aria-label=t("usage-label")>
            {items
                .into_iter()
                .map(|(label, testid, used, allowed)| {
                    let (low, high) = meter_bounds(allowed);
                    let (used_text, allowed_text) = (used.to_string(), allowed.to_string());
                    let meter_label = t_args(
                        "usage-meter",
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
