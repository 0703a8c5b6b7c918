//! Fuzzes the device API's JSON body parser (server/src/api/json.rs, compiled in as is) with the
//! activation body's shape: any bytes are a value or an `invalid_request` naming a field, never a
//! panic or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[path = "../../server/src/api/json.rs"]
mod json;

/// The shape of `POST /api/v1/activations` (server/src/api/devices.rs): optional strings that
/// refuse `null`, required strings, unknown fields refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ActivationRequest {
    #[serde(default, deserialize_with = "present")]
    company: Option<String>,
    #[serde(default, deserialize_with = "present")]
    email: Option<String>,
    #[serde(default, deserialize_with = "present")]
    password: Option<String>,
    #[serde(default, deserialize_with = "present")]
    license_key: Option<String>,
    hardware_id: String,
    device_name: String,
    os: String,
}

fn present<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    String::deserialize(de).map(Some)
}

fuzz_target!(|data: &[u8]| {
    match json::parse_object::<ActivationRequest>(data) {
        Ok(_) => {}
        Err(licensing::AppError::Invalid { field, .. }) => assert!(!field.is_empty()),
        Err(other) => panic!("not an invalid_request: {other:?}"),
    }
    // Any JSON value too: the parser must hold for every type a body could be read into.
    let _ = json::parse_object::<serde_json::Value>(data);
});
