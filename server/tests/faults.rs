//! Faults: the server killed with SIGKILL in the middle of a stream of activations and
//! deactivations loses no acknowledged change, breaks no limit and leaves a sound database;
//! SIGTERM drains in-flight requests and closes the database before exiting; a database that goes
//! away gives "temporarily unavailable" and the server recovers by itself when it returns.
//!
//! SQLite by default; the Postgres of `KEYPORT_TEST_DATABASE_URL` when it is set. The database
//! outage is staged with a TCP proxy in front of Postgres (so the shared cluster keeps running
//! for everyone else) and is skipped on SQLite.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use licensing::store::Backend;
use licensing::Store;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinHandle;

mod common;
use common::{demo_tenant, random_hex, test_database, Server, DATABASE_ENV, QUIET};

const UNAVAILABLE: &str = "Keyport is temporarily unavailable. Please try again in a moment.";

// ---------------------------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------------------------

async fn start(url: &str) -> Server {
    Server::start_with_env(url, QUIET).await
}

fn client() -> reqwest::Client {
    common::portal_client()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client")
}

fn activation_body(license_key: &str, hardware_id: &str) -> String {
    json!({
        "license_key": license_key,
        "hardware_id": hardware_id,
        "device_name": format!("Device {hardware_id}"),
        "os": "Linux",
    })
    .to_string()
}

/// xorshift64*: enough randomness for kill points, and the seed is printed so a failing run can
/// be replayed.
struct Rng(u64);

impl Rng {
    fn seeded(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

async fn count(store: &Store, sql: &str, license_id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(license_id)
        .fetch_one(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// kill -9 in the middle of a stream
// ---------------------------------------------------------------------------------------------

const WORKERS: usize = 6;
const HARDWARE_PER_WORKER: usize = 4;
const ROUNDS: usize = 5;
/// Slots for 4 new devices next to the demo's 4, so 24 hardware ids keep running into the limit.
const MAX_ACTIVATIONS: i64 = 8;
/// Deactivations the vendor grants before each round, so every round spends and exhausts them.
const DEACTIVATIONS_PER_ROUND: i64 = 5;

/// What the server acknowledged (answered 2xx to) before it died, and what was merely attempted.
#[derive(Default, Clone)]
struct Ledger {
    /// (device id, hardware id) of every acknowledged activation.
    activated: Vec<(String, String)>,
    /// Devices a deactivation was sent for, acknowledged or not: only these may be inactive.
    deactivation_sent: HashSet<String>,
    deactivated: HashSet<String>,
    too_many_devices: usize,
    deactivation_limit: usize,
    /// Answers no healthy server should give under load (5xx and the like).
    unexpected: Vec<String>,
}

/// One worker's own hardware ids and the device and token each one last got. Workers own
/// disjoint hardware ids, so a token is only ever rotated by its own worker.
struct Worker {
    hardware: Vec<String>,
    held: HashMap<String, (String, String)>,
    rng: Rng,
}

impl Worker {
    /// Sends activations and deactivations until the server stops answering.
    async fn run(
        mut self,
        base: String,
        license_key: String,
        ledger: Arc<Mutex<Ledger>>,
        answered: Arc<AtomicUsize>,
    ) -> Self {
        let client = client();
        for _ in 0..10_000 {
            let hw = self.hardware[self.rng.below(self.hardware.len() as u64) as usize].clone();
            let deactivate = self.held.contains_key(&hw) && self.rng.below(2) == 0;
            let alive = if deactivate {
                let (device_id, token) = self.held[&hw].clone();
                ledger
                    .lock()
                    .unwrap()
                    .deactivation_sent
                    .insert(device_id.clone());
                let sent = client
                    .delete(format!("{base}/api/v1/device"))
                    .bearer_auth(&token)
                    .send()
                    .await;
                match read(sent).await {
                    None => {
                        // Whether it was applied is unknown: the token may be spent.
                        self.held.remove(&hw);
                        false
                    }
                    Some((200, _)) => {
                        ledger.lock().unwrap().deactivated.insert(device_id);
                        self.held.remove(&hw);
                        true
                    }
                    Some((409, body)) if body["error"] == "deactivation_limit_reached" => {
                        ledger.lock().unwrap().deactivation_limit += 1;
                        true
                    }
                    // Rotated or deactivated by a request that died with an earlier server.
                    Some((401 | 410, _)) => {
                        self.held.remove(&hw);
                        true
                    }
                    Some((status, body)) => {
                        ledger
                            .lock()
                            .unwrap()
                            .unexpected
                            .push(format!("DELETE {status} {body}"));
                        true
                    }
                }
            } else {
                let sent = client
                    .post(format!("{base}/api/v1/activations"))
                    .header("content-type", "application/json")
                    .body(activation_body(&license_key, &hw))
                    .send()
                    .await;
                match read(sent).await {
                    None => {
                        self.held.remove(&hw);
                        false
                    }
                    Some((200 | 201, body)) => {
                        let device_id = body["device_id"].as_str().expect("device_id").to_owned();
                        let token = body["device_token"].as_str().expect("token").to_owned();
                        ledger
                            .lock()
                            .unwrap()
                            .activated
                            .push((device_id.clone(), hw.clone()));
                        self.held.insert(hw, (device_id, token));
                        true
                    }
                    Some((409, body)) if body["error"] == "too_many_devices" => {
                        ledger.lock().unwrap().too_many_devices += 1;
                        true
                    }
                    Some((status, body)) => {
                        ledger
                            .lock()
                            .unwrap()
                            .unexpected
                            .push(format!("POST {status} {body}"));
                        true
                    }
                }
            };
            if !alive {
                break;
            }
            answered.fetch_add(1, Ordering::SeqCst);
        }
        self
    }
}

/// Status and JSON body of a complete answer; `None` when the server died before finishing it
/// (an answer whose body never arrived acknowledges nothing).
async fn read(sent: reqwest::Result<reqwest::Response>) -> Option<(u16, Value)> {
    let response = sent.ok()?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.ok()?;
    Some((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

/// The license's figures before the stream: the seed's own devices and events are not ours.
struct Baseline {
    deactivations_used: i64,
    app_deactivated: i64,
    /// `device.activated` events minus device rows (the seed may activate without auditing).
    activated_events_minus_devices: i64,
}

impl Baseline {
    async fn read(store: &Store, license_id: &str) -> Self {
        Self {
            deactivations_used: count(
                store,
                "SELECT deactivations_used FROM licenses WHERE id = $1",
                license_id,
            )
            .await,
            app_deactivated: count(
                store,
                "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND deactivated_reason = 'app'",
                license_id,
            )
            .await,
            activated_events_minus_devices: activated_events_minus_devices(store, license_id).await,
        }
    }
}

async fn activated_events_minus_devices(store: &Store, license_id: &str) -> i64 {
    count(
        store,
        "SELECT COUNT(*) FROM audit_events WHERE license_id = $1 AND action = 'device.activated'",
        license_id,
    )
    .await
        - count(
            store,
            "SELECT COUNT(*) FROM devices WHERE license_id = $1",
            license_id,
        )
        .await
}

/// Every acknowledged change is in the database, no limit is exceeded, counters agree with the
/// rows they count, and the database itself is sound.
async fn verify(store: &Store, license_id: &str, ledger: &Ledger, baseline: &Baseline) {
    for (device_id, hardware_id) in &ledger.activated {
        let row: Option<(String, Option<i64>)> = sqlx::query_as(
            "SELECT hardware_id, deactivated_at FROM devices WHERE id = $1 AND license_id = $2",
        )
        .bind(device_id)
        .bind(license_id)
        .fetch_optional(store.pool())
        .await
        .expect("read a device");
        let (stored_hw, deactivated_at) =
            row.unwrap_or_else(|| panic!("acknowledged activation {device_id} is lost"));
        assert_eq!(&stored_hw, hardware_id, "device {device_id}");
        if !ledger.deactivation_sent.contains(device_id) {
            assert_eq!(
                deactivated_at, None,
                "acknowledged activation {device_id} is no longer active, yet nobody reset it"
            );
        }
    }
    for device_id in &ledger.deactivated {
        let reason: Option<Option<String>> = sqlx::query_scalar(
            "SELECT deactivated_reason FROM devices WHERE id = $1 AND deactivated_at IS NOT NULL",
        )
        .bind(device_id)
        .fetch_optional(store.pool())
        .await
        .expect("read a device");
        assert_eq!(
            reason,
            Some(Some("app".to_owned())),
            "acknowledged deactivation of {device_id} is lost"
        );
    }

    let (max_activations, max_deactivations, used): (i64, i64, i64) = sqlx::query_as(
        "SELECT max_activations, max_deactivations, deactivations_used FROM licenses WHERE id = $1",
    )
    .bind(license_id)
    .fetch_one(store.pool())
    .await
    .expect("read the license");
    let active = count(
        store,
        "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND deactivated_at IS NULL",
        license_id,
    )
    .await;
    assert!(
        active <= max_activations,
        "{active} active devices, limit {max_activations}"
    );
    assert!(
        used <= max_deactivations,
        "{used} deactivations used, limit {max_deactivations}"
    );
    let duplicates = count(
        store,
        "SELECT COUNT(*) FROM (SELECT hardware_id FROM devices \
           WHERE license_id = $1 AND deactivated_at IS NULL \
           GROUP BY hardware_id HAVING COUNT(*) > 1) d",
        license_id,
    )
    .await;
    assert_eq!(duplicates, 0, "a hardware id holds two active slots");

    // A counter changed without its rows (or the other way round) means a torn transaction.
    let app_deactivated = count(
        store,
        "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND deactivated_reason = 'app'",
        license_id,
    )
    .await;
    assert_eq!(
        used - baseline.deactivations_used,
        app_deactivated - baseline.app_deactivated,
        "deactivations_used disagrees with the deactivated devices"
    );
    let deactivation_events = count(
        store,
        "SELECT COUNT(*) FROM audit_events WHERE license_id = $1 \
           AND action = 'device.deactivated_by_app'",
        license_id,
    )
    .await;
    assert_eq!(
        deactivation_events,
        app_deactivated - baseline.app_deactivated,
        "a deactivation without its audit event, or the other way round"
    );
    assert_eq!(
        activated_events_minus_devices(store, license_id).await,
        baseline.activated_events_minus_devices,
        "an activation without its audit event, or the other way round"
    );
    let orphans: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM devices d \
                   WHERE NOT EXISTS (SELECT 1 FROM licenses l WHERE l.id = d.license_id)) \
              + (SELECT COUNT(*) FROM audit_events e WHERE e.license_id IS NOT NULL \
                   AND NOT EXISTS (SELECT 1 FROM licenses l WHERE l.id = e.license_id))",
    )
    .fetch_one(store.pool())
    .await
    .expect("count orphans");
    assert_eq!(orphans, 0, "rows pointing at no license");

    if store.backend() == Backend::Sqlite {
        let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(store.pool())
            .await
            .expect("integrity_check");
        assert_eq!(integrity, ["ok"], "PRAGMA integrity_check");
        let broken = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(store.pool())
            .await
            .expect("foreign_key_check");
        assert!(
            broken.is_empty(),
            "{} rows fail PRAGMA foreign_key_check",
            broken.len()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_mid_stream_keeps_every_acknowledged_change_and_every_limit() {
    let started = Instant::now();
    let (url, _dir) = test_database("faults-kill");
    let store = Store::connect(&url).await.expect("open the test database");
    let tenant = demo_tenant(&store, "faults").await;
    sqlx::query("UPDATE licenses SET max_activations = $1 WHERE id = $2")
        .bind(MAX_ACTIVATIONS)
        .bind(&tenant.license_id)
        .execute(store.pool())
        .await
        .expect("set the activation limit");
    let baseline = Baseline::read(&store, &tenant.license_id).await;
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("kill -9 test: seed {seed}");
    let mut rng = Rng::seeded(seed);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut workers: Vec<Worker> = (0..WORKERS)
        .map(|w| Worker {
            hardware: (0..HARDWARE_PER_WORKER)
                .map(|h| format!("hw-{w}-{h}"))
                .collect(),
            held: HashMap::new(),
            rng: Rng::seeded(rng.next()),
        })
        .collect();

    let mut server = start(&url).await;
    for round in 0..ROUNDS {
        // The vendor restores the budget, as support would, so every round resets devices.
        sqlx::query(
            "UPDATE licenses SET max_deactivations = deactivations_used + $1 WHERE id = $2",
        )
        .bind(DEACTIVATIONS_PER_ROUND)
        .bind(&tenant.license_id)
        .execute(store.pool())
        .await
        .expect("restore the deactivation budget");
        let answered = Arc::new(AtomicUsize::new(0));
        let running: Vec<JoinHandle<Worker>> = workers
            .drain(..)
            .map(|worker| {
                tokio::spawn(worker.run(
                    server.base.clone(),
                    tenant.license_key.clone(),
                    ledger.clone(),
                    answered.clone(),
                ))
            })
            .collect();
        // Late enough that both limits have been reached, at a point nobody chose.
        let kill_after = 40 + rng.below(60) as usize;
        let deadline = Instant::now() + Duration::from_secs(20);
        while answered.load(Ordering::SeqCst) < kill_after {
            assert!(
                Instant::now() < deadline,
                "round {round}: only {} answers in 20 s",
                answered.load(Ordering::SeqCst)
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        tokio::time::sleep(Duration::from_micros(rng.below(5_000))).await;
        server.kill();
        for handle in running {
            workers.push(
                tokio::time::timeout(Duration::from_secs(40), handle)
                    .await
                    .expect("workers stop once the server is gone")
                    .expect("worker panicked"),
            );
        }
        server = start(&url).await;
        let ledger = ledger.lock().unwrap().clone();
        verify(&store, &tenant.license_id, &ledger, &baseline).await;
        eprintln!(
            "round {round}: killed after {kill_after} answers; so far {} activations and {} \
             deactivations acknowledged, {} too_many_devices, {} deactivation_limit_reached",
            ledger.activated.len(),
            ledger.deactivated.len(),
            ledger.too_many_devices,
            ledger.deactivation_limit,
        );
    }
    let ledger = ledger.lock().unwrap().clone();
    assert!(
        ledger.unexpected.is_empty(),
        "unexpected answers: {:?}",
        ledger.unexpected
    );
    // Without these the limits were never under pressure and the test proved little.
    assert!(
        ledger.too_many_devices > 0,
        "the activation limit was never reached"
    );
    assert!(
        !ledger.deactivated.is_empty(),
        "no deactivation acknowledged"
    );
    // The last restart came up on the database the kill left behind, and serves.
    let restarted = client()
        .get(server.at("/health"))
        .send()
        .await
        .expect("health after restart");
    assert_eq!(restarted.status(), 200);
    eprintln!("kill -9 test took {:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------------
// SIGTERM drains
// ---------------------------------------------------------------------------------------------

/// Reads until the end of a response head (`\r\n\r\n`), with a deadline.
async fn read_head(conn: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    tokio::time::timeout(Duration::from_secs(15), async {
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = conn.read(&mut buf).await.expect("read");
            assert!(
                n > 0,
                "connection closed: {}",
                String::from_utf8_lossy(&got)
            );
            got.extend_from_slice(&buf[..n]);
        }
    })
    .await
    .expect("a response head within 15 s");
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_in_flight_requests_then_closes_the_database() {
    let (url, _dir) = test_database("faults-term");
    let store = Store::connect(&url).await.expect("open the test database");
    let tenant = demo_tenant(&store, "faults").await;
    // Only the server may hold the SQLite file open while it exits (see the WAL check below).
    store.pool().close().await;
    let mut server = start(&url).await;

    // An idle keep-alive connection must not hold the shutdown up.
    let mut idle = TcpStream::connect(server.addr).await.expect("connect");
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: keyport\r\n\r\n")
        .await
        .unwrap();
    assert!(read_head(&mut idle).await.starts_with("HTTP/1.1 200"));

    // An activation whose body is held back: `100 Continue` says the handler is reading it, so
    // the request is provably in flight when the signal arrives.
    let body = activation_body(&tenant.license_key, "drained-machine");
    let mut in_flight = TcpStream::connect(server.addr).await.expect("connect");
    let head = format!(
        "POST /api/v1/activations HTTP/1.1\r\nHost: keyport\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).await.unwrap();
    let continue_head = read_head(&mut in_flight).await;
    assert!(continue_head.starts_with("HTTP/1.1 100"), "{continue_head}");

    server.sigterm();
    // New connections are refused once the signal is handled: the listener is closed.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match TcpStream::connect(server.addr).await {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
            Err(e) if e.kind() != std::io::ErrorKind::ConnectionReset => {
                panic!("connecting after SIGTERM: {e}")
            }
            // Accepted by the kernel just before the listener closed (then reset): try again.
            _ => {
                assert!(
                    Instant::now() < deadline,
                    "still accepting connections 10 s after SIGTERM"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    assert!(server.running(), "exited with a request in flight");

    in_flight.write_all(body.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(15), in_flight.read_to_end(&mut answer))
        .await
        .expect("the in-flight request is answered within 15 s")
        .expect("read the answer");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    let status = server
        .exit_within(Duration::from_secs(15))
        .await
        .expect("keyport exits within 15 s of SIGTERM");
    assert!(status.success(), "keyport exited with {status}");
    drop(idle);

    let store = Store::connect(&url).await.expect("reopen the database");
    let drained: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND hardware_id = 'drained-machine' \
           AND deactivated_at IS NULL",
    )
    .bind(&tenant.license_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(drained, 1, "the drained activation was not committed");
    if let Some(path) = url.strip_prefix("sqlite://") {
        // A server that closed its database on the way out leaves one self-contained file; a
        // WAL with pages in it means it exited with its work still to be replayed.
        let wal = format!("{path}-wal");
        let left = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        store.pool().close().await;
        assert_eq!(
            left, 0,
            "{wal} left behind: the database was not closed on exit"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The database goes away and comes back (Postgres)
// ---------------------------------------------------------------------------------------------

/// A TCP proxy in front of Postgres that can cut every connection and refuse new ones, so one
/// server loses its database while the shared cluster keeps serving everyone else.
struct Proxy {
    addr: SocketAddr,
    upstream: String,
    accept: Option<JoinHandle<()>>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(upstream: String) -> Self {
        // Below Linux's ephemeral range (32768 and up), so no outgoing connection can take the
        // port while the proxy is down and keep it from listening again.
        let mut rng = Rng::seeded(u64::from_str_radix(&random_hex(12), 16).unwrap());
        for _ in 0..100 {
            let mut proxy = Self {
                addr: SocketAddr::from(([127, 0, 0, 1], 20_000 + rng.below(12_000) as u16)),
                upstream: upstream.clone(),
                accept: None,
                links: Arc::default(),
            };
            if proxy.restore().is_ok() {
                return proxy;
            }
        }
        panic!("no free port for the proxy");
    }

    /// Listens (again) on the proxy's port and forwards every new connection.
    fn restore(&mut self) -> std::io::Result<()> {
        let socket = TcpSocket::new_v4()?;
        // The cut connections linger in TIME_WAIT on this port.
        socket.set_reuseaddr(true)?;
        socket.bind(self.addr)?;
        let listener = socket.listen(64)?;
        let (upstream, links) = (self.upstream.clone(), self.links.clone());
        self.accept = Some(tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    continue;
                };
                let upstream = upstream.clone();
                links.lock().unwrap().push(tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                }));
            }
        }));
        Ok(())
    }

    /// Drops every connection and closes the port: to the server, the database is gone.
    async fn cut(&mut self) {
        if let Some(accept) = self.accept.take() {
            accept.abort();
            let _ = accept.await;
        }
        let links: Vec<_> = self.links.lock().unwrap().drain(..).collect();
        for link in links {
            link.abort();
            let _ = link.await;
        }
    }
}

/// Status and body of a response, with a deadline.
async fn fetch(request: reqwest::RequestBuilder) -> (u16, String) {
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_outage_answers_503_and_recovers_without_a_restart() {
    let real = match std::env::var(DATABASE_ENV) {
        Ok(url) if url.starts_with("postgres") => url,
        _ => {
            eprintln!("skipped: the database outage is staged on Postgres ({DATABASE_ENV})");
            return;
        }
    };
    let started = Instant::now();
    let store = Store::connect(&real).await.expect("open the test database");
    let tenant = demo_tenant(&store, "faults").await;
    // From an address of its own: other suites' failed logins from 127.0.0.1 share this
    // database's throttle.
    let session = licensing::auth::login(
        &store,
        &licensing::auth::Credentials {
            company: tenant.company_id.clone(),
            email: "manager@acme.example".into(),
            password: licensing::demo::DEMO_PASSWORD.into(),
        },
        None,
        licensing::auth::SessionPolicy::default(),
        &licensing::auth::ThrottlePolicy::default(),
        "2001:db8::fa17",
    )
    .await
    .expect("log in the manager");
    let cookie = format!("keyport_session={}", session.token);
    let parsed = reqwest::Url::parse(&real).expect("a database URL");
    let upstream = format!(
        "{}:{}",
        parsed.host_str().expect("a host"),
        parsed.port().unwrap_or(5432)
    );
    let mut proxy = Proxy::start(upstream).await;
    let mut via_proxy = parsed.clone();
    via_proxy.set_host(Some("127.0.0.1")).unwrap();
    via_proxy.set_port(Some(proxy.addr.port())).unwrap();
    let mut server = start(via_proxy.as_str()).await;
    let pid = server.pid();
    let http = client();

    let page = || {
        http.get(server.at("/dashboard"))
            .header("cookie", &cookie)
            .header("accept-language", "en")
    };
    let server_fn = || {
        http.post(server.at("/api/get_dashboard"))
            .header("cookie", &cookie)
            .header("accept-language", "en")
            .header("sec-fetch-site", "same-origin")
            .header("content-type", "application/x-www-form-urlencoded")
    };
    let activate = |hw: &str| {
        http.post(server.at("/api/v1/activations"))
            .header("content-type", "application/json")
            .body(activation_body(&tenant.license_key, hw))
    };
    let health = || http.get(server.at("/health"));

    assert_eq!(
        fetch(page()).await.0,
        200,
        "the dashboard before the outage"
    );
    assert_eq!(fetch(activate("before")).await.0, 201);

    proxy.cut().await;
    // Concurrently: each waits out the pool's acquire timeout.
    let (h, p, f, a) = tokio::join!(
        fetch(health()),
        fetch(page()),
        fetch(server_fn()),
        fetch(activate("during"))
    );
    assert_eq!(h.0, 503, "/health while the database is away: {}", h.1);
    assert_eq!(
        p.0, 503,
        "the dashboard while the database is away: {}",
        p.1
    );
    assert!(p.1.contains(UNAVAILABLE), "the dashboard says: {}", p.1);
    assert_eq!(
        f.0, 503,
        "a server function while the database is away: {}",
        f.1
    );
    // A server function answers with the error itself; the page shows it as this message.
    let f: licensing::AppError = serde_json::from_str(&f.1).expect("a server function error");
    assert_eq!(f, licensing::AppError::Unavailable);
    assert_eq!(
        app::error_text::error_text_in(app::i18n::Locale::En, &f),
        UNAVAILABLE
    );
    assert_eq!(
        a.0, 503,
        "an activation while the database is away: {}",
        a.1
    );
    let a: Value = serde_json::from_str(&a.1).expect("a JSON error");
    assert_eq!(a["error"], "unavailable", "{a}");
    assert_eq!(a["message"], UNAVAILABLE, "{a}");

    proxy.restore().expect("listen on the proxy's port again");
    let deadline = Instant::now() + Duration::from_secs(30);
    while fetch(health()).await.0 != 200 {
        assert!(
            Instant::now() < deadline,
            "not healthy 30 s after the database returned"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(fetch(page()).await.0, 200, "the dashboard after the outage");
    assert_eq!(fetch(server_fn()).await.0, 200, "a server function after");
    assert_eq!(fetch(activate("after")).await.0, 201);
    assert!(
        server.running() && server.pid() == pid,
        "recovered by a restart"
    );
    eprintln!("outage test took {:?}", started.elapsed());
}
