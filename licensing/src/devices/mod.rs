//! Devices: the machines a license is activated on, their activation slots and resets.

use serde::{Deserialize, Serialize};

use crate::Millis;

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub os: String,
    pub first_activated_at: Millis,
    pub last_seen_at: Millis,
    /// Name of the person who activated it; `None` for a license-key activation.
    pub activated_by: Option<String>,
    /// Whether the viewer may reset it: managers any device, users their own.
    pub can_reset: bool,
}

/// The result of a reset, for the confirmation the portal shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetOutcome {
    pub license_id: String,
    pub device_name: String,
    pub deactivations_left: i64,
}
