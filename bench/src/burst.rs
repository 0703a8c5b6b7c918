//! The login burst (`make bench`): a thousand simultaneous logins with unknown emails against a
//! freshly started server, its resident memory read from /proc before, during and after, and one
//! correct login sent into the burst from another address.
//!
//! Every password check is an Argon2id hash of 19 MiB; this shows the bound on how many run at
//! once (licensing's `auth::hashing`) and that the allocator gives the memory back.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::StatusCode;
use licensing::demo::DEMO_PASSWORD;
use serde_json::json;

use crate::keyport::{post_json, Server};
use crate::load;

/// How long the server is left alone after the burst before its memory is read again.
pub const SETTLE: Duration = Duration::from_secs(30);

/// What the burst measured.
pub struct Report {
    pub requests: usize,
    /// Answers by status; a request that got none counts under 0.
    pub statuses: BTreeMap<u16, usize>,
    pub idle_kib: u64,
    pub peak_kib: u64,
    pub settled_kib: u64,
    /// How long the burst took until its last answer.
    pub burst: Duration,
    /// The correct login: its status, and how many tries it took (503 busy asks to retry).
    pub correct: (u16, u32),
}

impl Report {
    /// Every request answered with 401, 429 or 503, and the correct login in.
    pub fn ok(&self) -> bool {
        self.statuses.keys().all(|s| [401, 429, 503].contains(s)) && self.correct.0 == 201
    }
}

/// `VmRSS` (now) or `VmHWM` (peak) of a process, in KiB.
pub fn memory_kib(pid: u32, field: &str) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("/proc/{pid}/status: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no {field} in /proc/{pid}/status"))
}

/// Starts a server of its own on `url`, where `company` has the demo's accounts, and runs the
/// burst of `requests` logins.
pub async fn run(
    bin: &Path,
    url: &str,
    log: std::path::PathBuf,
    company: &str,
    requests: usize,
) -> Result<Report, String> {
    let mut server = Server::start(bin, url, log, &[])?;
    server.wait_healthy(Duration::from_secs(60)).await?;
    let (addr, pid) = (server.addr, server.pid());
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_kib = memory_kib(pid, "VmRSS:")?;

    let login = |email: String, password: &str, machine: String| {
        json!({
            "company": company,
            "email": email,
            "password": password,
            "hardware_id": machine,
            "device_name": "Burst machine",
            "os": "Linux",
        })
    };
    // Every connection is open before the first request goes out, so they arrive together.
    // From an address of its own: the burst's failures must not throttle the runs after it.
    let mut senders = Vec::with_capacity(requests);
    for _ in 0..requests {
        senders.push(load::connect_from(addr, IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3))).await?);
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(requests + 1));
    let started = Instant::now();
    let tasks: Vec<_> = senders
        .into_iter()
        .enumerate()
        .map(|(i, mut sender)| {
            let request = post_json(
                addr,
                crate::ACTIVATIONS,
                &login(
                    format!("nobody-{i}@burst.example"),
                    "not-the-password",
                    format!("burst-{i}"),
                ),
            );
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                match load::exchange(&mut sender, request).await {
                    Ok((status, _)) => status.as_u16(),
                    Err(_) => 0,
                }
            })
        })
        .collect();
    barrier.wait().await;
    let correct = correct_login(
        addr,
        &login(
            "user@acme.example".into(),
            DEMO_PASSWORD,
            "burst-correct".into(),
        ),
    )
    .await?;
    let mut statuses = BTreeMap::new();
    for task in tasks {
        *statuses.entry(task.await.unwrap_or(0)).or_default() += 1;
    }
    let burst = started.elapsed();
    let peak_kib = memory_kib(pid, "VmHWM:")?;
    tokio::time::sleep(SETTLE).await;
    let settled_kib = memory_kib(pid, "VmRSS:")?;
    server.stop();
    Ok(Report {
        requests,
        statuses,
        idle_kib,
        peak_kib,
        settled_kib,
        burst,
        correct,
    })
}

/// A correct login from another client address (127.0.0.2), retried when the server says it is
/// busy, as its `Retry-After` (1 s) asks.
async fn correct_login(
    addr: std::net::SocketAddr,
    body: &serde_json::Value,
) -> Result<(u16, u32), String> {
    let mut conn = load::connect_from(addr, IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))).await?;
    for attempt in 1..=30 {
        let (status, _) =
            load::exchange(&mut conn, post_json(addr, crate::ACTIVATIONS, body)).await?;
        if status != StatusCode::SERVICE_UNAVAILABLE {
            return Ok((status.as_u16(), attempt));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    Ok((503, 30))
}
