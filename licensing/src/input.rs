//! The bounds of every number a form, API or admin command takes, and the one check of text that
//! no database can store: each stated once here, so the console, the CLI and the services agree.
//!
//! Numbers past these bounds would overflow when limits are multiplied or added (`i64` in Rust,
//! `BIGINT` in Postgres) and answer 500 or wrap to nonsense; they are refused as
//! [`AppError::Invalid`] naming the field instead. Wasm-safe, so the pages may show the bounds.

use crate::error::{AppError, Field, InvalidReason};

/// An email address as accounts are stored and looked up: trimmed and lower-cased, so `ADA@x`
/// and ` ada@x` are one account.
pub fn normalised_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A company ID as tenants are stored and looked up: trimmed and lower-cased, since people type
/// it at login in whatever case.
pub fn normalised_company(company: &str) -> String {
    company.trim().to_lowercase()
}

/// Most subscriptions one license holds, bought at once or in all: far beyond any real sale,
/// small enough that a count times a per-subscription limit cannot overflow.
pub const MAX_SUBSCRIPTIONS: i64 = 100_000;
/// Most seats (license users) one license has in all, and so per subscription.
pub const MAX_SEATS: i64 = 1_000_000;
/// Most devices one license may be active on in all, and so per subscription.
pub const MAX_DEVICES: i64 = 1_000_000;
/// Largest deactivation budget of a license.
pub const MAX_DEACTIVATIONS: i64 = 1_000_000;
/// Longest validity, in days from today: a hundred years, which is how vendors sell a perpetual
/// license (an end date in 2099 is common); small enough that the end date cannot overflow.
pub const MAX_VALID_DAYS: i64 = 36_500;
/// One day in milliseconds (`Millis`).
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// `value` when it lies in `min..=max`, else `Invalid` on `field` saying which bound it passed.
pub fn bounded(field: Field, value: i64, min: i64, max: i64) -> Result<i64, AppError> {
    let reason = if value < min && min == 0 {
        InvalidReason::NotNegative
    } else if value < min {
        InvalidReason::AtLeast { min }
    } else if value > max {
        InvalidReason::AtMost { max }
    } else {
        return Ok(value);
    };
    Err(AppError::invalid(field, reason))
}

/// The refusal of a text with a NUL character (U+0000). Postgres cannot store one in `TEXT`
/// (SQLite can) and fails the whole statement, which would be a 500 on one database and not the
/// other; no real name, email, id or key contains one.
pub fn refuse_nul(field: &Field, value: &str) -> Result<(), AppError> {
    if value.contains('\0') {
        Err(AppError::invalid(field.clone(), InvalidReason::ContainsNul))
    } else {
        Ok(())
    }
}

/// [`refuse_nul`] for every string of a JSON document, keys included. The field named is the
/// path to the string (`device_name`, `machine.hostname`, `tags[2]`), `body` for the top level.
#[cfg(feature = "server")]
pub fn refuse_nul_in_json(value: &serde_json::Value) -> Result<(), AppError> {
    use serde_json::Value;
    // Iterative: a document nested as deep as its parser allows must not exhaust the stack here.
    let mut pending = vec![(String::new(), value)];
    while let Some((path, value)) = pending.pop() {
        let field = if path.is_empty() {
            Field::Body
        } else {
            Field::Input(path.clone())
        };
        match value {
            Value::String(text) => refuse_nul(&field, text)?,
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    pending.push((format!("{path}[{i}]"), item));
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    refuse_nul(&field, key)?;
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    pending.push((path, item));
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(result: Result<(), AppError>) -> String {
        match result {
            Err(AppError::Invalid { field, .. }) => field.name().to_owned(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bounds_name_the_field_and_the_range() {
        let refused = |field, reason| Err(AppError::invalid(field, reason));
        assert_eq!(bounded(Field::Seats, 5, 1, MAX_SEATS), Ok(5));
        assert_eq!(
            bounded(Field::Seats, 0, 1, 10),
            refused(Field::Seats, InvalidReason::AtLeast { min: 1 })
        );
        assert_eq!(
            bounded(Field::Seats, 11, 1, 10),
            refused(Field::Seats, InvalidReason::AtMost { max: 10 })
        );
        assert_eq!(
            bounded(Field::Devices, -1, 0, 10),
            refused(Field::Devices, InvalidReason::NotNegative)
        );
        assert!(bounded(Field::Subscriptions, i64::MAX, 1, MAX_SUBSCRIPTIONS).is_err());
        // The bounds multiply without overflow, whatever a form sends within them.
        assert!(MAX_SUBSCRIPTIONS
            .checked_mul(MAX_SEATS.max(MAX_DEVICES))
            .is_some());
        assert!(MAX_VALID_DAYS.checked_mul(DAY_MS).is_some());
    }

    #[test]
    fn nul_is_refused_on_its_field() {
        assert!(refuse_nul(&Field::ApiEmail, "user@acme.example").is_ok());
        assert_eq!(
            field_of(refuse_nul(&Field::ApiEmail, "user\0@acme.example")),
            "email"
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn nul_is_found_anywhere_in_json() {
        let check = |json: &str| refuse_nul_in_json(&serde_json::from_str(json).unwrap());
        assert!(check(r#"{"a": ["x", {"b": "y"}], "n": 1}"#).is_ok());
        assert_eq!(
            field_of(check(r#"{"device_name": "a\u0000b"}"#)),
            "device_name"
        );
        assert_eq!(field_of(check(r#"{"a": [1, {"b": "\u0000"}]}"#)), "a[1].b");
        assert_eq!(field_of(check(r#"{"a\u0000": 1}"#)), "body");
        assert_eq!(field_of(check(r#""\u0000""#)), "body");
    }
}
