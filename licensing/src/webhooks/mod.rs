//! Signed webhooks: a vendor's endpoints get its tenant's events (a device activated, a license
//! suspended...) as they happen, written in the change's transaction and delivered at least once,
//! in order per license, signed with the endpoint's secret.

use serde::{Deserialize, Serialize};

use crate::Millis;

#[cfg(feature = "server")]
mod delivery;
#[cfg(feature = "server")]
mod events;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use delivery::*;
#[cfg(feature = "server")]
pub(crate) use events::{budget_spent, emit_for_audit, event_type_for_audit};
#[cfg(feature = "server")]
pub use service::*;

/// The events an endpoint can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum EventType {
    #[serde(rename = "license.created")]
    LicenseCreated,
    #[serde(rename = "license.updated")]
    LicenseUpdated,
    #[serde(rename = "license.suspended")]
    LicenseSuspended,
    #[serde(rename = "license.resumed")]
    LicenseResumed,
    #[serde(rename = "device.activated")]
    DeviceActivated,
    #[serde(rename = "device.deactivated")]
    DeviceDeactivated,
    #[serde(rename = "device.limit_refused")]
    DeviceLimitRefused,
    #[serde(rename = "deactivation_limit.reached")]
    DeactivationLimitReached,
    #[serde(rename = "seat.assigned")]
    SeatAssigned,
    #[serde(rename = "seat.unassigned")]
    SeatUnassigned,
}

impl EventType {
    pub const ALL: [Self; 10] = [
        Self::LicenseCreated,
        Self::LicenseUpdated,
        Self::LicenseSuspended,
        Self::LicenseResumed,
        Self::DeviceActivated,
        Self::DeviceDeactivated,
        Self::DeviceLimitRefused,
        Self::DeactivationLimitReached,
        Self::SeatAssigned,
        Self::SeatUnassigned,
    ];

    /// The name in a body's `type` and in an endpoint's list.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LicenseCreated => "license.created",
            Self::LicenseUpdated => "license.updated",
            Self::LicenseSuspended => "license.suspended",
            Self::LicenseResumed => "license.resumed",
            Self::DeviceActivated => "device.activated",
            Self::DeviceDeactivated => "device.deactivated",
            Self::DeviceLimitRefused => "device.limit_refused",
            Self::DeactivationLimitReached => "deactivation_limit.reached",
            Self::SeatAssigned => "seat.assigned",
            Self::SeatUnassigned => "seat.unassigned",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// An endpoint as the console and the API list it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WebhookEndpoint {
    pub id: String,
    pub url: String,
    pub event_types: Vec<EventType>,
    pub created_by: Option<String>,
    pub created_at: Millis,
}

/// An endpoint just registered: the one time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewWebhookEndpoint {
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// Signs every delivery (`Keyport-Signature`); shown once.
    pub secret: String,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not delivered yet: waiting for its turn or its next attempt.
    Pending,
    Delivered,
    /// Given up on (a day of failures, or its endpoint deleted); can be redelivered.
    Failed,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DeliveryAttempt {
    pub at: Millis,
    /// The endpoint's HTTP status; absent when it was not reached.
    pub status: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// An event's delivery to one endpoint, with its attempts (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: String,
    pub endpoint_id: String,
    pub url: String,
    pub event_id: String,
    pub event_type: String,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: Option<Millis>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub delivered_at: Option<Millis>,
    pub history: Vec<DeliveryAttempt>,
}

/// The header carrying a delivery's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`.
pub const SIGNATURE_HEADER: &str = "Keyport-Signature";
