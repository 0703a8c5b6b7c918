//! The management API's rules (a vendor's own systems acting for its tenant): its keys, made and
//! revoked by vendor staff, shown once and kept as a hash.

use serde::{Deserialize, Serialize};

use crate::Millis;

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

/// A key as the console and `keyport api-key list` show it: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyEntry {
    pub id: String,
    pub name: String,
    /// The key's first characters, to recognise it by.
    pub prefix: String,
    pub created_by: Option<String>,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
}

/// A key just made: the one time its secret is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub key: String,
}

/// How keys start: recognisable in logs and by secret scanners.
pub const KEY_START: &str = "kp_";

/// How much of a key a list shows.
pub const PREFIX_LEN: usize = 12;
