//! The pages the browser loads on demand. The WASM is split (`cargo leptos build --split`) into
//! the shell with the login page, and one piece per area of the portal (a customer's licenses, the
//! Users tab, the set-password and forgot-password pages, the vendor console), each fetched the
//! first time one of its pages is shown, so the login page does not download the vendor console.
//!
//! One split point per area, not per page: each split point multiplies the small shared pieces
//! wasm-split makes (19 per-page points made 268 files, 133 of them for the Devices tab alone).
//! On the server the same views render as before. The hydrating WASM must be built with `--split`
//! (`make release`; `cargo leptos watch --split`): unsplit, its lazy areas are imports nothing
//! provides. Trunk's client-side build renders the areas without splitting.

use leptos::prelude::*;
use leptos_router::LazyRoute;

/// `area(view fn, preload fn, page enum) { Route => component, ... }`: one `#[lazy]` function
/// renders every page of the area, and each route is a `LazyRoute` that asks it for its page.
macro_rules! area {
    ($view:ident, $preload:ident, $page:ident { $($route:ident => $component:path,)* }) => {
        #[derive(Clone, Copy)]
        enum $page {
            $($route,)*
        }

        // Trunk's client-side build is not split: there the area is an ordinary function.
        #[cfg_attr(not(feature = "csr"), lazy)]
        async fn $view(page: $page) -> AnyView {
            match page {
                $($page::$route => $component().into_any(),)*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_route: Self) -> AnyView {
                    $view($page::$route).await
                }

                async fn preload() {
                    // The preloader exists where the WASM is split: in the hydrating browser.
                    #[cfg(all(target_arch = "wasm32", not(feature = "csr")))]
                    $preload().await;
                }
            }
        )*
    };
}

area!(portal_view, __preload_portal_view, PortalPage {
    Dashboard => crate::licenses::DashboardPage,
    Licenses => crate::licenses::LicensesPage,
    LicenseLayout => crate::licenses::LicenseLayout,
    Overview => crate::licenses::OverviewTab,
    Devices => crate::devices::DevicesTab,
    Activity => crate::activity::ActivityTab,
});

area!(users_view, __preload_users_view, UsersPage {
    Users => crate::users::UsersTab,
    SeatsHelp => crate::users::SeatsHelpPage,
});

area!(account_view, __preload_account_view, AccountPage {
    SetPassword => crate::users::SetPasswordPage,
    ForgotPassword => crate::auth::ForgotPasswordPage,
});

area!(console_view, __preload_console_view, ConsolePage {
    AdminLayout => crate::admin::AdminLayout,
    Customers => crate::admin::CustomersPage,
    Customer => crate::admin::CustomerPage,
    AdminLicense => crate::admin::AdminLicensePage,
    AdminAudit => crate::admin::AdminAuditPage,
    Licensespring => crate::admin::LicensespringPage,
    Outbox => crate::admin::OutboxPage,
    Integrations => crate::admin::IntegrationsPage,
    OutboxMessage => crate::admin::OutboxMessagePage,
    Import => crate::admin::ImportPage,
    ImportJob => crate::admin::ImportJobPage,
});
