//! Keyport's server as a library: the whole HTTP application (portal pages and server functions,
//! the desktop app's device API, the health check) as one axum [`Router`], so the `keyport`
//! binary serves it and tests run the very same router in process.

pub mod admin;
pub mod api;
pub mod assets;
pub mod config;
mod form_errors;
pub mod fuzzing;
pub mod import;
pub mod import_jobs;
pub mod licensespring;
pub mod mail;
pub mod manage;
mod offline;
mod portal;
mod portal_input;
mod security;
mod service_worker;
pub mod webhooks;

use std::sync::{Arc, LazyLock};

use app::state::{AppState, Shared};
use app::{shell, App};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use config::ServeArgs;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use licensing::auth::{SessionPolicy, ThrottlePolicy};
use licensing::Store;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// The portal's routes, found once per process. Finding them sets a process-wide flag in
/// leptos_server that parks every resource first polled meanwhile, for good: a second [`app`] in
/// the same process (the tests start one per case) would hang pages another one is rendering.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

/// What every page render gets besides the request: its CSP nonce, and where the build was split
/// (`cargo leptos build --split`), the split manifest, so a page names the WASM pieces of the lazy
/// areas it rendered in `<link rel="preload">` and the browser fetches them with the main WASM, not
/// after it. Leptos' own `HydrationScripts` looks for the manifest on disk under the site's pkg dir,
/// which the versioned addresses moved; the one read into memory with the assets is given instead.
fn page_context(
    assets: &assets::Assets,
    version: &str,
) -> impl Fn() + Clone + Send + Sync + 'static {
    use leptos::prelude::provide_context;
    let split = assets.split().map(|(manifest, loader)| {
        leptos::WasmSplitManifest(leptos::prelude::ArcStoredValue::new((
            format!("/pkg/{version}"),
            manifest,
            loader,
        )))
    });
    move || {
        security::provide_csp_nonce();
        if let Some(split) = &split {
            provide_context(split.clone());
        }
    }
}

/// The application on `store`, configured by `args` (the flags of `keyport serve`); the Leptos
/// options locate the site (assets, output name). Serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()`: handlers read the peer's address.
///
/// Async because the key that signs form errors is kept in the database (made on first use).
pub async fn app(
    store: Store,
    mut leptos_options: LeptosOptions,
    args: &ServeArgs,
) -> Result<Router, String> {
    // The listen address is Keyport's own setting.
    leptos_options.site_addr = args.addr;
    // Pages name the assets under a versioned directory, so browsers keep them (assets.rs).
    // The hydrating WASM fetches the page's language catalog from among them (app::i18n).
    let assets =
        assets::Assets::load(&std::path::Path::new(&*leptos_options.site_root).join("pkg"))
            .with_generated(licensing::i18n::Locale::ALL.into_iter().map(|locale| {
                (
                    app::i18n::catalog_file(locale),
                    app::i18n::catalog_source(locale).as_bytes(),
                )
            }));
    let assets_version = assets.version().to_owned();
    leptos_options.site_pkg_dir = format!("pkg/{assets_version}").into();
    // HTTPS, directly or behind a TLS proxy: said by the flag, or by an https public URL.
    let https = args.secure_cookies
        || args
            .public_url
            .as_deref()
            .is_some_and(|url| url.trim().to_ascii_lowercase().starts_with("https://"));
    let state = AppState::new(Shared {
        leptos_options,
        store,
        sessions: SessionPolicy {
            idle_ms: args.session_idle_minutes * 60_000,
            absolute_ms: args.session_hours * 3_600_000,
        },
        throttle: ThrottlePolicy {
            account_failures: args.throttle_account_failures,
            address_failures: args.throttle_address_failures,
            window_ms: args.throttle_window_minutes * 60_000,
        },
        secure_cookies: https,
        public_url: args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", args.addr))
            .trim_end_matches('/')
            .to_owned(),
    });
    let origins = Arc::new(security::OriginPolicy {
        own: args.public_url.as_deref().map(security::origin_of),
        https,
        allowed: args
            .allowed_origins
            .iter()
            .map(|o| security::origin_of(o))
            .filter(|o| !o.is_empty())
            .collect(),
    });
    let trusted_proxies = Arc::new(args.trusted_proxies.clone());
    let form_errors = Arc::new(form_errors::FormErrors {
        key: licensing::secret::installation_secret(&state.store, "form_errors")
            .await
            .map_err(|e| format!("cannot read the installation's form-error key: {e}"))?,
        secure_cookies: https,
    });
    let routes = ROUTES.clone();
    let page_context = page_context(&assets, &assets_version);
    // Layers wrap what was added before them: the order below is the order of the checks, from
    // the last layer (first to see a request) up.
    Ok(Router::new()
        .route("/health", get(health))
        .merge(service_worker::routes(
            &assets_version,
            &assets.page_files(),
        ))
        .leptos_routes_with_context(&state, routes, page_context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(page_context, shell))
        .layer(axum::middleware::map_response(
            portal::server_fn_error_status,
        ))
        .route("/licenses/{id}/offline-activation", offline::route())
        .layer(axum::middleware::from_fn(portal_input::check))
        .layer(RequestBodyLimitLayer::new(portal_input::BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            form_errors,
            form_errors::authenticated,
        ))
        // Uploads far past the portal's body limit, which the layers above would refuse.
        .merge(import_jobs::routes(
            usize::try_from(args.import_max_mib * 1024 * 1024).unwrap_or(usize::MAX),
        ))
        // Every portal route, server functions and the offline form included; not the device
        // API below, which apps call with their own credentials rather than a cookie.
        .layer(axum::middleware::from_fn_with_state(
            origins,
            security::same_origin_only,
        ))
        .layer(axum::middleware::from_fn(security::portal_headers))
        // Added after the portal's body limit: the API has its own, smaller one that answers in
        // JSON like every other API error.
        // The built assets: no session, form or CSP work for a file (the headers below apply).
        .merge(assets.routes())
        .nest(manage::BASE, manage::router())
        .nest("/api/v1", api::router())
        .nest("/api/v4", licensespring::router())
        .layer(axum::middleware::from_fn_with_state(
            https,
            security::common_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            trusted_proxies,
            security::client_address,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state))
}

/// Liveness and readiness: 200 when the database answers, 503 otherwise.
async fn health(State(store): State<Store>) -> (StatusCode, &'static str) {
    match store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// The listener `keyport serve` serves: every accepted connection gets `TCP_NODELAY`, so an
/// answer written as headers then body is not held back by Nagle's algorithm until the client's
/// delayed ACK (measured: 15 ms per static file on a keep-alive connection, against 0.1 ms).
pub type Listener = axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)>;

/// Wraps a bound listener into [`Listener`].
pub fn without_nagle(listener: tokio::net::TcpListener) -> Listener {
    use axum::serve::ListenerExt;
    fn nodelay(tcp: &mut tokio::net::TcpStream) {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
        }
    }
    listener.tap_io(nodelay as fn(&mut tokio::net::TcpStream))
}

#[cfg(test)]
mod tests {
    use axum::serve::Listener as _;

    #[tokio::test]
    async fn every_accepted_connection_sends_without_delay() {
        let bound = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = bound.local_addr().unwrap();
        let mut listener = super::without_nagle(bound);
        let client = tokio::net::TcpStream::connect(addr);
        let (accepted, client) = tokio::join!(listener.accept(), client);
        let (served, _) = accepted;
        assert!(
            served.nodelay().unwrap(),
            "the server's side of the connection"
        );
        // The client's default, to show the check can fail.
        assert!(!client.unwrap().nodelay().unwrap());
    }
}
