//! Devices: the machines a license is activated on, their activation slots and resets.

use serde::{Deserialize, Serialize};

use crate::Millis;

#[cfg(feature = "server")]
mod activation;
#[cfg(feature = "server")]
mod check_in;
#[cfg(feature = "server")]
mod queued;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use activation::*;
#[cfg(feature = "server")]
pub use check_in::*;
#[cfg(feature = "server")]
pub use service::*;

/// A device as the Devices tab lists it. The list holds only devices the viewer may reset
/// (a manager sees every device, a license user their own), so there is no per-device flag; the
/// deactivation budget is checked by the reset itself, which tells the customer what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct Device {
    pub id: String,
    pub name: String,
    pub os: String,
    pub first_activated_at: Millis,
    pub last_seen_at: Millis,
    /// Name of the person who activated it; `None` for a license-key activation.
    pub activated_by: Option<String>,
}

/// Devices per page of the Devices tab: a license may have thousands.
pub const PAGE_SIZE: u32 = 50;

/// One page of the Devices tab: the devices the viewer may see whose name or hardware id contains
/// the search, in order of first activation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevicePage {
    pub devices: Vec<Device>,
    /// 1-based.
    pub page: u32,
    pub has_more: bool,
    /// How many devices match the search on every page.
    pub total: i64,
}

/// The result of a reset, for the confirmation the portal shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetOutcome {
    pub license_id: String,
    pub device_name: String,
    pub deactivations_left: i64,
}
