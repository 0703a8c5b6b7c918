//! The vendor console under `/admin` (vendor staff of the tenant only): customers, their licenses
//! and accounts, selling and changing licenses, lifting deactivation limits, the tenant's log,
//! what apps built on LicenseSpring's SDK are configured with, and the vendor's own integrations.
//!
//! One module per page: `customers` (the list and one customer), `sell` (selling subscriptions on
//! the customer page), `licenses` (one license and the vendor's actions on it), `audit` (the log),
//! `licensespring` (the SDK's keys, rotating the shared key), `outbox` (the email Keyport wrote),
//! `integrations` (the management API's keys) with `webhooks` (endpoints and deliveries), `imports`
//! (moving in from LicenseSpring: uploads, their progress and reports).

pub mod audit;
pub mod customers;
pub mod imports;
pub mod integrations;
pub mod licenses;
pub mod licensespring;
pub mod outbox;
pub mod sell;
pub mod webhooks;

pub use audit::AdminAuditPage;
pub use customers::{CustomerPage, CustomersPage};
pub use imports::{ImportJobPage, ImportPage};
pub use integrations::IntegrationsPage;
pub use licenses::AdminLicensePage;
pub use licensespring::LicensespringPage;
pub use outbox::{OutboxMessagePage, OutboxPage};

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};

use crate::auth::Logout;
use crate::i18n::{t, LanguageSwitcher};

/// The frame of every console page.
#[component]
pub fn AdminLayout() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <Title text=t("admin-title") />
        <header class="topbar">
            <a class="brand" href="/admin">{t("admin-brand")}</a>
            <nav aria-label=t("nav-main")>
                <A href="/admin" exact=true>{t("admin-customers")}</A>
                <A href="/admin/audit">{t("admin-audit")}</A>
                <A href=licensespring::PATH>{t("licensespring-nav")}</A>
                <A href=outbox::PATH>{t("outbox-nav")}</A>
                <A href=imports::PATH>{t("imports-nav")}</A>
                <A href=integrations::PATH>{t("integrations-nav")}</A>
            </nav>
            <LanguageSwitcher />
            <ActionForm action=logout attr:class="logout">
                <button type="submit" class="link">{t("nav-logout")}</button>
            </ActionForm>
        </header>
        <main id="main" tabindex="-1" class="page">
            <Outlet />
        </main>
    }
}

/// The `<option>`s of a license type `<select>`, Organisation chosen (its owner manages it).
fn license_type_options() -> impl IntoView {
    use licensing::licenses::LicenseType;
    LicenseType::ALL
        .into_iter()
        .map(|kind| {
            view! {
                <option value=kind.as_str() selected=kind == LicenseType::Organisation>
                    {crate::i18n::license_type(kind)}
                </option>
            }
        })
        .collect_view()
}
