//! Who is asking: accounts, passwords and portal sessions.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;
#[cfg(feature = "server")]
mod passwords;
#[cfg(feature = "server")]
pub use passwords::is_common_password;
#[cfg(feature = "server")]
pub mod hashing;
#[cfg(feature = "server")]
pub mod throttle;
#[cfg(feature = "server")]
pub use throttle::ThrottlePolicy;

/// Name of the portal's session cookie.
pub const SESSION_COOKIE: &str = "keyport_session";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A person at a customer: license user or license manager, depending on their assignment.
    Customer,
    /// The vendor's support staff.
    VendorAdmin,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::VendorAdmin => "vendor_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(Self::Customer),
            "vendor_admin" => Some(Self::VendorAdmin),
            _ => None,
        }
    }
}

/// The logged-in account a request acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub account_id: String,
    pub tenant_id: String,
    pub tenant_name: String,
    pub customer_id: Option<String>,
    pub name: String,
    pub email: String,
    pub kind: AccountKind,
}
