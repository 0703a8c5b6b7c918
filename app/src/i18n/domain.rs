//! The domain's words in the page's language: license types and statuses, roles and seats,
//! each through its catalog key.

use licensing::customers::Seat;
use licensing::licenses::{LicenseRole, LicenseStatus, LicenseType};

use super::{current, t, text_in, Locale};

pub fn license_type(t: LicenseType) -> String {
    self::t(license_type_key(t))
}

/// A seat an account holds, as the vendor console lists it.
pub fn seat(seat: &licensing::customers::Seat) -> String {
    seat_text_in(current(), seat)
}

/// The catalog key of a license type's name.
pub fn license_type_key(license_type: LicenseType) -> &'static str {
    match license_type {
        LicenseType::Personal => "license_type-personal",
        LicenseType::Organisation => "license_type-organisation",
        LicenseType::OfflineOrganisation => "license_type-offline_organisation",
        LicenseType::Experimental => "license_type-experimental",
    }
}

/// A seat as the vendor console lists it: "License manager of CodeGlass".
pub fn seat_text_in(locale: Locale, seat: &Seat) -> String {
    let key = match seat.role {
        LicenseRole::Manager => "seat-manager_of",
        LicenseRole::User => "seat-user_of",
    };
    text_in(locale, key, &[("product", &seat.product)])
}

pub fn license_status(status: LicenseStatus) -> String {
    t(license_status_key(status))
}

/// The catalog key of a license status's name (the admin command prints the English).
pub fn license_status_key(status: LicenseStatus) -> &'static str {
    match status {
        LicenseStatus::Active => "license_status-active",
        LicenseStatus::Suspended => "license_status-suspended",
        LicenseStatus::Expired => "license_status-expired",
    }
}

pub fn role(role: LicenseRole) -> String {
    t(&format!("role-{}", role.as_str()))
}
