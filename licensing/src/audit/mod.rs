//! The audit log: who changed what, when and from where, as the portal's Activity tab shows it.

use serde::{Deserialize, Serialize};

use crate::licenses::{LicenseRole, LicenseStatus, LicenseType};
use crate::Millis;

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

/// The kinds of change the log records. Stored as its dotted code (`device.reset`); the log's
/// text, its filter and the portal's translations (`audit.action.*`) all come from this list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum AuditAction {
    DeviceActivated,
    DeviceReactivated,
    DeviceActivatedOffline,
    DeviceReactivatedOffline,
    DeviceDeactivatedByApp,
    DeviceReset,
    /// Vendor staff or a management key ended a device's activation without using a deactivation.
    DeviceRemovedByVendor,
    DeviceLimitRefused,
    LicenseCreated,
    LicenseKeyIssued,
    LicenseSubscriptionsAdded,
    LicenseReset,
    LicenseDeactivationLimitReset,
    LicenseLimitsChanged,
    LicenseSuspended,
    LicenseResumed,
    UserCreated,
    UserAssigned,
    UserUnassigned,
    UserRoleChanged,
    UserPasswordSet,
    CustomerCreated,
    CustomerRenamed,
    TenantCreated,
    SigningKeyCreated,
    /// A tenant's LicenseSpring-compatible credentials (API key, shared key, RSA key) were made.
    LicensespringCredentialsCreated,
    /// A tenant's LicenseSpring shared key was replaced: apps built with the old one stop working.
    LicensespringSharedKeyRotated,
    /// The tenant's email settings (default language, support address) were changed.
    TenantMailSettingsChanged,
    /// A management API key was made, or revoked (it stops working at once).
    ApiKeyCreated,
    ApiKeyRevoked,
    /// A webhook endpoint was registered or deleted, or a delivery sent again.
    WebhookCreated,
    WebhookDeleted,
    WebhookRedelivered,
    /// Moved in by an import from another license server (`import`), one event per object.
    CustomerImported,
    UserImported,
    SeatImported,
    LicenseImported,
    DeviceImported,
}

impl AuditAction {
    pub const ALL: [Self; 38] = [
        Self::DeviceActivated,
        Self::DeviceReactivated,
        Self::DeviceActivatedOffline,
        Self::DeviceReactivatedOffline,
        Self::DeviceDeactivatedByApp,
        Self::DeviceReset,
        Self::DeviceRemovedByVendor,
        Self::DeviceLimitRefused,
        Self::LicenseCreated,
        Self::LicenseKeyIssued,
        Self::LicenseSubscriptionsAdded,
        Self::LicenseReset,
        Self::LicenseDeactivationLimitReset,
        Self::LicenseLimitsChanged,
        Self::LicenseSuspended,
        Self::LicenseResumed,
        Self::UserCreated,
        Self::UserAssigned,
        Self::UserUnassigned,
        Self::UserRoleChanged,
        Self::UserPasswordSet,
        Self::CustomerCreated,
        Self::CustomerRenamed,
        Self::TenantCreated,
        Self::SigningKeyCreated,
        Self::LicensespringCredentialsCreated,
        Self::LicensespringSharedKeyRotated,
        Self::TenantMailSettingsChanged,
        Self::ApiKeyCreated,
        Self::ApiKeyRevoked,
        Self::WebhookCreated,
        Self::WebhookDeleted,
        Self::WebhookRedelivered,
        Self::CustomerImported,
        Self::UserImported,
        Self::SeatImported,
        Self::LicenseImported,
        Self::DeviceImported,
    ];

    /// The stored code; its first part is the action's [`AuditKind`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DeviceActivated => "device.activated",
            Self::DeviceReactivated => "device.reactivated",
            Self::DeviceActivatedOffline => "device.activated_offline",
            Self::DeviceReactivatedOffline => "device.reactivated_offline",
            Self::DeviceDeactivatedByApp => "device.deactivated_by_app",
            Self::DeviceReset => "device.reset",
            Self::DeviceRemovedByVendor => "device.removed_by_vendor",
            Self::DeviceLimitRefused => "device.limit_refused",
            Self::LicenseCreated => "license.created",
            Self::LicenseKeyIssued => "license.key_issued",
            Self::LicenseSubscriptionsAdded => "license.subscriptions_added",
            Self::LicenseReset => "license.reset",
            Self::LicenseDeactivationLimitReset => "license.deactivation_limit_reset",
            Self::LicenseLimitsChanged => "license.limits_changed",
            Self::LicenseSuspended => "license.suspended",
            Self::LicenseResumed => "license.resumed",
            Self::UserCreated => "user.created",
            Self::UserAssigned => "user.assigned",
            Self::UserUnassigned => "user.unassigned",
            Self::UserRoleChanged => "user.role_changed",
            Self::UserPasswordSet => "user.password_set",
            Self::CustomerCreated => "customer.created",
            Self::CustomerRenamed => "customer.renamed",
            Self::TenantCreated => "tenant.created",
            Self::SigningKeyCreated => "signing_key.created",
            // Keys, so the console's "Signing keys" filter finds them.
            Self::LicensespringCredentialsCreated => "signing_key.licensespring_created",
            Self::LicensespringSharedKeyRotated => "signing_key.licensespring_rotated",
            Self::TenantMailSettingsChanged => "tenant.mail_settings_changed",
            // Keys, so the console's "Signing keys" filter finds them.
            Self::ApiKeyCreated => "signing_key.api_key_created",
            Self::ApiKeyRevoked => "signing_key.api_key_revoked",
            Self::WebhookCreated => "tenant.webhook_created",
            Self::WebhookDeleted => "tenant.webhook_deleted",
            Self::WebhookRedelivered => "tenant.webhook_redelivered",
            Self::CustomerImported => "customer.imported",
            Self::UserImported => "user.imported",
            Self::SeatImported => "user.seat_imported",
            Self::LicenseImported => "license.imported",
            Self::DeviceImported => "device.imported",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == code)
    }

    pub fn kind(self) -> AuditKind {
        let prefix = self.as_str().split('.').next().unwrap_or_default();
        AuditKind::parse(prefix).expect("every action's code starts with its kind")
    }
}

impl From<AuditAction> for &'static str {
    fn from(action: AuditAction) -> Self {
        action.as_str()
    }
}

impl TryFrom<String> for AuditAction {
    type Error = String;
    fn try_from(code: String) -> Result<Self, String> {
        Self::parse(&code).ok_or_else(|| format!("unknown audit action {code:?}"))
    }
}

/// What the log can be narrowed to: the first part of an action's code. The console names them
/// through the catalogs (`audit.kind.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    Device,
    License,
    User,
    Customer,
    Tenant,
    SigningKey,
}

impl AuditKind {
    /// The kinds the console's filter offers (a tenant is created once, before its log exists).
    pub const FILTERABLE: [Self; 5] = [
        Self::Device,
        Self::License,
        Self::User,
        Self::Customer,
        Self::SigningKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Device => "device",
            Self::License => "license",
            Self::User => "user",
            Self::Customer => "customer",
            Self::Tenant => "tenant",
            Self::SigningKey => "signing_key",
        }
    }

    pub const ALL: [Self; 6] = [
        Self::Device,
        Self::License,
        Self::User,
        Self::Customer,
        Self::Tenant,
        Self::SigningKey,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Every action of this kind.
    pub fn actions(self) -> impl Iterator<Item = AuditAction> {
        AuditAction::ALL
            .into_iter()
            .filter(move |a| a.kind() == self)
    }
}

/// What an event was done to, as data: the portal words it in the reader's language. Stored as
/// JSON in the event's `subject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum AuditSubject {
    /// A device, by the name its app reported.
    Device {
        name: String,
    },
    /// An account; `assigned` when it was given a seat as it was created.
    Account {
        name: String,
        email: String,
        #[serde(default)]
        assigned: bool,
    },
    /// A license user who lost their seat, with the devices that were deactivated with it.
    Unassigned {
        name: String,
        email: String,
        devices: i64,
    },
    RoleChanged {
        name: String,
        email: String,
        role: LicenseRole,
    },
    Email {
        email: String,
    },
    LicenseSold {
        license_type: LicenseType,
        owner_email: String,
    },
    LicenseKey,
    SubscriptionsAdded {
        count: i64,
    },
    LicenseReset {
        devices: i64,
        users: i64,
    },
    DeactivationLimitReset {
        used_before: i64,
        reason: String,
    },
    Limits {
        seats: i64,
        devices: i64,
        deactivations: i64,
        valid_until: Millis,
    },
    Status {
        status: LicenseStatus,
    },
    Customer {
        name: String,
    },
    Tenant {
        name: String,
        admin_email: String,
    },
    SigningKey {
        key_id: String,
    },
    /// The email settings as saved: a `Locale` code, and the support address if any.
    MailSettings {
        language: String,
        support_email: Option<String>,
    },
    /// A webhook endpoint, by its address (or a delivery, by its id).
    Webhook {
        url: String,
    },
    /// An object an import moved in: its name (a device's, a person's address, a customer's, a
    /// license's product) and the line of the import file it came from.
    Imported {
        name: String,
        line: u64,
    },
    /// An event written before subjects were data: its text as stored.
    Text(String),
}

impl AuditSubject {
    /// What the `subject` column holds.
    #[cfg(feature = "server")]
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("a subject always serialises")
    }

    /// Reads the `subject` column; text that is not a subject (an older event) is kept as text.
    #[cfg(feature = "server")]
    pub fn from_stored(stored: &str) -> Self {
        serde_json::from_str(stored).unwrap_or_else(|_| Self::Text(stored.to_owned()))
    }
}

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: Millis,
    /// Name of the account that acted; `None` for the system or a license-key activation.
    pub actor: Option<String>,
    pub action: AuditAction,
    pub subject: AuditSubject,
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
    /// A kind of event: an [`AuditKind`]'s code.
    pub kind: Option<String>,
    /// From this time on (inclusive), UTC milliseconds.
    pub from: Option<Millis>,
    /// Before this time (exclusive), UTC milliseconds.
    pub until: Option<Millis>,
}
