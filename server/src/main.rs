//! Keyport's server binary: reads the configuration, opens the database, and serves the portal
//! (Leptos pages and server functions), the desktop app's device API and the health check; or
//! runs an admin command.

mod admin;
mod api;
mod config;
mod form_errors;
mod offline;
mod portal;
mod portal_input;
mod security;
mod service_worker;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use app::state::AppState;
use app::{shell, App};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use clap::Parser;
use config::{Cli, Command, ServeArgs};
use leptos::config::get_configuration;
use leptos_axum::{generate_route_list, LeptosRoutes};
use licensing::auth::{SessionPolicy, ThrottlePolicy};
use licensing::demo::{self, DEMO_LOGINS, DEMO_PASSWORD};
use licensing::{AppError, Store};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;
use tracing_subscriber::EnvFilter;

/// mimalloc gives memory back to the system shortly after it is freed, so the server returns to
/// its idle size after a burst of logins (each Argon2 check takes 19 MiB for a moment).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        // Colour codes only for a person at a terminal: log files are read by tools (fail2ban).
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let cli = Cli::parse();
    let options = licensing::store::StoreOptions {
        sqlite_sync: cli.sqlite_synchronous,
    };
    let store = match Store::connect_with(&cli.database_url, options).await {
        Ok(store) => store,
        Err(err) => {
            eprintln!("keyport: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        None | Some(Command::Serve) => serve(store, cli.serve).await,
        Some(Command::Tenant(command)) => admin::tenant(&store, command)
            .await
            .map_err(|e| admin::english(&e)),
        Some(Command::Customer(command)) => admin::customer(&store, command)
            .await
            .map_err(|e| admin::english(&e)),
        Some(Command::License(command)) => admin::license(&store, command)
            .await
            .map_err(|e| admin::english(&e)),
        Some(Command::DemoTenant {
            company,
            subscriptions,
        }) => demo_tenant(&store, &company, subscriptions)
            .await
            .map_err(|e| admin::english(&e)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("keyport: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(store: Store, args: ServeArgs) -> Result<(), String> {
    let seeded = if args.demo {
        demo::seed_if_empty(&store)
            .await
            .map_err(|e| admin::english(&e))?
    } else {
        Vec::new()
    };
    if !seeded.is_empty() {
        tracing::info!("seeded the demo data into an empty database");
    }
    // Cargo.toml's [package.metadata.leptos] (or LEPTOS_* variables) locate the site; the
    // listen address is Keyport's own setting.
    let mut leptos_options = get_configuration(None)
        .map_err(|e| format!("cannot read the Leptos configuration: {e}"))?
        .leptos_options;
    leptos_options.site_addr = args.addr;
    // HTTPS, directly or behind a TLS proxy: said by the flag, or by an https public URL.
    let https = args.secure_cookies
        || args
            .public_url
            .as_deref()
            .is_some_and(|url| url.trim().to_ascii_lowercase().starts_with("https://"));
    let closing = store.clone();
    let state = AppState {
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
    };
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
    let routes = generate_route_list(App);
    let app = Router::new()
        .route("/health", get(health))
        .merge(service_worker::routes(&state.leptos_options.site_root))
        .leptos_routes_with_context(&state, routes, security::provide_csp_nonce, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(security::provide_csp_nonce, shell))
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
        // Every portal route, server functions and the offline form included; not the device
        // API below, which apps call with their own credentials rather than a cookie.
        .layer(axum::middleware::from_fn_with_state(
            origins,
            security::same_origin_only,
        ))
        .layer(axum::middleware::from_fn(security::portal_headers))
        // Added after the portal's body limit: the API has its own, smaller one that answers in
        // JSON like every other API error.
        .nest("/api/v1", api::router())
        .layer(axum::middleware::from_fn_with_state(
            https,
            security::common_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            trusted_proxies,
            security::client_address,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state);

    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    print_banner(args.addr, args.demo, &seeded);
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    // Once the last request is answered, not before: Postgres sees clean disconnects and SQLite
    // leaves a database file without a WAL to replay.
    closing.close().await;
    served.map_err(|e| e.to_string())
}

/// `keyport demo-tenant`: the Acme Corp demo under a company ID of its own; more subscriptions
/// are bought one purchase after the other, as a customer would.
async fn demo_tenant(store: &Store, company: &str, subscriptions: i64) -> Result<(), AppError> {
    let tenant = demo::seed_vendor(store, company, company, "Acme Corp", "acme", company).await?;
    if subscriptions > 1 {
        licensing::licenses::add_subscriptions(store, &tenant.license_id, subscriptions - 1, None)
            .await?;
    }
    println!("created tenant {company} with the Acme Corp demo ({subscriptions} subscriptions)");
    println!("license key: {}", tenant.license_key);
    Ok(())
}

fn print_banner(addr: SocketAddr, demo: bool, seeded: &[demo::DemoTenant]) {
    println!("Keyport is serving the license portal at http://{addr}");
    println!("Device API: http://{addr}/api/v1 (described at /api/v1/openapi.json)");
    if demo {
        println!("Demo logins (password {DEMO_PASSWORD}):");
        for (company, email, what) in DEMO_LOGINS {
            println!("  company ID {company:<10} email {email:<24} {what}");
        }
    }
    // License keys are shown once, when they are made.
    for tenant in seeded {
        println!(
            "  license key of {:<10} {}",
            tenant.company_id, tenant.license_key
        );
    }
}

/// Liveness and readiness: 200 when the database answers, 503 otherwise.
async fn health(State(store): State<Store>) -> (StatusCode, &'static str) {
    match store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        if let Ok(mut sig) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            sig.recv().await;
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
