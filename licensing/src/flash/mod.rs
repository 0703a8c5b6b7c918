//! One-time notes a page shows after a change (what a form did, a set-password link, a new
//! license key, why an offline activation was refused): kept on the server for the session that
//! made the change and the page it was redirected to, and taken once by that page.
//!
//! They never travel in an address: a URL ends up in browser history, proxy logs and `Referer`
//! headers, and a page that renders text from its query string shows whatever a crafted link says.
//! A note is data, not English: the portal translates it.

use serde::{Deserialize, Serialize};

use crate::licenses::LicenseRole;
use crate::AppError;

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

/// What the last change did, for the page it redirected to. Externally tagged, as `AppError` is
/// and for its reason: the hydrating WASM decodes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flash {
    /// Devices tab: a device was reset.
    DeviceReset {
        device: String,
        deactivations_left: i64,
    },
    /// License overview: *Reset license*.
    LicenseReset {
        devices: i64,
        users: i64,
        deactivations_left: i64,
    },
    /// Users tab: *Create user*; `invited` when a set-password link was emailed.
    UserCreated {
        email: String,
        assigned: bool,
        invited: bool,
    },
    /// Users tab or console: *Resend invitation*.
    InvitationResent {
        email: String,
    },
    UserAssigned {
        name: String,
    },
    UserUnassigned {
        name: String,
        devices: i64,
    },
    RoleChanged {
        name: String,
        role: LicenseRole,
    },
    /// Vendor console, customer page.
    CustomerCreated,
    CustomerRenamed,
    /// *Add account*: the account and its one-time set-password token.
    AccountAdded {
        email: String,
    },
    /// Vendor console, license page: a new license and its key, shown this once.
    LicenseSold {
        key: String,
    },
    SubscriptionsAdded {
        subscriptions: i64,
    },
    LimitsSaved,
    /// Vendor console, Email page: the settings were saved.
    MailSettingsSaved,
    DeactivationLimitReset,
    LicenseSuspended,
    LicenseResumed,
    /// Vendor console, LicenseSpring SDK page: the shared key was rotated.
    SharedKeyRotated,
    /// Vendor console, Integrations page: a management key, shown this once.
    ApiKeyCreated {
        name: String,
        key: String,
    },
    ApiKeyRevoked,
    /// Integrations page: a webhook endpoint and its secret, shown this once.
    WebhookCreated {
        url: String,
        secret: String,
    },
    WebhookDeleted,
    WebhookRedelivered,
    /// Vendor console, Import page: the upload was refused (nothing was queued).
    ImportRefused {
        error: AppError,
    },
    /// Import page: *Send set-password emails* queued this many.
    ImportNotified {
        sent: u64,
    },
    /// License overview: the offline activation form was refused.
    OfflineActivationFailed {
        error: AppError,
    },
}
