//! Faults: the server killed with SIGKILL in the middle of a stream of activations and
//! deactivations loses no acknowledged change, breaks no limit and leaves a sound database;
//! SIGTERM drains in-flight requests and closes the database before exiting; a database that goes
//! away gives "temporarily unavailable" and the server recovers by itself when it returns.
//!
//! SQLite by default; the Postgres of `KEYPORT_TEST_DATABASE_URL` when it is set. The database
//! outage is staged with a TCP proxy in front of Postgres (so the shared cluster keeps running
//! for everyone else) and is skipped on SQLite.

use std::time::Duration;

use serde_json::json;

mod common;
use common::{Server, QUIET};

#[path = "faults/drain.rs"]
mod drain;
#[path = "faults/kill9.rs"]
mod kill9;
#[path = "faults/outage.rs"]
mod outage;

// ---------------------------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------------------------

pub(crate) async fn start(url: &str) -> Server {
    Server::start_with_env(url, QUIET).await
}

pub(crate) fn client() -> reqwest::Client {
    common::portal_client()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client")
}

pub(crate) fn activation_body(license_key: &str, hardware_id: &str) -> String {
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
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn seeded(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
