//! `keyport-bench` (`make bench`): drives the device API of the release `keyport` binary on
//! each database given (check-ins, activations by license key, activations by password) and
//! prints requests/s and p50/p99 latency next to a bare axum endpoint measured with the same
//! client, concurrency and duration, as a ratio. With `--import`, it also times the import of a
//! LicenseSpring export of 100,000 licenses. Figures and method: docs/bench.md.
//!
//! All traffic goes to 127.0.0.1; every loop stops by itself when its time is up.

mod baseline;
mod burst;
mod commit;
mod cpu;
mod import;
mod keyport;
mod load;
mod pages;
mod report;
mod scale;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use hyper::StatusCode;
use licensing::demo::DEMO_PASSWORD;
use serde_json::{json, Value};

use keyport::{get, post_json, Server};
use load::{Outcome, Plan};

const ACTIVATIONS: &str = "/api/v1/activations";
const DEVICE: &str = "/api/v1/device";
const STYLESHEET: &str = "/pkg/keyport.css";

#[derive(Debug, Parser)]
#[command(
    name = "keyport-bench",
    about = "Load on Keyport's device API next to a bare axum endpoint"
)]
struct Args {
    /// The release server binary to start (run from the workspace root).
    #[arg(long, default_value = "target/release/keyport")]
    keyport: PathBuf,

    /// A database to run Keyport on; repeat for several. Use a fresh one: the run adds tenants
    /// and thousands of devices to it.
    #[arg(long = "database", default_value = "sqlite://target/bench/keyport.db")]
    databases: Vec<String>,

    /// Simultaneous simulated apps, each on its own keep-alive connection.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,

    /// Seconds measured per scenario.
    #[arg(long, default_value_t = 10)]
    duration: u64,

    /// Seconds sent before each scenario and not counted.
    #[arg(long, default_value_t = 2)]
    warmup: u64,

    /// Seconds measured for activations by password (each costs an Argon2id hash by design).
    #[arg(long, default_value_t = 10)]
    password_duration: u64,

    /// SQLite's commit modes to measure, each a run of its own (`full` is the default and loses
    /// no acknowledged write on power failure; `normal` shows what that costs).
    #[arg(long, value_delimiter = ',', default_value = "full,normal")]
    sqlite_synchronous: Vec<String>,

    /// Simultaneous logins with unknown emails sent at a fresh server after the scenarios, its
    /// memory measured before, at the peak and 30 s after (0: skip).
    #[arg(long, default_value_t = 1000)]
    burst: usize,

    /// Also seed one tenant with 100,000 customers and 1,000,000 devices (`--scale-customers`
    /// customers, ten devices each) and measure check-ins, activations and the Devices tab again.
    #[arg(long)]
    scale: bool,

    /// Customers the `--scale` tenant gets (each with one license of ten devices).
    #[arg(long, default_value_t = 100_000)]
    scale_customers: usize,

    /// Also time `keyport import licensespring` of a LicenseSpring export (`--import-licenses`
    /// licenses with `--import-devices-per-license` devices each) into a fresh tenant of each
    /// database, after the other scenarios.
    #[arg(long)]
    import: bool,

    /// Licenses in the `--import` export.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..))]
    import_licenses: u32,

    /// Active devices of each license in the `--import` export.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=1000))]
    import_devices_per_license: u32,

    /// Where the servers' logs (and the `--import` export, under `import/`) go.
    #[arg(long, default_value = "target/bench")]
    log_dir: PathBuf,
}

/// The login burst of one database.
struct BurstRow {
    backend: String,
    report: burst::Report,
}

/// One line of the final table.
struct Row {
    backend: String,
    scenario: &'static str,
    outcome: Outcome,
    /// The row its ratio is taken against, and that row's req/s.
    versus: &'static str,
    baseline: f64,
    /// CPU the server under test used during the scenario, in cores (1.0 = one core busy).
    server_cpu: Option<f64>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.concurrency == 0 || args.duration == 0 {
        eprintln!("keyport-bench: --concurrency and --duration must be at least 1");
        return ExitCode::FAILURE;
    }
    if let Err(err) = std::fs::create_dir_all(&args.log_dir) {
        eprintln!("keyport-bench: {}: {err}", args.log_dir.display());
        return ExitCode::FAILURE;
    }
    // Other work on the machine skews every figure; the table says how busy it was.
    let load_before = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut rows = Vec::new();
    let mut bursts = Vec::new();
    let mut peaks = Vec::new();
    let mut first_load = None;
    let mut failed = false;
    for (url, backend, env) in targets(&args) {
        let url = &url;
        let backend = backend.as_str();
        eprintln!("== {backend}: {}", redact(url));
        match run_backend(&args, url, backend, &env, &mut rows, &mut first_load).await {
            Ok((peak_kib, login_company)) => {
                peaks.push((backend.to_owned(), peak_kib));
                // The burst is about memory, not commits: once per database.
                if args.burst > 0 && env.is_empty() {
                    eprintln!("   login burst: {} simultaneous bogus logins", args.burst);
                    let log = args.log_dir.join(format!("keyport-{backend}-burst.log"));
                    match burst::run(&args.keyport, url, log, &login_company, args.burst).await {
                        Ok(report) => bursts.push(BurstRow {
                            backend: backend.to_owned(),
                            report,
                        }),
                        Err(err) => {
                            eprintln!("keyport-bench: {backend}: login burst: {err}");
                            failed = true;
                        }
                    }
                }
            }
            Err(err) => {
                eprintln!("keyport-bench: {backend}: {err}");
                failed = true;
            }
        }
    }
    // On its own, after every server has stopped: the import is a command, not a request load.
    let imports = if args.import {
        import::run(&args)
    } else {
        Vec::new()
    };
    failed |= imports.iter().any(|(_, result)| result.is_err());
    report::print_table(&args, &rows);
    for (backend, peak_kib) in &peaks {
        println!(
            "{backend}: server peak RSS over the scenarios {:.1} MiB",
            *peak_kib as f64 / 1024.0
        );
    }
    match &first_load {
        Some(Ok((login, devices))) => println!(
            "first load in Chromium, cold cache, bytes over the wire (page, assets, service \
             worker): /login {login} B; a license's Devices tab, signed in, {devices} B"
        ),
        Some(Err(err)) => println!("first load in Chromium: not measured: {err}"),
        None => {}
    }
    report::print_bursts(&bursts);
    import::print(&imports);
    if let Some(load) = load_before.split_whitespace().next() {
        println!("load average (1 min) when the run started: {load}");
    }
    if failed
        || rows
            .iter()
            .any(|r| r.outcome.errors > 0 || r.outcome.ok == 0)
        || bursts.iter().any(|b| !b.report.ok())
    {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Starts Keyport on one database, prepares its data, runs the baseline and the three
/// scenarios back to back, and stops the server; returns the server's peak RSS (KiB) and the
/// company whose demo accounts the password scenario used.
async fn run_backend(
    args: &Args,
    url: &str,
    backend: &str,
    env: &[(&'static str, String)],
    rows: &mut Vec<Row>,
    first_load: &mut Option<Result<(u64, u64), String>>,
) -> Result<(u64, String), String> {
    let log = args.log_dir.join(format!("keyport-{backend}.log"));
    let mut server = Server::start(&args.keyport, url, log, env)?;
    server.wait_healthy(Duration::from_secs(60)).await?;
    let addr = server.addr;

    // A tenant per scenario, so a scenario's devices do not weigh on another's queries.
    let run = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let companies = ["checkin", "key", "login", "full"].map(|s| format!("bench{run}-{s}"));
    for company in &companies {
        keyport::demo_tenant(&args.keyport, url, company)?;
    }
    let names: Vec<&str> = companies.iter().map(String::as_str).collect();
    let keys = keyport::prepare(url, &names).await?;
    keyport::fill(url, &keys[3].0).await?;

    // One device per simulated app for the check-ins.
    let mut conn = load::connect(addr).await?;
    let mut tokens = Vec::new();
    for app in 0..args.concurrency {
        let request = post_json(
            addr,
            ACTIVATIONS,
            &by_key(&keys[0].1, &format!("checkin-{app}")),
        );
        let (status, body) = load::exchange(&mut conn, request).await?;
        if status != StatusCode::CREATED {
            return Err(format!(
                "activating a check-in device: HTTP {status}: {}",
                String::from_utf8_lossy(&body)
            ));
        }
        let answer: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        let token = find_string(&answer, "device_token")
            .ok_or_else(|| format!("no device_token in the activation answer: {answer}"))?;
        tokens.push(token);
    }
    // One check-in, to give the baseline an answer of the same size.
    let (status, sample) = load::exchange(&mut conn, get(addr, DEVICE, Some(&tokens[0]))).await?;
    if status != StatusCode::OK {
        return Err(format!(
            "check-in: HTTP {status}: {}",
            String::from_utf8_lossy(&sample)
        ));
    }
    drop(conn);
    let baseline_addr =
        baseline::start(baseline::body_of_len(sample.len())).map_err(|e| e.to_string())?;
    eprintln!(
        "   check-in answer {} bytes; baseline body the same size",
        sample.len()
    );

    let plan = Plan {
        addr,
        concurrency: args.concurrency,
        warmup: Duration::from_secs(args.warmup),
        duration: Duration::from_secs(args.duration),
    };
    let baseline_cpu = || cpu::threads_named(baseline::THREAD_NAME);
    let pid = server.pid();
    let server_cpu = move || cpu::process(pid);
    let base = scenario(
        "baseline",
        Plan {
            addr: baseline_addr,
            ..plan
        },
        Arc::new(move |_, _| get(baseline_addr, baseline::PATH, None)),
        StatusCode::OK,
        &baseline_cpu,
    )
    .await;
    let base_rate = base.0.rate();
    let mut push = |scenario, versus, reference: f64, (outcome, server_cpu)| {
        rows.push(Row {
            backend: backend.to_owned(),
            scenario,
            outcome,
            versus,
            baseline: reference,
            server_cpu,
        })
    };
    push("baseline (constant JSON)", "baseline", base_rate, base);

    let health = scenario(
        "health",
        plan,
        Arc::new(move |_, _| get(addr, "/health", None)),
        StatusCode::OK,
        &server_cpu,
    )
    .await;
    let health_rate = health.0.rate();
    push("/health", "baseline", base_rate, health);

    let tokens = Arc::new(tokens);
    let checkins = scenario(
        "check-in",
        plan,
        Arc::new(move |app, _| get(addr, DEVICE, Some(&tokens[app]))),
        StatusCode::OK,
        &server_cpu,
    )
    .await;
    push("check-in", "baseline", base_rate, checkins);

    eprintln!("   insert-and-commit loop: {} tasks", plan.concurrency);
    let sync = env
        .iter()
        .find(|(name, _)| *name == "KEYPORT_SQLITE_SYNCHRONOUS")
        .map(|(_, mode)| mode.as_str());
    let commits = commit::run(url, sync, plan).await?;
    let commit_rate = commits.rate();
    push(
        "insert-and-commit loop",
        "baseline",
        base_rate,
        (commits, None),
    );

    let key = keys[1].1.clone();
    let activations = scenario(
        "activation by license key",
        plan,
        Arc::new(move |app, n| {
            post_json(addr, ACTIVATIONS, &by_key(&key, &format!("key-{app}-{n}")))
        }),
        StatusCode::CREATED,
        &server_cpu,
    )
    .await;
    push(
        "activation (license key)",
        "commit loop",
        commit_rate,
        activations,
    );

    // An app retrying at a license with every slot taken: each try is refused and logged.
    let full_key = keys[3].1.clone();
    let refusals = scenario(
        "activation refused (device limit)",
        plan,
        Arc::new(move |app, n| {
            post_json(
                addr,
                ACTIVATIONS,
                &by_key(&full_key, &format!("full-{app}-{n}")),
            )
        }),
        StatusCode::CONFLICT,
        &server_cpu,
    )
    .await;
    push(
        "activation refused (limit)",
        "commit loop",
        commit_rate,
        refusals,
    );

    let company = companies[2].clone();
    let logins = scenario(
        "activation by password",
        Plan {
            duration: Duration::from_secs(args.password_duration.max(1)),
            ..plan
        },
        Arc::new(move |app, n| {
            let body = json!({
                "company": company,
                "email": "user@acme.example",
                "password": DEMO_PASSWORD,
                "hardware_id": format!("login-{app}-{n}"),
                "device_name": "Bench machine",
                "os": "Linux",
            });
            post_json(addr, ACTIVATIONS, &body)
        }),
        StatusCode::CREATED,
        &server_cpu,
    )
    .await;
    push("activation (password)", "baseline", base_rate, logins);

    let login_page = scenario(
        "SSR /login",
        plan,
        Arc::new(move |_, _| pages::browser_get(addr, "/login", None)),
        StatusCode::OK,
        &server_cpu,
    )
    .await;
    let login_rate = login_page.0.rate();
    push("SSR /login", "baseline", base_rate, login_page);

    let css = scenario(
        "static asset",
        plan,
        Arc::new(move |_, _| pages::browser_get(addr, STYLESHEET, None)),
        StatusCode::OK,
        &server_cpu,
    )
    .await;
    push("asset /pkg/keyport.css", "SSR /login", login_rate, css);

    // The check-in tenant's license: the demo's four devices and one per simulated app.
    let cookie = pages::sign_in(addr, &companies[0], "manager@acme.example", DEMO_PASSWORD).await?;
    let devices_tab = format!("/licenses/{}/devices", keys[0].0);
    pages::expect_ok(addr, pages::browser_get(addr, &devices_tab, Some(&cookie))).await?;
    let devices = scenario(
        "SSR Devices tab",
        plan,
        Arc::new({
            let (devices_tab, cookie) = (devices_tab.clone(), cookie.clone());
            move |_, _| pages::browser_get(addr, &devices_tab, Some(&cookie))
        }),
        StatusCode::OK,
        &server_cpu,
    )
    .await;
    push("SSR Devices tab", "/health", health_rate, devices);

    if backend == "sqlite" {
        // The browser's bytes depend on the build, not the database: measured once.
        eprintln!("   first load in Chromium: /login and {devices_tab}");
        *first_load = Some(pages::first_load(addr, &cookie, &devices_tab));
    }

    if args.scale {
        scale::run(args, url, addr, plan, &server_cpu, rows, backend, run).await?;
    }

    let peak_kib = burst::memory_kib(pid, "VmHWM:")?;
    server.stop();
    Ok((peak_kib, companies[2].clone()))
}

/// Runs one scenario and reports it on stderr as it finishes; also returns the CPU the server
/// used meanwhile (per `server_cpu`, a running total), in cores, warm-up included.
async fn scenario(
    name: &str,
    plan: Plan,
    make: load::MakeRequest,
    expect: StatusCode,
    server_cpu: &dyn Fn() -> Option<Duration>,
) -> (Outcome, Option<f64>) {
    eprintln!(
        "   {name}: {} apps, {} s (+{} s warm-up)",
        plan.concurrency,
        plan.duration.as_secs(),
        plan.warmup.as_secs()
    );
    let (cpu_before, started) = (server_cpu(), Instant::now());
    let outcome = load::run(plan, make, expect).await;
    let cores = cpu_before
        .zip(server_cpu())
        .map(|(before, after)| (after.saturating_sub(before)).as_secs_f64())
        .map(|busy| busy / started.elapsed().as_secs_f64());
    if let Some(err) = &outcome.first_error {
        eprintln!("   {name}: {} errors; first: {err}", outcome.errors);
    }
    (outcome, cores)
}

/// An activation body by license key for a machine.
fn by_key(key: &str, hardware_id: &str) -> Value {
    json!({
        "license_key": key,
        "hardware_id": hardware_id,
        "device_name": "Bench machine",
        "os": "Linux",
    })
}

/// The first string under `field` anywhere in a JSON answer (the token may be nested).
fn find_string(value: &Value, field: &str) -> Option<String> {
    match value {
        Value::Object(map) => map
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| map.values().find_map(|v| find_string(v, field))),
        Value::Array(items) => items.iter().find_map(|v| find_string(v, field)),
        _ => None,
    }
}

/// One server run: its database, its label in the table, and the environment it starts with.
type Target = (String, String, Vec<(&'static str, String)>);

/// What to run: each database, and each SQLite database once per commit mode asked for (the
/// first unmarked, as the default is; the others named after their mode).
fn targets(args: &Args) -> Vec<Target> {
    let mut targets = Vec::new();
    for url in &args.databases {
        let backend = backend_name(url);
        if backend != "sqlite" {
            targets.push((url.clone(), backend.to_owned(), Vec::new()));
            continue;
        }
        for (i, mode) in args.sqlite_synchronous.iter().enumerate() {
            let mode = mode.trim().to_ascii_lowercase();
            let (label, env) = if i == 0 && mode == "full" {
                (backend.to_owned(), Vec::new())
            } else {
                (
                    format!("{backend}-{mode}"),
                    vec![("KEYPORT_SQLITE_SYNCHRONOUS", mode.clone())],
                )
            };
            targets.push((url.clone(), label, env));
        }
    }
    targets
}

fn backend_name(url: &str) -> &'static str {
    if url.starts_with("postgres") {
        "postgres"
    } else if url.starts_with("sqlite") {
        "sqlite"
    } else {
        "other"
    }
}

/// The URL without its password, for the console.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_wherever_it_is() {
        let flat = json!({"device_id": "d", "device_token": "t1"});
        let nested = json!({"data": [{"x": 1}, {"device": {"device_token": "t2"}}]});
        assert_eq!(find_string(&flat, "device_token").as_deref(), Some("t1"));
        assert_eq!(find_string(&nested, "device_token").as_deref(), Some("t2"));
        assert_eq!(
            find_string(&json!({"device_token": 5}), "device_token"),
            None
        );
    }

    #[test]
    fn hides_the_database_password() {
        assert_eq!(
            redact("postgres://keyport:secret@127.0.0.1:5432/keyport_bench"),
            "postgres://keyport:***@127.0.0.1:5432/keyport_bench"
        );
        assert_eq!(
            redact("sqlite://target/bench/keyport.db"),
            "sqlite://target/bench/keyport.db"
        );
    }
}
