//! The floor under an activation: a bare one-row insert-and-commit loop through a pool opened
//! the way the server opens its own (same driver, pool size and SQLite commit mode), run by as
//! many tasks as there are simulated apps. An activation is one such transaction plus its reads,
//! so this says how close to the database's own commit rate the device API gets.

use std::time::{Duration, Instant};

use licensing::store::{SqliteSync, StoreOptions};
use licensing::Store;

use crate::load::{Outcome, Plan};

/// Runs the loop for the plan's warm-up and duration against `url`; rows go to a table of the
/// bench's own (`bench_commits`), which the server never reads.
pub async fn run(url: &str, sqlite_sync: Option<&str>, plan: Plan) -> Result<Outcome, String> {
    let sync = match sqlite_sync {
        Some("normal") => SqliteSync::Normal,
        _ => SqliteSync::Full,
    };
    let store = Store::connect_with(url, StoreOptions { sqlite_sync: sync })
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS bench_commits (id TEXT PRIMARY KEY, at BIGINT NOT NULL)",
    )
    .execute(store.pool())
    .await
    .map_err(|e| format!("bench_commits: {e}"))?;
    // The SQLite file is measured once per commit mode: each run's ids are its own.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let start = Instant::now();
    let measure_from = start + plan.warmup;
    let end = measure_from + plan.duration;
    let tasks: Vec<_> = (0..plan.concurrency)
        .map(|task| {
            let store = store.clone();
            tokio::spawn(async move {
                commit_loop(&store, &format!("{run}-{task}"), measure_from, end).await
            })
        })
        .collect();
    let mut outcome = Outcome::empty(plan.duration);
    for task in tasks {
        let (latencies, errors, first_error) = task.await.map_err(|e| e.to_string())?;
        outcome.add(latencies.len() as u64, latencies, errors, first_error);
    }
    outcome.latencies_us.sort_unstable();
    store.pool().close().await;
    Ok(outcome)
}

/// One task's inserts: the latencies of those that finished inside the window, its errors there,
/// and the first of them.
async fn commit_loop(
    store: &Store,
    task: &str,
    measure_from: Instant,
    end: Instant,
) -> (Vec<u32>, u64, Option<String>) {
    let (mut latencies, mut errors, mut first_error) = (Vec::new(), 0, None);
    let mut n = 0u64;
    while Instant::now() < end {
        let sent = Instant::now();
        n += 1;
        let result = insert_one(store, &format!("{task}-{n}")).await;
        let done = Instant::now();
        if done < measure_from || done > end {
            continue;
        }
        match result {
            Ok(()) => latencies.push(micros(done - sent)),
            Err(err) => {
                errors += 1;
                first_error.get_or_insert(err);
            }
        }
    }
    (latencies, errors, first_error)
}

async fn insert_one(store: &Store, id: &str) -> Result<(), String> {
    let mut tx = store.begin().await.map_err(|e| e.to_string())?;
    sqlx::query("INSERT INTO bench_commits (id, at) VALUES ($1, $2)")
        .bind(id)
        .bind(licensing::now_millis())
        .execute(&mut **tx)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}
