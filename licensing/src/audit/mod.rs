//! The audit log: who changed what, when and from where, as the portal's Activity tab shows it.

use serde::{Deserialize, Serialize};

use crate::Millis;

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: Millis,
    /// Name of the account that acted; `None` for the system or a license-key activation.
    pub actor: Option<String>,
    /// A dotted verb, e.g. `device.reset`.
    pub action: String,
    /// What it was done to: a device name, an account, a summary.
    pub subject: String,
    pub ip: Option<String>,
    /// The license it concerns, as "customer · product", in the tenant-wide log.
    #[serde(default)]
    pub license: Option<String>,
}

/// One page of the log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// 1-based.
    pub page: u32,
    pub has_more: bool,
}

/// Events per page of the Activity tab.
pub const PAGE_SIZE: u32 = 25;

/// What the vendor's tenant-wide log is narrowed to; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub customer_id: Option<String>,
    pub license_id: Option<String>,
    /// Part of the actor's name or email.
    pub actor: Option<String>,
    /// A kind of event: one of [`KINDS`].
    pub kind: Option<String>,
    /// From this time on (inclusive), UTC milliseconds.
    pub from: Option<Millis>,
    /// Before this time (exclusive), UTC milliseconds.
    pub until: Option<Millis>,
}

/// The kinds of event the log can be narrowed to: the first part of an action. The console names
/// them through the catalogs (`audit.kind.*`).
pub const KINDS: [&str; 5] = ["device", "license", "user", "customer", "signing_key"];
