//! Customers of a vendor, as the vendor console shows them: search, create, rename, and each
//! customer's licenses and accounts.

use serde::{Deserialize, Serialize};

use crate::licenses::{LicenseRole, TenantLicense};
use crate::Millis;

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

/// One row of the customer list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSummary {
    pub id: String,
    pub name: String,
    pub licenses: i64,
    pub accounts: i64,
    pub created_at: Millis,
}

/// An account of a customer, with the licenses it holds a seat on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerAccount {
    pub id: String,
    pub name: String,
    pub email: String,
    /// One per seat; the console says "License manager of CodeGlass".
    pub seats: Vec<Seat>,
    /// The person has not used their invitation (or credentials) link yet.
    pub invitation_pending: bool,
}

/// A seat an account holds: its role on the license of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub role: LicenseRole,
    pub product: String,
}

/// A customer's page in the vendor console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetail {
    pub id: String,
    pub name: String,
    pub created_at: Millis,
    pub licenses: Vec<TenantLicense>,
    pub accounts: Vec<CustomerAccount>,
}
