//! The properties the request parsers must hold for any input, in one place: libFuzzer's targets
//! (`fuzz/`, `make fuzz`) explore them, and `server/tests/parsers.rs` replays the committed seeds
//! and their deterministic mutations as plain tests in `make test`, without the instrumented
//! build.

use crate::api::activation::ActivationRequest;
use crate::api::json;
use licensing::AppError;

/// The device API's JSON body parser, with the activation body's own declaration: any bytes are
/// a value or an `invalid_request` naming a field, never a panic or a stack overflow.
pub fn device_api_json(data: &[u8]) {
    match json::parse_object::<ActivationRequest>(data) {
        Ok(_) => {}
        Err(AppError::Invalid { field, .. }) => assert!(!field.name().is_empty()),
        Err(other) => panic!("not an invalid_request: {other:?}"),
    }
    // Any JSON value too: the parser must hold for every type a body could be read into.
    let _ = json::parse_object::<serde_json::Value>(data);
}

/// The offline activation request file a manager uploads: a request or an `Invalid` error.
pub fn offline_request(data: &[u8]) {
    match licensing::offline::parse_request(data) {
        Ok(_) => {}
        Err(AppError::Invalid { .. }) => {}
        Err(other) => panic!("not an Invalid error: {other:?}"),
    }
}

/// Every page request's `Accept-Language`: a supported language or none, never a panic.
pub fn accept_language(data: &[u8]) {
    // Header values reach it as text only when they are valid UTF-8.
    if let Ok(header) = std::str::from_utf8(data) {
        let _ = app::i18n::Locale::from_accept_language(header);
    }
}

/// A property: returns for any input, panics on a violation.
pub type Property = fn(&[u8]);

/// The targets by the name of their seed folder (`fuzz/seeds/NAME`) and libFuzzer binary.
pub const TARGETS: [(&str, Property); 3] = [
    ("device_api_json", device_api_json),
    ("offline_request", offline_request),
    ("accept_language", accept_language),
];
