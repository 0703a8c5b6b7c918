//! The Users tab: the people on a license, the accounts a license manager creates for them, seat
//! assignment up to the license's limit, and who else manages the license.

use serde::{Deserialize, Serialize};

use crate::licenses::LicenseRole;
use crate::Millis;

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

/// A person holding a seat on a license.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseUser {
    pub account_id: String,
    pub name: String,
    pub email: String,
    pub role: LicenseRole,
    pub assigned_at: Millis,
    /// Devices this person activated that are still active on the license.
    pub devices_active: i64,
}

/// An account of the license's customer that holds no seat yet, offered by "Assign license user".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub account_id: String,
    pub name: String,
    pub email: String,
}

/// Everything the Users tab shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersView {
    pub license_id: String,
    pub users: Vec<LicenseUser>,
    pub candidates: Vec<Candidate>,
    pub seats_used: i64,
    pub max_users: i64,
}

impl UsersView {
    pub fn seats_left(&self) -> i64 {
        (self.max_users - self.seats_used).max(0)
    }

    pub fn managers(&self) -> usize {
        self.users
            .iter()
            .filter(|u| u.role == LicenseRole::Manager)
            .count()
    }
}

/// "Create user": the new account, and whether it takes a seat on the license right away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    /// The initial password; `None` creates a one-time link the person sets their own with.
    pub password: Option<String>,
    pub assign: bool,
}

/// What "Create user" did. The set-password token is shown to the manager once and stored only
/// as a hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUser {
    pub account_id: String,
    pub name: String,
    pub email: String,
    pub assigned: bool,
    pub set_password_token: Option<String>,
}

/// What an assignment, unassignment or role change did, for the message the portal shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserChange {
    pub license_id: String,
    pub account_id: String,
    pub name: String,
    /// Devices deactivated with the change (an unassigned person's devices).
    pub devices_deactivated: i64,
}

/// Whom a set-password link is for, shown on the page that redeems it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordLink {
    pub name: String,
    pub email: String,
    /// The vendor's company ID, needed at login.
    pub company_id: String,
}

/// How long a set-password link works.
pub const PASSWORD_LINK_DAYS: i64 = 7;
