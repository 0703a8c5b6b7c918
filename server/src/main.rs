//! Keyport's server binary: reads the configuration, opens the database, and serves the
//! application of the `server` library (`server::app`) until SIGTERM; or runs an admin command.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use leptos::config::get_configuration;
use licensing::demo::{self, DEMO_LOGINS, DEMO_PASSWORD};
use licensing::licensespring::credentials::ClientConfig;
use licensing::{AppError, Store};
use server::admin;
use server::config::{Cli, Command, ImportCommand, ServeArgs};
use tracing_subscriber::EnvFilter;

/// mimalloc gives memory back to the system shortly after it is freed, so the server returns to
/// its idle size after a burst of logins (each Argon2 check takes 7 MiB for a moment).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process. mimalloc marks its arena `MADV_HUGEPAGE`, and on
/// a kernel in THP `madvise` mode (Debian's default) every 2 MiB stretch of it the server touches
/// then counts whole: a fresh server held 37 MiB of huge pages for about 8 MiB of heap. A
/// constructor rather than a call in `main`: the runtime allocates (and faults its first pages)
/// before `main` runs, and the prctl applies to every page fault after it.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static SMALL_PAGES: extern "C" fn() = small_pages;

#[cfg(target_os = "linux")]
extern "C" fn small_pages() {
    // The kernel reads each argument as an unsigned long and refuses the call unless the last
    // three are zero: passed at that width, not as the varargs' default int.
    let (on, unused): (libc::c_ulong, libc::c_ulong) = (1, 0);
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, on, unused, unused, unused);
    }
}

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // The blocking pool runs the Argon2 checks (7 MiB each); the allocator hands a thread's
        // freed pages back to the system once the thread is gone, so idle threads leave soon
        // rather than after tokio's default 10 s, and a burst's memory returns with them.
        .thread_keep_alive(std::time::Duration::from_secs(1))
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(run()),
        Err(err) => {
            eprintln!("keyport: cannot start the async runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Where the links in email point: `--public-url`, else the listen address.
fn portal(args: &ServeArgs) -> licensing::mail::Portal {
    match &args.public_url {
        Some(url) => licensing::mail::Portal::new(url),
        None => licensing::mail::Portal::new(&format!("http://{}", args.addr)),
    }
}

async fn run() -> ExitCode {
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
        Some(Command::ApiKey(command)) => admin::api_key(&store, command)
            .await
            .map_err(|e| admin::english(&e)),
        Some(Command::License(command)) => admin::license(&store, command, &portal(&cli.serve))
            .await
            .map_err(|e| admin::english(&e)),
        Some(Command::Import(ImportCommand::Licensespring(args))) => {
            server::import::licensespring(&store, &args, &portal(&cli.serve)).await
        }
        Some(Command::LicensespringKeys { company, json }) => {
            admin::licensespring_keys(&store, &company, json)
                .await
                .map_err(|e| admin::english(&e))
        }
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
    // Cargo.toml's [package.metadata.leptos] (or LEPTOS_* variables) locate the site.
    let leptos_options = get_configuration(None)
        .map_err(|e| format!("cannot read the Leptos configuration: {e}"))?
        .leptos_options;
    let closing = store.clone();
    let smtp = match (&args.smtp_url, &args.mail_from) {
        (Some(url), Some(from)) => Some(server::mail::Smtp::new(
            url,
            from,
            args.smtp_user.as_deref(),
            args.smtp_password.as_deref(),
        )?),
        (Some(_), None) => {
            return Err("--smtp-url needs --mail-from, the address email comes from".into())
        }
        (None, _) => None,
    };
    let outbox = store.clone();
    let app = server::app(store, leptos_options, &args).await?;

    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map(server::without_nagle)
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let sdk = if args.demo {
        demo_sdk_settings(&closing).await
    } else {
        None
    };
    print_banner(args.addr, args.demo, &seeded);
    match smtp {
        Some(smtp) => {
            if args.public_url.is_none() {
                // Links in email would lead to the listen address, useless outside this machine.
                println!(
                    "Email: links in messages start with http://{}: set --public-url to the address your users reach",
                    args.addr
                );
            }
            server::mail::spawn(outbox.clone(), smtp);
        }
        None => println!(
            "Email: no SMTP server (--smtp-url), so messages wait in the outbox; the vendor console shows them"
        ),
    }
    server::import_jobs::spawn(outbox.clone());
    server::webhooks::spawn(
        outbox.clone(),
        server::webhooks::HttpPoster::new(
            args.allow_private_webhooks,
            std::time::Duration::from_secs(args.webhook_timeout_seconds),
        ),
        args.webhook_first_retry_seconds * 1000,
    );
    if let Some(config) = sdk {
        print_sdk_banner(args.addr, &config);
    }
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

/// The demo vendor's LicenseSpring SDK settings (its keys are made on first use); `None` when the
/// database has no such tenant, since the banner is a convenience.
async fn demo_sdk_settings(store: &Store) -> Option<ClientConfig> {
    let company = DEMO_LOGINS[0].0;
    match licensing::licensespring::credentials::client_config(store, company).await {
        Ok(config) => Some(config),
        Err(error) => {
            tracing::warn!(
                ?error,
                company,
                "no LicenseSpring SDK settings for the banner"
            );
            None
        }
    }
}

/// What an app built on LicenseSpring's SDK is configured with to try the demo.
fn print_sdk_banner(addr: SocketAddr, config: &ClientConfig) {
    let company = DEMO_LOGINS[0].0;
    println!("LicenseSpring SDK (/api/v4) for {company}: Configuration(api_protocol=\"http\", api_domain=\"{addr}\",");
    println!(
        "  api_key=\"{}\", shared_key=\"{}\", product=\"{}\")",
        config.api_key,
        config.shared_key,
        config.products.join("|")
    );
    println!(
        "  public key (SignatureVerifier.PUBLIC_KEY): keyport licensespring-keys --company {company} --json, or the console's LicenseSpring SDK page"
    );
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
