//! Moving in from another license server: what an import reads, what it did, and why it refused
//! a row, as codes the CLI and the console render (the rows themselves are read and applied by
//! the server-side modules below).
//!
//! An import keeps what the apps already hold: license keys (stored hashed, like Keyport's own),
//! LicenseSpring's numeric license ids (the `license_id` an app has cached) and active devices
//! (their next check succeeds without re-activating). It is safe to run twice: an object that is
//! already there is counted as unchanged, never written again.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod apply;
mod job;
#[cfg(feature = "server")]
mod jobs;
#[cfg(feature = "server")]
mod licensespring;
#[cfg(feature = "server")]
mod notify;
#[cfg(feature = "server")]
pub use apply::*;
pub use job::*;
#[cfg(feature = "server")]
pub use jobs::*;
#[cfg(feature = "server")]
pub use licensespring::*;
#[cfg(feature = "server")]
pub use notify::*;

/// The files of an import, each read in this order (a device names a license of the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFile {
    Licenses,
    Users,
    Devices,
}

impl ImportFile {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Licenses => "licenses",
            Self::Users => "users",
            Self::Devices => "devices",
        }
    }
}

/// What an import writes, one audit event each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportObject {
    Product,
    Customer,
    Account,
    License,
    Seat,
    Device,
}

impl ImportObject {
    pub const ALL: [Self; 6] = [
        Self::Product,
        Self::Customer,
        Self::Account,
        Self::License,
        Self::Seat,
        Self::Device,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Product => "product",
            Self::Customer => "customer",
            Self::Account => "account",
            Self::License => "license",
            Self::Seat => "seat",
            Self::Device => "device",
        }
    }
}

/// Why a row was not imported. The rest of the file goes on without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Refusal {
    /// The row is not CSV or JSON this import can read.
    Unreadable { detail: String },
    /// A field the row must have is empty or absent.
    Missing { field: String },
    /// A field holds something the import cannot use.
    BadValue {
        field: String,
        value: String,
        expected: Expected,
    },
    /// The key is another customer's license here.
    KeyOnAnotherCustomer,
    /// The key belongs to a license of another vendor on this server.
    KeyTaken,
    /// The license id names another license here.
    IdOnAnotherLicense { id: String },
    /// Keyport keeps one license per customer and product (its subscriptions add up).
    CustomerHasProduct { product: String },
    /// The email is another customer's person (or the vendor's staff).
    EmailOfAnotherCustomer { email: String },
    /// No license of the licenses file or already here has this key or id.
    UnknownLicense { license: String },
    /// A kind of license Keyport does not have.
    Unsupported { kind: UnsupportedKind },
    /// The license's activation limit is reached: the device would be one too many.
    DeviceLimit { allowed: i64 },
    /// The license's seats are all taken.
    SeatLimit { allowed: i64 },
    /// The same key, or device, came earlier in this import with other values.
    Duplicate { line: u64 },
}

/// What a field must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expected {
    WholeNumber {
        max: i64,
    },
    TrueOrFalse,
    /// `perpetual`, `time-limited` or `subscription`.
    LicenseType,
    /// LicenseSpring's numeric license id.
    LicenseId,
    Email,
    /// `2024-09-27` or `2024-09-27T23:30:48Z`.
    DateOrTime,
    /// Text without control characters (a NUL byte, a line break).
    PlainText,
    /// Text of at most this many characters.
    AtMost {
        chars: u64,
    },
    /// A product short code whose name (the code itself) no other product of the tenant has.
    FreeProductCode,
}

/// LicenseSpring's kinds of license that Keyport does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnsupportedKind {
    Floating,
    Consumption,
}

/// One refused row: which file, which line (1 is a CSV's header), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedRow {
    pub file: ImportFile,
    pub line: u64,
    pub refusal: Refusal,
}

/// What an import did (or, dry, would do): per kind of object how many it created and how many
/// were there already, the refused rows, and the columns it did not know.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub rows: u64,
    pub created: Vec<(ImportObject, u64)>,
    pub unchanged: Vec<(ImportObject, u64)>,
    pub refused: Vec<RefusedRow>,
    /// Columns of the licenses file that are neither LicenseSpring's nor Keyport's: ignored.
    pub unknown_columns: Vec<String>,
}

impl ImportReport {
    pub fn created(&self, object: ImportObject) -> u64 {
        count_of(&self.created, object)
    }

    pub fn unchanged(&self, object: ImportObject) -> u64 {
        count_of(&self.unchanged, object)
    }

    /// Whether the import wrote (or would write) nothing.
    pub fn changed_nothing(&self) -> bool {
        self.created.iter().all(|(_, n)| *n == 0)
    }

    pub fn add(&mut self, object: ImportObject, created: bool) {
        let counts = if created {
            &mut self.created
        } else {
            &mut self.unchanged
        };
        match counts.iter_mut().find(|(o, _)| *o == object) {
            Some((_, n)) => *n += 1,
            None => counts.push((object, 1)),
        }
    }
}

fn count_of(counts: &[(ImportObject, u64)], object: ImportObject) -> u64 {
    counts
        .iter()
        .find(|(o, _)| *o == object)
        .map_or(0, |(_, n)| *n)
}
