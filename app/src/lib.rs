//! Keyport's license portal: the Leptos pages, the router and the server functions they call.
//!
//! Every page renders on the server with its data (so it works without JavaScript) and hydrates
//! in the browser. Server functions are thin: find out who is asking, call `licensing`, and hand
//! back its typed error.

pub mod activity;
pub mod admin;
pub mod audit_text;
pub mod auth;
pub mod components;
pub mod devices;
pub mod error_text;
pub mod flash;
pub mod format;
pub mod i18n;
pub mod import_text;
mod layout;
pub mod nav;
pub use nav::encode;
pub mod licenses;
#[cfg(test)]
mod module_graph;
pub mod network;
pub mod offline;
mod routes;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod state;
pub mod users;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy, SsrMode};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The server names the assets' directory after their version (server/src/assets.rs).
    let stylesheet = format!("/{}/keyport.css", options.site_pkg_dir);
    let locale = i18n::detect();
    let catalog = format!("/{}/{}", options.site_pkg_dir, i18n::catalog_file(locale));
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <link id="leptos" rel="stylesheet" href=stylesheet />
                // `crossorigin`: the preload is then the very request `i18n::load_catalog` makes.
                <link
                    id=i18n::CATALOG_LINK_ID
                    rel="preload"
                    href=catalog
                    r#as="fetch"
                    type="text/plain"
                    crossorigin=""
                />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // One language per page load: the switcher reloads the page (see `i18n`).
    let locale = i18n::detect();
    provide_context(locale);
    network::Network::provide();
    // Effects run only in the browser: the attribute tells tests (and CSS) that hydration is done.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    // Async rendering sends each page once its data is loaded, so it works without JavaScript.
    let ssr = SsrMode::Async;
    let admin_ssr = SsrMode::Async;
    view! {
        // The formatter may run outside the app's context: it keeps the locale it was made with.
        <Title formatter=move |page: String| {
            if page.is_empty() {
                i18n::lookup(locale, "app-title")
            } else {
                i18n::text_in(locale, "app-title_page", &[("page", &page)])
            }
        } />
        // The first thing a keyboard reaches on every page. `target="_self"` leaves it to the
        // browser (the router would only scroll), which moves the focus into `<main id="main">`.
        <a class="skip-link" href="#main" target="_self">{i18n::t("app-skip")}</a>
        <network::OfflineBanner />
        <Router>
            <FocusFromTheTop />
            <network::OfflineGuard>
            <Routes fallback=layout::NotFound>
                <Route path=path!("/") view=|| view! { <Redirect path="/dashboard" /> } ssr=ssr.clone() />
                <Route path=path!("/login") view=auth::LoginPage ssr=ssr.clone() />
                <Route path=path!("/dashboard") view={Lazy::<routes::Dashboard>::new()} ssr=ssr.clone() />
                <Route path=path!("/licenses") view={Lazy::<routes::Licenses>::new()} ssr=ssr.clone() />
                <Route path=path!("/set-password") view={Lazy::<routes::SetPassword>::new()} ssr=ssr.clone() />
                <Route path=path!("/forgot-password") view={Lazy::<routes::ForgotPassword>::new()} ssr=ssr.clone() />
                <Route path=path!("/help/seats") view={Lazy::<routes::SeatsHelp>::new()} ssr=ssr.clone() />
                <ParentRoute path=path!("/admin") view={Lazy::<routes::AdminLayout>::new()} ssr=admin_ssr.clone()>
                    <Route path=path!("") view={Lazy::<routes::Customers>::new()} ssr=admin_ssr.clone() />
                    <Route path=path!("customers/:id") view={Lazy::<routes::Customer>::new()} ssr=admin_ssr.clone() />
                    <Route path=path!("licenses/:id") view={Lazy::<routes::AdminLicense>::new()} ssr=admin_ssr.clone() />
                    <Route path=path!("audit") view={Lazy::<routes::AdminAudit>::new()} ssr=admin_ssr.clone() />
                    <Route path=path!("licensespring") view={Lazy::<routes::Licensespring>::new()} ssr=admin_ssr.clone() />
                    <Route path=path!("outbox") view={Lazy::<routes::Outbox>::new()} ssr=admin_ssr.clone() />
                    <Route path=path!("integrations") view={Lazy::<routes::Integrations>::new()} ssr=admin_ssr.clone() />
                    <Route path=path!("outbox/:id") view={Lazy::<routes::OutboxMessage>::new()} ssr=admin_ssr.clone() />
                    <Route path=path!("import") view={Lazy::<routes::Import>::new()} ssr=admin_ssr.clone() />
                    <Route path=path!("import/:id") view={Lazy::<routes::ImportJob>::new()} ssr=admin_ssr.clone() />
                </ParentRoute>
                <ParentRoute path=path!("/licenses/:id") view={Lazy::<routes::LicenseLayout>::new()} ssr=ssr.clone()>
                    <Route path=path!("") view={Lazy::<routes::Overview>::new()} ssr=ssr.clone() />
                    <Route path=path!("devices") view={Lazy::<routes::Devices>::new()} ssr=ssr.clone() />
                    <Route path=path!("users") view={Lazy::<routes::Users>::new()} ssr=ssr.clone() />
                    <Route path=path!("activity") view={Lazy::<routes::Activity>::new()} ssr=ssr.clone() />
                </ParentRoute>
            </Routes>
            </network::OfflineGuard>
        </Router>
    }
}

/// After the router moves to another page in the browser, the keyboard starts at the top again,
/// as after a full page load: the next Tab reaches the skip link. (Otherwise the focus stays where
/// the link or button of the old page was.) Staying on the page (a dialog, a note in the address)
/// leaves the focus alone.
#[component]
fn FocusFromTheTop() -> impl IntoView {
    let pathname = use_location().pathname;
    Effect::new(move |previous: Option<String>| {
        let path = pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("tabindex", "-1");
                let _ = body.focus();
                let _ = body.remove_attribute("tabindex");
            }
        }
        path
    });
}
