//! Reads the device API's JSON request bodies into their types, naming the offending field when
//! it cannot. Self-contained (serde, `licensing::AppError`) so that `fuzz/` compiles this very file
//! into its `device_api_json` target: the server is a binary crate and cannot be a dependency.

use licensing::AppError;
use serde::de::DeserializeOwned;

/// A JSON object into `T`: `invalid_request` on `body` when it is not one object of valid JSON,
/// else on the missing, unknown or mistyped field. serde_json refuses nesting deeper than 128
/// levels, so no body can exhaust the stack.
pub fn parse_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Every request body is an object; serde would also read a struct from an array.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(AppError::invalid("body", "must be a JSON object."));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return AppError::invalid("body", "is not valid JSON.");
        }
        let message = inner.to_string();
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
        let message = if message.starts_with("missing field") {
            "is required.".to_owned()
        } else if message.starts_with("unknown field") {
            "is not a known field.".to_owned()
        } else {
            // serde's own words, without the position suffix.
            let text = message.split(" at line ").next().unwrap_or(&message);
            format!("is invalid: {text}.")
        };
        AppError::invalid(&field, &message)
    })?;
    de.end()
        .map_err(|_| AppError::invalid("body", "is not valid JSON."))?;
    Ok(value)
}
