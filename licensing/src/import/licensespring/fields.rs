//! One field of a row, checked: text, numbers, booleans, emails and times as an export writes
//! them, each refused naming its field and what it must hold.

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use super::{MAX_LICENSE_ID, MAX_TEXT};
use crate::import::{Expected, Refusal};
use crate::input::DAY_MS;
use crate::Millis;

/// A text field trimmed; `None` when empty. NUL and other control characters, and text longer
/// than [`MAX_TEXT`], are refused: they would be stored and shown as they are.
pub(super) fn text(field: &str, value: &str) -> Result<Option<String>, Refusal> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().any(char::is_control) {
        return Err(bad(
            field,
            &value.escape_debug().to_string(),
            Expected::PlainText,
        ));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(bad(
            field,
            value,
            Expected::AtMost {
                chars: MAX_TEXT as u64,
            },
        ));
    }
    Ok(Some(value.to_owned()))
}

pub(super) fn bad(field: &str, value: &str, expected: Expected) -> Refusal {
    Refusal::BadValue {
        field: field.to_owned(),
        // A value is quoted back to whoever reads the report: only its start.
        value: value.chars().take(40).collect(),
        expected,
    }
}

pub(super) fn boolean(field: &str, value: &str) -> Result<bool, Refusal> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(bad(field, value, Expected::TrueOrFalse)),
    }
}

pub(super) fn license_id(field: &str, value: &str) -> Result<i64, Refusal> {
    match value.parse::<i64>() {
        Ok(id) if (1..=MAX_LICENSE_ID).contains(&id) => Ok(id),
        _ => Err(bad(field, value, Expected::LicenseId)),
    }
}

pub(super) fn email(field: &str, value: &str) -> Result<String, Refusal> {
    let email = crate::input::normalised_email(value);
    if crate::tenants::is_plausible_email(&email) {
        Ok(email)
    } else {
        Err(bad(field, value, Expected::Email))
    }
}

/// A moment as LicenseSpring writes one: RFC 3339 (`2024-09-27T23:30:48.016Z`), or a date
/// (its start, UTC).
pub(super) fn instant(field: &str, value: &str) -> Result<Millis, Refusal> {
    let at = OffsetDateTime::parse(value, &Rfc3339)
        .ok()
        .or_else(|| day(value).map(|d| d.midnight().assume_utc()));
    at.map(millis)
        .ok_or_else(|| bad(field, value, Expected::DateOrTime))
}

/// The end of a validity period: a date is valid through its last moment (the next day's start).
pub(super) fn end_of(field: &str, value: &str) -> Result<Millis, Refusal> {
    match day(value) {
        Some(d) => Ok(millis(d.midnight().assume_utc()) + DAY_MS),
        None => instant(field, value),
    }
}

pub(super) fn day(value: &str) -> Option<Date> {
    Date::parse(
        value,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

pub(super) fn millis(at: OffsetDateTime) -> Millis {
    (at.unix_timestamp_nanos() / 1_000_000) as Millis
}
