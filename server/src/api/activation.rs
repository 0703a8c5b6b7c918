//! The activation request's body: its shape alone, so the fuzz target (fuzz/) parses exactly what
//! `POST /api/v1/activations` parses. The handler and the rules are in `devices.rs`.

use serde::Deserialize;

/// `POST /activations`: a login (`company`, `email`, `password`) or a `license_key`, and the
/// machine.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationRequest {
    #[serde(default, deserialize_with = "present")]
    pub(crate) company: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub(crate) email: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub(crate) password: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub(crate) license_key: Option<String>,
    pub(crate) hardware_id: String,
    pub(crate) device_name: String,
    pub(crate) os: String,
}

/// An optional field that, when sent, is a string: `null` is refused like any other non-string,
/// as the OpenAPI document says, instead of passing for an absent field.
fn present<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    String::deserialize(de).map(Some)
}
