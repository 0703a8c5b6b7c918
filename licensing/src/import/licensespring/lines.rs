//! The users and devices files: JSON lines in the field names of LicenseSpring's management API.

use serde_json::Value;

use super::fields::{bad, email, instant, license_id, text};
use super::*;

/// The users file: one JSON object per line, `{"license": 101 | "license_key": "…", "email":
/// "…", "first_name": "…", "last_name": "…", "is_manager": false}`.
pub fn read_users(jsonl: &str) -> Read<UserRecord> {
    read_lines(jsonl, ImportFile::Users, |line, fields| {
        let license = license_ref(fields)?;
        let email = email("email", &required_str(fields, "email")?)?;
        let first = optional_str(fields, "first_name")?;
        let last = optional_str(fields, "last_name")?;
        let name = full_name(first, last);
        let manager = match fields.get("is_manager") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(bad("is_manager", &other.to_string(), Expected::TrueOrFalse))
            }
        };
        Ok(UserRecord {
            line,
            license,
            email,
            name,
            manager,
        })
    })
}

/// The devices file: one JSON object per line, `{"license": 101 | "license_key": "…",
/// "hardware_id": "…", "hostname": "…", "os": "…", "time_activated": "2024-09-27T23:30:48Z",
/// "last_check": "…"}`. A row with `"is_active": false` is no device to keep and is skipped.
pub fn read_devices(jsonl: &str, now: Millis) -> Read<DeviceRecord> {
    read_lines(jsonl, ImportFile::Devices, |line, fields| {
        let license = license_ref(fields)?;
        let hardware_id = required_str(fields, "hardware_id")?;
        let name = optional_str(fields, "hostname")?
            .or(optional_str(fields, "device_name")?)
            .unwrap_or_else(|| hardware_id.clone());
        let os = optional_str(fields, "os")?
            .or(optional_str(fields, "os_ver")?)
            .unwrap_or_default();
        let activated_at = match optional_str(fields, "time_activated")? {
            None => now,
            Some(v) => instant("time_activated", &v)?,
        };
        let last_seen_at = match optional_str(fields, "last_check")? {
            None => activated_at,
            Some(v) => instant("last_check", &v)?.max(activated_at),
        };
        Ok(DeviceRecord {
            line,
            license,
            hardware_id,
            name,
            os,
            activated_at,
            last_seen_at,
        })
    })
}

/// Reads JSON lines (blank lines skipped; `"is_active": false` rows skipped) with `read_row`.
fn read_lines<T>(
    jsonl: &str,
    file: ImportFile,
    read_row: impl Fn(u64, &serde_json::Map<String, Value>) -> Result<T, Refusal>,
) -> Read<T> {
    let mut read = Read::default();
    for (i, text) in jsonl.lines().enumerate() {
        let line = i as u64 + 1;
        if text.trim().is_empty() {
            continue;
        }
        let result = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(fields)) => {
                if fields.get("is_active") == Some(&Value::Bool(false)) {
                    continue;
                }
                read_row(line, &fields)
            }
            Ok(_) => Err(Refusal::Unreadable {
                detail: "not a JSON object".to_owned(),
            }),
            Err(e) => Err(Refusal::Unreadable {
                detail: e.to_string(),
            }),
        };
        match result {
            Ok(row) => read.rows.push(row),
            Err(refusal) => read.refused.push(RefusedRow {
                file,
                line,
                refusal,
            }),
        }
    }
    read
}

/// `license` (LicenseSpring's id, a number or a numeric string) or `license_key`.
fn license_ref(fields: &serde_json::Map<String, Value>) -> Result<LicenseRef, Refusal> {
    match fields.get("license") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) => {
            return license_id("license", &n.to_string()).map(LicenseRef::Id);
        }
        Some(Value::String(s)) => return license_id("license", s.trim()).map(LicenseRef::Id),
        Some(other) => return Err(bad("license", &other.to_string(), Expected::LicenseId)),
    }
    match optional_str(fields, "license_key")? {
        Some(key) => Ok(LicenseRef::Key(key)),
        None => Err(Refusal::Missing {
            field: "license".to_owned(),
        }),
    }
}

fn optional_str(
    fields: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<String>, Refusal> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => text(name, s),
        Some(other) => Err(bad(name, &other.to_string(), Expected::PlainText)),
    }
}

fn required_str(fields: &serde_json::Map<String, Value>, name: &str) -> Result<String, Refusal> {
    optional_str(fields, name)?.ok_or_else(|| Refusal::Missing {
        field: name.to_owned(),
    })
}
