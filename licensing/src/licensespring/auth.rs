//! Request authentication of the LicenseSpring-compatible API, exactly as the SDK signs:
//! `Authorization: algorithm="hmac-sha256",headers="date",signature="<SIG>",apiKey="<key>"` with
//! `SIG = base64(HMAC-SHA256(shared_key, "licenseSpring\ndate: " + Date))`.
//!
//! The HMAC covers the date only, so it proves the caller holds the tenant's shared key, and the
//! bounded clock skew ([`MAX_CLOCK_SKEW`]) is all that limits replaying a captured header.

use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::credentials::{self, TenantCredentials};
use super::error::{AuthHeader, AuthParam, V4Error};
use crate::store::Store;

/// How far a request's `Date` may be from the server's clock, either way: wide enough for the
/// clocks of customers' machines, narrow enough that a captured header soon stops working.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// Longer headers than any the SDK sends (about 150 bytes) are refused before they are parsed.
const MAX_AUTHORIZATION_LEN: usize = 1024;

/// The only scheme the SDK speaks.
const ALGORITHM: &str = "hmac-sha256";
const SIGNED_HEADERS: &str = "date";

/// The headers a request authenticates with, as received (`None` when absent).
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestAuth<'a> {
    pub authorization: Option<&'a str>,
    pub date: Option<&'a str>,
}

/// An `Authorization` header's parameters that matter once its scheme is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub api_key: &'a str,
    pub signature: &'a str,
}

/// A request that proved it holds a tenant's shared key: the tenant's credentials, to sign the
/// answer with.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub credentials: TenantCredentials,
}

impl Authenticated {
    pub fn tenant_id(&self) -> &str {
        self.credentials.tenant_id()
    }
}

/// Authenticates a request at `now`: the headers are there and read as the scheme, the date is
/// within [`MAX_CLOCK_SKEW`], the API key is a tenant's, and the signature is that tenant's
/// shared key's HMAC of the date. Cheap checks first, so a malformed or stale request costs no
/// database read.
pub async fn authenticate(
    store: &Store,
    request: RequestAuth<'_>,
    now: SystemTime,
) -> Result<Authenticated, V4Error> {
    let header = request
        .authorization
        .ok_or(V4Error::MissingHeader(AuthHeader::Authorization))?;
    let date = request
        .date
        .ok_or(V4Error::MissingHeader(AuthHeader::Date))?;
    let auth = parse_authorization(header)?;
    check_date(date, now)?;
    let credentials = credentials::by_api_key(store, auth.api_key)
        .await?
        .ok_or(V4Error::InvalidApiKey)?;
    verify_signature(credentials.shared_key(), date, auth.signature)?;
    Ok(Authenticated { credentials })
}

/// Reads `algorithm="hmac-sha256",headers="date",signature="…",apiKey="…"`. Spaces around the
/// commas are allowed (some HTTP stacks add them); the order is not significant; unknown
/// parameters are ignored; a repeated one, an unquoted value, another algorithm or other signed
/// headers are refused.
pub fn parse_authorization(header: &str) -> Result<Authorization<'_>, V4Error> {
    if header.len() > MAX_AUTHORIZATION_LEN {
        return Err(V4Error::InvalidHeaders);
    }
    let (mut algorithm, mut headers, mut signature, mut api_key) = (None, None, None, None);
    for part in header.split(',') {
        let (name, value) = part.trim().split_once('=').ok_or(V4Error::InvalidHeaders)?;
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .filter(|v| !v.contains('"'))
            .ok_or(V4Error::InvalidHeaders)?;
        let slot = match name.trim() {
            "algorithm" => &mut algorithm,
            "headers" => &mut headers,
            "signature" => &mut signature,
            "apiKey" => &mut api_key,
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(V4Error::InvalidHeaders);
        }
    }
    let algorithm = algorithm.ok_or(V4Error::MissingParam(AuthParam::Algorithm))?;
    let headers = headers.ok_or(V4Error::MissingParam(AuthParam::Headers))?;
    let signature = signature
        .filter(|s| !s.is_empty())
        .ok_or(V4Error::MissingParam(AuthParam::Signature))?;
    let api_key = api_key
        .filter(|k| !k.is_empty())
        .ok_or(V4Error::MissingParam(AuthParam::ApiKey))?;
    if !algorithm.eq_ignore_ascii_case(ALGORITHM) || !headers.eq_ignore_ascii_case(SIGNED_HEADERS) {
        return Err(V4Error::InvalidHeaders);
    }
    Ok(Authorization { api_key, signature })
}

/// Refuses a `Date` that is no HTTP date or is further than [`MAX_CLOCK_SKEW`] from `now`.
pub fn check_date(date: &str, now: SystemTime) -> Result<(), V4Error> {
    let sent = httpdate::parse_http_date(date).map_err(|_| V4Error::InvalidHeaders)?;
    let skew = match now.duration_since(sent) {
        Ok(behind) => behind,
        Err(ahead) => ahead.duration(),
    };
    if skew > MAX_CLOCK_SKEW {
        return Err(V4Error::DateOutsideWindow);
    }
    Ok(())
}

/// What the SDK signs: the date header as `date: <value>` after a fixed first line.
fn signing_string(date: &str) -> String {
    format!("licenseSpring\ndate: {date}")
}

fn mac(shared_key: &str, message: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(shared_key.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(message);
    mac
}

/// Base64 of HMAC-SHA256 of `message` with the shared key: what the SDK signs requests and
/// offline request files with. For tests and clients that speak the scheme.
pub fn hmac_base64(shared_key: &str, message: &[u8]) -> String {
    BASE64.encode(mac(shared_key, message).finalize().into_bytes())
}

/// Checks a base64 HMAC of `message` in constant time (`verify_slice`), so its timing tells an
/// attacker nothing about how much of a guess was right.
pub fn verify_hmac(shared_key: &str, message: &[u8], signature: &str) -> Result<(), V4Error> {
    let given = BASE64
        .decode(signature)
        .map_err(|_| V4Error::SignatureMismatch)?;
    mac(shared_key, message)
        .verify_slice(&given)
        .map_err(|_| V4Error::SignatureMismatch)
}

/// The `signature` the SDK sends for this date: for tests and clients that speak the scheme.
pub fn sign_date(shared_key: &str, date: &str) -> String {
    hmac_base64(shared_key, signing_string(date).as_bytes())
}

/// Checks a request's signature of its date.
pub fn verify_signature(shared_key: &str, date: &str, signature: &str) -> Result<(), V4Error> {
    verify_hmac(shared_key, signing_string(date).as_bytes(), signature)
}

/// The `Authorization` header the SDK sends, for tests and clients that speak the scheme.
pub fn authorization_header(api_key: &str, shared_key: &str, date: &str) -> String {
    format!(
        "algorithm=\"{ALGORITHM}\",headers=\"{SIGNED_HEADERS}\",signature=\"{}\",apiKey=\"{api_key}\"",
        sign_date(shared_key, date)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Computed with Python's `hmac` and `base64`, as the SDK computes it:
    /// `base64.b64encode(hmac.new(key.encode(), ("licenseSpring\ndate: " + d).encode(),
    /// hashlib.sha256).digest())`.
    const VECTORS: [(&str, &str, &str); 2] = [
        (
            "s3cr3t-shared-key",
            "Mon, 30 Nov 2026 04:09:46 GMT",
            "vATkXPYLEL6Uapn2d9U52YlAJlwTj8RVqCADZaNNQq4=",
        ),
        (
            "Zmx7",
            "Thu, 01 Jan 2026 00:00:00 GMT",
            "cwE/ag43vGDgA1LsU3CNxuHOnhrhPoj7smoO94x7n9c=",
        ),
    ];

    #[test]
    fn signs_the_date_as_the_python_sdk_does() {
        for (key, date, expected) in VECTORS {
            assert_eq!(sign_date(key, date), expected);
            assert_eq!(verify_signature(key, date, expected), Ok(()));
        }
    }

    #[test]
    fn any_other_key_date_or_signature_is_a_mismatch() {
        let (key, date, sig) = VECTORS[0];
        assert_eq!(
            verify_signature("other", date, sig),
            Err(V4Error::SignatureMismatch)
        );
        assert_eq!(
            verify_signature(key, "Mon, 30 Nov 2026 04:09:47 GMT", sig),
            Err(V4Error::SignatureMismatch)
        );
        let mut flipped = sig.to_owned();
        flipped.replace_range(0..1, "w");
        for bad in [flipped.as_str(), "", "not base64!", &sig[..20]] {
            assert_eq!(
                verify_signature(key, date, bad),
                Err(V4Error::SignatureMismatch),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn reads_the_header_the_sdk_sends() {
        let header = authorization_header("my-api-key", "s3cr3t-shared-key", VECTORS[0].1);
        assert_eq!(
            header,
            "algorithm=\"hmac-sha256\",headers=\"date\",\
             signature=\"vATkXPYLEL6Uapn2d9U52YlAJlwTj8RVqCADZaNNQq4=\",apiKey=\"my-api-key\""
        );
        assert_eq!(
            parse_authorization(&header),
            Ok(Authorization {
                api_key: "my-api-key",
                signature: VECTORS[0].2,
            })
        );
        // Spaced and reordered, with an extra parameter: still the same credentials.
        let spaced = "apiKey=\"k\", signature=\"c2ln\", extra=\"x\", headers=\"date\", algorithm=\"hmac-sha256\"";
        assert_eq!(
            parse_authorization(spaced),
            Ok(Authorization {
                api_key: "k",
                signature: "c2ln",
            })
        );
    }

    #[test]
    fn refuses_headers_that_are_not_the_scheme() {
        let missing = [
            (
                "headers=\"date\",signature=\"s\",apiKey=\"k\"",
                AuthParam::Algorithm,
            ),
            (
                "algorithm=\"hmac-sha256\",signature=\"s\",apiKey=\"k\"",
                AuthParam::Headers,
            ),
            (
                "algorithm=\"hmac-sha256\",headers=\"date\",apiKey=\"k\"",
                AuthParam::Signature,
            ),
            (
                "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"s\"",
                AuthParam::ApiKey,
            ),
            (
                "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"s\",apiKey=\"\"",
                AuthParam::ApiKey,
            ),
        ];
        for (header, param) in missing {
            assert_eq!(
                parse_authorization(header),
                Err(V4Error::MissingParam(param)),
                "{header}"
            );
        }
        let long = format!(
            "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"s\",apiKey=\"{}\"",
            "k".repeat(2000)
        );
        for header in [
            "",
            "Bearer abc",
            "algorithm=hmac-sha256,headers=\"date\",signature=\"s\",apiKey=\"k\"",
            "algorithm=\"rsa-sha256\",headers=\"date\",signature=\"s\",apiKey=\"k\"",
            "algorithm=\"hmac-sha256\",headers=\"date host\",signature=\"s\",apiKey=\"k\"",
            "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"s\",apiKey=\"k\",apiKey=\"j\"",
            "algorithm=\"hmac-sha256\",headers=\"date\",signature=\"s\"x\",apiKey=\"k\"",
            long.as_str(),
        ] {
            assert_eq!(
                parse_authorization(header),
                Err(V4Error::InvalidHeaders),
                "{header}"
            );
        }
    }

    #[test]
    fn the_date_must_be_within_the_skew_either_way() {
        let date = "Mon, 30 Nov 2026 04:09:46 GMT";
        let sent = httpdate::parse_http_date(date).unwrap();
        let minute = Duration::from_secs(60);
        for ok in [
            sent,
            sent + 14 * minute,
            sent - 14 * minute,
            sent + MAX_CLOCK_SKEW,
            sent - MAX_CLOCK_SKEW,
        ] {
            assert_eq!(check_date(date, ok), Ok(()));
        }
        for stale in [
            sent + 16 * minute,
            sent - 16 * minute,
            sent + 24 * 60 * minute,
        ] {
            assert_eq!(check_date(date, stale), Err(V4Error::DateOutsideWindow));
        }
        for bad in ["", "yesterday", "2026-11-30T04:09:46Z"] {
            assert_eq!(check_date(bad, sent), Err(V4Error::InvalidHeaders), "{bad}");
        }
    }
}
