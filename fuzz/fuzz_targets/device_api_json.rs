//! Fuzzes the device API's JSON body parser (`server::api::json`, linked from the server library)
//! with the activation body's shape: any bytes are a value or an `invalid_request` naming a field,
//! never a panic or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The activation body's own declaration, not a copy: what the fuzzer finds is what the API parses.
use server::api::activation::ActivationRequest;
use server::api::json;

fuzz_target!(|data: &[u8]| {
    match json::parse_object::<ActivationRequest>(data) {
        Ok(_) => {}
        Err(licensing::AppError::Invalid { field, .. }) => assert!(!field.is_empty()),
        Err(other) => panic!("not an invalid_request: {other:?}"),
    }
    // Any JSON value too: the parser must hold for every type a body could be read into.
    let _ = json::parse_object::<serde_json::Value>(data);
});
