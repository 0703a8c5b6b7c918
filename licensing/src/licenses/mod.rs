//! Licenses: what a customer bought (type, seats, device and deactivation limits, validity) and
//! who may see it.

use serde::{Deserialize, Serialize};

use crate::Millis;

#[cfg(feature = "server")]
mod admin;
#[cfg(feature = "server")]
mod keys;
#[cfg(feature = "server")]
mod reset;
#[cfg(feature = "server")]
mod selling;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use admin::*;
#[cfg(feature = "server")]
pub use keys::*;
#[cfg(feature = "server")]
pub use reset::*;
#[cfg(feature = "server")]
pub use selling::*;
#[cfg(feature = "server")]
pub use service::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LicenseType {
    Personal,
    Organisation,
    OfflineOrganisation,
    Experimental,
}

impl LicenseType {
    pub const ALL: [Self; 4] = [
        Self::Personal,
        Self::Organisation,
        Self::OfflineOrganisation,
        Self::Experimental,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Personal => "personal",
            Self::Organisation => "organisation",
            Self::OfflineOrganisation => "offline_organisation",
            Self::Experimental => "experimental",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Personal => "Personal subscription",
            Self::Organisation => "Organisation subscription",
            Self::OfflineOrganisation => "Offline Organisation subscription",
            Self::Experimental => "Experimental subscription",
        }
    }

    /// The seats this kind of license has whatever was bought: a Personal subscription is one
    /// person's, so it has one seat and no users to manage. `None`: seats are bought.
    pub fn fixed_seats(self) -> Option<i64> {
        match self {
            Self::Personal => Some(1),
            Self::Organisation | Self::OfflineOrganisation | Self::Experimental => None,
        }
    }

    /// Whether the owner of this kind of subscription manages it (the seed's "License Manager").
    pub fn owner_is_manager(self) -> bool {
        self.fixed_seats().is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LicenseStatus {
    Active,
    Suspended,
    /// Active in the database but past its validity period.
    Expired,
}

impl LicenseStatus {
    /// The status a license has now: the stored one (`active` or `suspended`), or `Expired`
    /// outside its validity period. The one reading of it, for the portal and the device API.
    pub fn effective(stored: &str, valid_from: Millis, valid_until: Millis, now: Millis) -> Self {
        match stored {
            "suspended" => Self::Suspended,
            _ if now >= valid_until || now < valid_from => Self::Expired,
            _ => Self::Active,
        }
    }
}

/// A person's role on one license.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenseRole {
    Manager,
    User,
}

impl LicenseRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manager => "manager",
            Self::User => "user",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "manager" => Some(Self::Manager),
            "user" => Some(Self::User),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Manager => "License manager",
            Self::User => "License user",
        }
    }
}

/// A license as its customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct License {
    pub id: String,
    pub customer_name: String,
    pub product: String,
    pub license_type: LicenseType,
    pub status: LicenseStatus,
    pub subscriptions: i64,
    pub valid_from: Millis,
    pub valid_until: Millis,
    pub seats_used: i64,
    pub max_users: i64,
    pub devices_active: i64,
    pub max_activations: i64,
    pub deactivations_used: i64,
    pub max_deactivations: i64,
    /// The viewer's role on this license.
    pub my_role: LicenseRole,
}

impl License {
    pub fn deactivations_left(&self) -> i64 {
        (self.max_deactivations - self.deactivations_used).max(0)
    }
}

/// What the dashboard shows right after login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub name: String,
    pub email: String,
    pub company: String,
    pub customer_name: Option<String>,
    /// The strongest role the person holds on any license; `None` when no license is assigned.
    pub role: Option<LicenseRole>,
    pub license_count: i64,
    /// Vendor staff, whose work is in the vendor console.
    #[serde(default)]
    pub vendor_admin: bool,
}

/// What *Reset license* did, for the message the portal shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseResetOutcome {
    pub license_id: String,
    pub devices_reset: i64,
    pub users_removed: i64,
    pub deactivations_left: i64,
}

/// A license as the vendor's console and `keyport license list` show it: what its customer sees,
/// and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantLicense {
    pub customer_id: String,
    #[serde(flatten)]
    pub license: License,
}
