//! Reads the device API's JSON request bodies into their types, naming the offending field when
//! it cannot. Public so that `fuzz/`'s `device_api_json` target fuzzes this very parser.

use licensing::error::{Field, InvalidReason};
use licensing::AppError;
use serde::de::DeserializeOwned;

/// A JSON object into `T`: `invalid_request` on `body` when it is not one object of valid JSON,
/// else on the first string with a NUL character, else on the missing, unknown or mistyped field.
/// serde_json refuses nesting deeper than 128 levels, so no body can exhaust the stack.
///
/// Every device API body passes here, so no text of it reaches a database with a NUL, which
/// Postgres cannot store (`licensing::input::refuse_nul`).
pub fn parse_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Every request body is an object; serde would also read a struct from an array.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(AppError::invalid(Field::Body, InvalidReason::NotJsonObject));
    }
    // Read whole first, so a NUL is found in any string, fields the type ignores included.
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|_| AppError::invalid(Field::Body, InvalidReason::NotJson))?;
    licensing::input::refuse_nul_in_json(&value)?;
    let value = serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        // Missing and unknown fields are reported on their parent; serde names them in backticks.
        let field = if path == "." {
            message
                .split('`')
                .nth(1)
                .map(str::to_owned)
                .unwrap_or_else(|| "body".into())
        } else {
            path
        };
        // A key may be empty (`{"": 1}`); the answer still names it, as JSON writes it.
        let field = if field.is_empty() {
            "\"\"".to_owned()
        } else {
            field
        };
        let reason = if message.starts_with("missing field") {
            InvalidReason::Required
        } else if message.starts_with("unknown field") {
            InvalidReason::UnknownField
        } else {
            // serde's own words, without the position suffix.
            let text = message.split(" at line ").next().unwrap_or(&message);
            InvalidReason::NotValid {
                detail: text.to_owned(),
            }
        };
        AppError::invalid(Field::from(field), reason)
    })?;
    Ok(value)
}
