//! The server's memory: what a fresh process holds, and a burst of bogus logins answered within a
//! bound. SQLite by default; the Postgres of `KEYPORT_TEST_DATABASE_URL` when it is set.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use licensing::Store;
use serde_json::json;
use tokio::task::JoinHandle;

mod common;
use common::{demo_tenant, random_hex, test_database, workspace_root, Server, BIN, QUIET};

/// A field of `/proc/<pid>/status`, its unit dropped.
fn proc_status(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/{pid}/status"))
}

/// The allocator marks its arena for transparent huge pages, and with THP in `madvise` mode
/// (Debian's default) a fresh server then held 57 MiB, 37 of them 2 MiB pages mostly unused. The
/// server turns THP off for itself before it allocates: the kernel says so in `THP_enabled`,
/// whatever this machine's THP mode.
#[tokio::test]
async fn the_server_uses_small_pages() {
    let (url, _dir) = test_database("pages");
    let server = Server::start_with_env(&url, QUIET).await;
    assert_eq!(
        proc_status(server.pid(), "THP_enabled"),
        0,
        "transparent huge pages are still on for the server"
    );
}

/// The stored hash of an account of the tenant, by email.
async fn stored_hash(store: &Store, company: &str, email: &str) -> String {
    sqlx::query_scalar(
        "SELECT a.password_hash FROM accounts a JOIN tenants t ON t.id = a.tenant_id \
         WHERE t.company_key = $1 AND a.email = $2",
    )
    .bind(company.to_lowercase())
    .bind(email)
    .fetch_one(store.pool())
    .await
    .expect("the account's hash")
}

/// This test process hashes at Argon2's least cost (`testing::test_database` turns it on); a
/// `keyport` process never does, so what it hashes, and the memory the burst below measures, is
/// the real cost: 7 MiB and 5 passes.
#[tokio::test]
async fn a_keyport_process_hashes_at_full_cost_while_the_tests_own_fixtures_are_light() {
    let (url, _dir) = test_database("cost");
    let store = Store::connect(&url).await.expect("open the test database");
    let light = demo_tenant(&store, "CostLight").await;
    let company = format!("CostFull-{}", random_hex(8));
    let out = std::process::Command::new(BIN)
        .current_dir(workspace_root())
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .args(["demo-tenant", "--company", &company])
        .output()
        .expect("run keyport demo-tenant");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let email = "manager@acme.example";
    let full = stored_hash(&store, &company, email).await;
    assert!(full.contains("m=7168,t=5,p=1"), "{full}");
    let fixture = stored_hash(&store, &light.company_id, email).await;
    assert!(fixture.contains("m=8,t=1,p=1"), "{fixture}");
}

fn random_octet() -> u8 {
    u8::from_str_radix(&random_hex(2), 16).expect("hex").max(1)
}

/// Each password check takes 7 MiB of Argon2 memory (19 MiB with the crate's defaults): without a bound on how many run at once, a
/// few hundred simultaneous bogus logins took gigabytes. With it, every one of them gets an
/// answer (401, 429, or 503 busy with `Retry-After`), the process stays up well under the bound
/// below, and a correct login sent into the burst gets through (retrying when told busy, as the
/// answer says).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_bogus_logins_is_answered_within_a_memory_bound() {
    /// Several times an idle server plus the hashes one core each can run; 300 unbounded
    /// checks would take about 2.1 GB.
    const PEAK_BOUND_KIB: u64 = 192 * 1024;
    const BURST: usize = 300;
    let (url, _dir) = test_database("burst");
    let store = Store::connect(&url).await.expect("open the test database");
    let tenant = demo_tenant(&store, "burst").await;
    let mut proc = Server::start_with_env(&url, QUIET).await;
    let pid = proc.pid();
    // Loopback addresses of the test's own (Linux routes all of 127.0.0.0/8 to `lo`): on a
    // shared Postgres the burst's failures must not count against other suites' 127.0.0.1, and
    // the correct login comes from another client than the burst.
    let from = |octet: u8| {
        let local = std::net::Ipv4Addr::new(127, octet, random_octet(), random_octet());
        common::portal_client()
            .local_address(std::net::IpAddr::V4(local))
            .build()
            .expect("HTTP client")
    };
    let (http, other) = (from(101), from(102));
    let login = |email: String, password: &str, i: usize| {
        json!({
            "company": tenant.company_id,
            "email": email,
            "password": password,
            "hardware_id": format!("burst-{i}"),
            "device_name": format!("Burst {i}"),
            "os": "Linux",
        })
    };
    let barrier = Arc::new(tokio::sync::Barrier::new(BURST + 1));
    let bogus: Vec<JoinHandle<u16>> = (0..BURST)
        .map(|i| {
            let request = http.post(proc.at("/api/v1/activations")).json(&login(
                format!("bogus-{i}-{}@example.com", random_hex(8)),
                "not-the-password",
                i,
            ));
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                request.send().await.expect("an answer").status().as_u16()
            })
        })
        .collect();
    barrier.wait().await;
    let mut correct = None;
    for _ in 0..30 {
        let r = other
            .post(proc.at("/api/v1/activations"))
            .json(&login(
                "manager@acme.example".into(),
                licensing::demo::DEMO_PASSWORD,
                BURST,
            ))
            .send()
            .await
            .expect("an answer");
        match r.status().as_u16() {
            503 => {
                let wait: u64 = r.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                tokio::time::sleep(Duration::from_secs(wait)).await;
            }
            status => {
                correct = Some(status);
                break;
            }
        }
    }
    assert_eq!(
        correct,
        Some(201),
        "the correct login got through the burst"
    );
    let mut by_status = HashMap::<u16, usize>::new();
    for task in bogus {
        *by_status.entry(task.await.expect("task")).or_default() += 1;
    }
    assert_eq!(by_status.values().sum::<usize>(), BURST);
    assert!(
        by_status.keys().all(|s| [401, 429, 503].contains(s)),
        "{by_status:?}"
    );
    assert!(proc.running(), "the server is still up");
    let peak = proc_status(pid, "VmHWM");
    assert!(
        peak < PEAK_BOUND_KIB,
        "peak RSS {} MiB over the bound of {} MiB ({by_status:?})",
        peak / 1024,
        PEAK_BOUND_KIB / 1024
    );
}
