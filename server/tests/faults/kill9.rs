//! kill -9 in the middle of a stream of activations and deactivations: every acknowledged change
//! is kept, no limit is broken, and the database stays sound.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use licensing::store::Backend;
use licensing::Store;
use serde_json::Value;
use tokio::task::JoinHandle;

use crate::common::{demo_tenant, test_database};
use crate::{activation_body, client, start, Rng};

async fn count(store: &Store, sql: &str, license_id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(license_id)
        .fetch_one(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

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
