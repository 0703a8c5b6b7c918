//! Keyport's domain: the license rules, the types the portal shares with the browser, and (behind
//! the `server` feature) the services and the SQLite/Postgres storage that enforce those rules.
//!
//! Without `server` this crate compiles to WASM and holds only serde types, so the UI and the
//! services agree on one shape for every value that crosses the wire.

#[cfg(feature = "server")]
pub mod access;
pub mod audit;
pub mod auth;
pub mod customers;
pub mod devices;
pub mod error;
pub mod flash;
pub mod i18n;
pub mod import;
pub mod input;
pub mod licenses;
pub mod mail;
pub mod manage;
pub mod offline;
pub mod users;
pub mod webhooks;

#[cfg(feature = "server")]
pub mod demo;
#[cfg(feature = "server")]
pub mod licensespring;
#[cfg(feature = "server")]
pub mod products;
#[cfg(feature = "server")]
pub mod secret;
#[cfg(feature = "server")]
pub mod signing;
#[cfg(feature = "server")]
pub mod store;
#[cfg(feature = "server")]
pub mod tenants;
#[cfg(feature = "test-support")]
pub mod testing;

pub use error::{AppError, ConflictReason, Field, InvalidReason, Thing};

/// Milliseconds since the Unix epoch, UTC. Stored as a 64-bit integer so SQLite and Postgres
/// compare and sort it the same way.
pub type Millis = i64;

#[cfg(feature = "server")]
pub fn now_millis() -> Millis {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

#[cfg(feature = "server")]
pub use store::Store;
