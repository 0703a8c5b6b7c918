//! LicenseSpring's offline activation on `/api/v4` (contract section 7): the request files the
//! SDK writes on a machine without a connection, checked byte for byte against the tenant's shared
//! key, and the signed license file (`.lic`) they are answered with. The slot itself is taken and
//! given back by the same flows as online (`flows`), for Offline Organisation licenses only.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::{Map, Value};

use super::auth::verify_hmac;
use super::credentials::TenantCredentials;
use super::error::V4Error;
use super::flows::{LicenseAnswer, LicenseRequest, Machine};

/// What a request file asks for (its `request` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    Activation,
    Deactivation,
}

/// A request file whose signatures are the tenant's: its fields, as the SDK wrote them.
#[derive(Debug, Clone)]
pub struct OfflineRequest {
    pub kind: RequestKind,
    fields: Map<String, Value>,
}

/// How the SDK frames the signed request: `{"request": ` + json.dumps(R) + `, "signature": "` +
/// S2 + `"}`. Reading R's exact bytes between the two means no re-serialisation can differ from
/// Python's.
const OPEN: &str = "{\"request\": ";
const SIGNATURE: &str = ", \"signature\": \"";
const CLOSE: &str = "\"}";

impl OfflineRequest {
    /// Decodes a request file (base64 of the envelope) and checks that it was made with these
    /// credentials: its API key is theirs, S2 is the shared key's HMAC of the exact request text
    /// and S1 the HMAC of its date, license and machine. The date is not held to a window: a file
    /// is carried from the offline machine, maybe days later. A file asking for another `kind`
    /// (a deactivation file sent to activate) is refused like a damaged one.
    pub fn open(
        credentials: &TenantCredentials,
        body: &[u8],
        kind: RequestKind,
    ) -> Result<Self, V4Error> {
        let invalid = || V4Error::InvalidOfflineRequest;
        let compact: Vec<u8> = body
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let decoded = BASE64.decode(compact).map_err(|_| invalid())?;
        let text = std::str::from_utf8(&decoded).map_err(|_| invalid())?;
        let inner = text
            .strip_prefix(OPEN)
            .and_then(|t| t.strip_suffix(CLOSE))
            .ok_or_else(invalid)?;
        let (request_text, outer_signature) = inner.rsplit_once(SIGNATURE).ok_or_else(invalid)?;
        verify_hmac(
            credentials.shared_key(),
            request_text.as_bytes(),
            outer_signature,
        )
        .map_err(|_| invalid())?;
        let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(request_text) else {
            return Err(invalid());
        };
        crate::input::refuse_nul_in_json(&Value::Object(fields.clone()))?;
        let request = Self {
            kind: match fields.get("request").and_then(Value::as_str) {
                Some("activation") => RequestKind::Activation,
                Some("deactivation") => RequestKind::Deactivation,
                _ => return Err(invalid()),
            },
            fields,
        };
        if request.kind != kind || request.text("api_key") != Some(credentials.api_key()) {
            return Err(invalid());
        }
        let holder = request
            .text("license_key")
            .filter(|k| !k.is_empty())
            .or(request.text("username"))
            .unwrap_or_default();
        // The SDK stamps S1 with a second call to the clock, after the request's `date`: it may
        // be one second later. (S2 already covers the whole request; S1 is checked for
        // completeness, as LicenseSpring does.)
        let date = request.text("date").unwrap_or_default();
        let later = httpdate::parse_http_date(date)
            .map(|at| httpdate::fmt_http_date(at + std::time::Duration::from_secs(1)))
            .unwrap_or_default();
        let inner_valid = [date, later.as_str()].iter().any(|date| {
            let message = format!(
                "licenseSpring\ndate: {date}\n{holder}\n{}\n{}",
                request.text("hardware_id").unwrap_or_default(),
                credentials.api_key(),
            );
            verify_hmac(
                credentials.shared_key(),
                message.as_bytes(),
                request.text("signature").unwrap_or_default(),
            )
            .is_ok()
        });
        if !inner_valid {
            return Err(invalid());
        }
        Ok(request)
    }

    /// A text field; `license_id` may be a number.
    fn text(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }

    /// The license and machine the file names, as an online request would.
    pub fn license_request(&self) -> LicenseRequest<'_> {
        LicenseRequest {
            product: self.text("product").unwrap_or_default(),
            hardware_id: self.text("hardware_id").unwrap_or_default(),
            license_key: self.text("license_key"),
            username: self.text("username"),
            password: self.text("password"),
            // The deactivation file carries the id the activation answered (a number).
            license_id: None,
        }
    }

    pub fn machine(&self) -> Machine<'_> {
        Machine {
            hostname: self.text("hostname").unwrap_or_default(),
            os_ver: self.text("os_ver").unwrap_or_default(),
        }
    }

    pub fn request_id(&self) -> &str {
        self.text("request_id").unwrap_or_default()
    }
}

/// The license file answering an activation request, as the JSON `activate_offline` answers
/// (a `.lic` file is its base64): the license object with the request's `request_id` (the SDK's
/// guard wants its own back), signed as the SDK checks it: `license_signature_v2` is the RSA
/// signature of the compact JSON of every other field, in the order they appear in the file.
pub fn license_file(
    credentials: &TenantCredentials,
    answer: &LicenseAnswer,
    request_id: &str,
) -> Result<Vec<u8>, V4Error> {
    let internal = |err: serde_json::Error| {
        tracing::error!(error = %err, "cannot serialise an offline license file");
        V4Error::App(crate::AppError::Internal)
    };
    let Value::Object(mut fields) = serde_json::to_value(answer.object()).map_err(internal)? else {
        return Err(V4Error::App(crate::AppError::Internal));
    };
    fields.insert("request_id".into(), Value::String(request_id.to_owned()));
    // What is signed: the file without its two signature fields, serialised as the SDK
    // re-serialises it (compact, UTF-8, keys in file order; no floats anywhere).
    let signed = serde_json::to_vec(&fields).map_err(internal)?;
    let signature = credentials.sign(&signed);
    // The SDK requires `license_signature` (v1) to be present but never checks it.
    fields.insert("license_signature".into(), Value::String(signature.clone()));
    fields.insert("license_signature_v2".into(), Value::String(signature));
    serde_json::to_vec(&fields).map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::licensespring::auth::hmac_base64;
    use crate::licensespring::credentials::tests::vector_credentials;

    const DATE: &str = "Mon, 30 Nov 2026 04:09:46 GMT";

    /// A request file as `activate_offline_dump` writes it, S1 stamped at `s1_date`.
    fn request_file(creds: &TenantCredentials, kind: &str, s1_date: &str) -> Vec<u8> {
        let s1 = hmac_base64(
            creds.shared_key(),
            format!(
                "licenseSpring\ndate: {s1_date}\nKEY-1\nhw-1\n{}",
                creds.api_key()
            )
            .as_bytes(),
        );
        let request = format!(
            "{{\"request\": \"{kind}\", \"product\": \"p\", \"hardware_id\": \"hw-1\", \
             \"license_key\": \"KEY-1\", \"date\": \"{DATE}\", \"request_id\": \"r-1\", \
             \"schema_version\": 2, \"signature\": \"{s1}\", \"api_key\": \"{}\"}}",
            creds.api_key()
        );
        let s2 = hmac_base64(creds.shared_key(), request.as_bytes());
        BASE64
            .encode(format!(
                "{{\"request\": {request}, \"signature\": \"{s2}\"}}"
            ))
            .into_bytes()
    }

    #[test]
    fn a_request_file_opens_with_its_own_kind_and_keys_only() {
        let creds = vector_credentials();
        let file = request_file(&creds, "activation", DATE);
        let request = OfflineRequest::open(&creds, &file, RequestKind::Activation).unwrap();
        assert_eq!(request.request_id(), "r-1");
        assert_eq!(request.license_request().license_key, Some("KEY-1"));
        assert!(OfflineRequest::open(&creds, &file, RequestKind::Deactivation).is_err());
        // One byte changed anywhere in the request breaks S2.
        let mut text = String::from_utf8(BASE64.decode(&file).unwrap()).unwrap();
        text = text.replacen("hw-1", "hw-2", 1);
        let forged = BASE64.encode(text).into_bytes();
        assert_eq!(
            OfflineRequest::open(&creds, &forged, RequestKind::Activation).unwrap_err(),
            V4Error::InvalidOfflineRequest
        );
        assert!(OfflineRequest::open(&creds, b"not base64!", RequestKind::Activation).is_err());
    }

    /// The SDK reads the clock again for S1, after the request's `date`.
    #[test]
    fn s1_may_be_stamped_one_second_after_the_date_and_no_later() {
        let creds = vector_credentials();
        let next = "Mon, 30 Nov 2026 04:09:47 GMT";
        let two_later = "Mon, 30 Nov 2026 04:09:48 GMT";
        assert!(OfflineRequest::open(
            &creds,
            &request_file(&creds, "activation", next),
            RequestKind::Activation
        )
        .is_ok());
        assert!(OfflineRequest::open(
            &creds,
            &request_file(&creds, "activation", two_later),
            RequestKind::Activation
        )
        .is_err());
    }
}
