//! Fuzzes the device API's JSON body parser (server/src/api/json.rs, compiled in as is) with the
//! activation body's shape: any bytes are a value or an `invalid_request` naming a field, never a
//! panic or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../server/src/api/json.rs"]
mod json;

// The activation body's own declaration, not a copy: what the fuzzer finds is what the API parses.
#[path = "../../server/src/api/activation.rs"]
#[allow(dead_code)]
mod activation;
use activation::ActivationRequest;

fuzz_target!(|data: &[u8]| {
    match json::parse_object::<ActivationRequest>(data) {
        Ok(_) => {}
        Err(licensing::AppError::Invalid { field, .. }) => assert!(!field.is_empty()),
        Err(other) => panic!("not an invalid_request: {other:?}"),
    }
    // Any JSON value too: the parser must hold for every type a body could be read into.
    let _ = json::parse_object::<serde_json::Value>(data);
});
