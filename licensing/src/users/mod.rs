//! The Users tab: the people on a license, the accounts a license manager creates for them, seat
//! assignment up to the license's limit, and who else manages the license.

use serde::{Deserialize, Serialize};

use crate::licenses::LicenseRole;
use crate::Millis;

#[cfg(feature = "server")]
mod links;
#[cfg(feature = "server")]
mod seats;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use links::*;
#[cfg(feature = "server")]
pub use seats::*;
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
    /// The person has not used their invitation yet: the manager may resend it.
    pub invitation_pending: bool,
}

/// An account of the license's customer that holds no seat yet, offered by "Assign license user".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub account_id: String,
    pub name: String,
    pub email: String,
    pub invitation_pending: bool,
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

/// What "Create user" did. The set-password token went to the person by email; it is returned to
/// the caller (the admin command prints it for the operator) and stored only as a hash. The portal
/// shows neither: its answer is [`Invited`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUser {
    /// `None` when the address belongs to another customer or to vendor staff: nothing was
    /// created, and its owner was told by email instead.
    pub account_id: Option<String>,
    pub name: String,
    pub email: String,
    pub assigned: bool,
    /// The person was (or, for an address that belongs elsewhere, would have been) emailed an
    /// invitation: no initial password was given.
    pub invited: bool,
    pub set_password_token: Option<String>,
}

/// What the portal answers "Create user" with: the same whether an account was made or the
/// address belonged elsewhere, so a manager cannot test addresses with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invited {
    pub email: String,
    pub assigned: bool,
    /// A set-password link was emailed (no initial password was given).
    pub invited: bool,
}

impl From<&CreatedUser> for Invited {
    fn from(created: &CreatedUser) -> Self {
        Self {
            email: created.email.clone(),
            assigned: created.assigned,
            invited: created.invited,
        }
    }
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
    /// The link resets a forgotten password (rather than setting a first one).
    pub reset: bool,
}

/// What a set-password link is for, which says how long it works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// An invitation, or a sale's credentials to a new owner: 7 days.
    Invitation,
    /// Forgot password: 1 hour.
    Reset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Reset => "reset",
        }
    }

    pub fn lifetime_ms(self) -> i64 {
        match self {
            Self::Invitation => PASSWORD_LINK_DAYS * 24 * 60 * 60 * 1000,
            Self::Reset => 60 * 60 * 1000,
        }
    }
}

/// How long an invitation's set-password link works.
pub const PASSWORD_LINK_DAYS: i64 = 7;
