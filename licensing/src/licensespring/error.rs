//! The `/api/v4` errors: why a request was refused, as typed values, rendered as the JSON body
//! LicenseSpring's SDK reads (`{"status", "code", "message"}`) with LicenseSpring's codes.
//!
//! The authentication failures are their own variants, not `AppError`s: they exist only on this
//! surface, before any tenant is known, and never reach the portal or its catalogs. A refusal by
//! a service travels as `App` and is rendered here in the contract's codes.

use serde::Serialize;

use crate::error::{AppError, Thing};

/// A header the request authentication needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthHeader {
    Authorization,
    Date,
}

/// A parameter of the `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthParam {
    Algorithm,
    Headers,
    Signature,
    ApiKey,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum V4Error {
    #[error("missing header {0:?}")]
    MissingHeader(AuthHeader),
    #[error("authorization lacks {0:?}")]
    MissingParam(AuthParam),
    /// An `Authorization` header that is not the scheme (another algorithm, other signed headers,
    /// a repeated or unquoted parameter, too long), or a `Date` that is no HTTP date.
    #[error("authorization header unreadable")]
    InvalidHeaders,
    /// No tenant holds this API key.
    #[error("unknown api key")]
    InvalidApiKey,
    /// The HMAC is not the one the tenant's shared key makes for this date.
    #[error("signature mismatch")]
    SignatureMismatch,
    /// The signed date is further from the server's clock than [`super::MAX_CLOCK_SKEW`]: an old
    /// request replayed, or a client clock that is off.
    #[error("date outside the accepted window")]
    DateOutsideWindow,
    /// The tenant has no product with the short code the app sent.
    #[error("unknown product")]
    UnknownProduct,
    /// A required request field is missing or empty (`hardware_id` has a code of its own).
    #[error("missing parameter {0}")]
    MissingParameter(&'static str),
    /// The license's end date has passed (suspended is `App(LicenseInactive)`).
    #[error("license expired")]
    LicenseExpired,
    /// A LicenseSpring feature Keyport does not offer yet (floating, consumption, trials...).
    #[error("not supported")]
    NotSupported,
    /// No endpoint at this path.
    #[error("no such endpoint")]
    NoSuchEndpoint,
    /// An offline request file for a license that is not an Offline Organisation license.
    #[error("offline activation not allowed")]
    OfflineNotAllowed,
    /// An offline request file that is not the SDK's envelope, or whose signatures are not the
    /// tenant's shared key's.
    #[error("invalid offline request")]
    InvalidOfflineRequest,
    /// An endpoint called with a method it does not answer.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The body is not the JSON object the endpoint reads.
    #[error("unreadable body")]
    UnreadableBody,
    /// The body is larger than the API reads.
    #[error("body too large")]
    BodyTooLarge,
    #[error(transparent)]
    App(#[from] AppError),
}

#[cfg(feature = "server")]
impl From<sqlx::Error> for V4Error {
    fn from(err: sqlx::Error) -> Self {
        Self::App(err.into())
    }
}

/// The JSON body of an `/api/v4` error, as the SDK reads it into `ClientError`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    pub status: u16,
    pub code: &'static str,
    pub message: &'static str,
}

impl V4Error {
    /// The status, code and message the SDK receives. Messages are the English the SDK shows
    /// (`str(ClientError)`); apps branch on `code`.
    pub fn body(&self) -> ErrorBody {
        let (status, code, message) = match self {
            Self::MissingHeader(_) => (400, "missing_headers", "Required headers are missing"),
            Self::MissingParam(_) => (
                400,
                "authorization_missing_params",
                "Authorization header is missing parameters",
            ),
            Self::InvalidHeaders => (
                400,
                "authorization_invalid_headers",
                "Authorization or Date header is invalid",
            ),
            Self::InvalidApiKey => (400, "invalid_api_key", "Invalid API key"),
            Self::SignatureMismatch => (401, "signature_mismatch", "Signature mismatch"),
            // The contract has no code of its own for a stale date; the SDK treats every 4xx
            // alike, and the message tells an operator to look at the clock.
            Self::DateOutsideWindow => (
                401,
                "signature_mismatch",
                "Date header is too far from the server's time",
            ),
            Self::UnknownProduct => (400, "unknown_product", "Unknown product"),
            Self::MissingParameter("hardware_id") => {
                (400, "missing_hardware_id", "Hardware ID is missing")
            }
            Self::MissingParameter(_) => {
                (400, "missing_parameters", "Required parameters are missing")
            }
            Self::LicenseExpired => (400, "license_expired", "License has expired"),
            Self::NotSupported => (
                400,
                "not_supported",
                "Keyport does not support this LicenseSpring feature yet",
            ),
            Self::NoSuchEndpoint => (404, "not_found", "No such endpoint"),
            Self::OfflineNotAllowed => (
                400,
                "offline_activation_not_allowed",
                "Only Offline Organisation licenses activate offline",
            ),
            Self::InvalidOfflineRequest => (
                400,
                "invalid_offline_request",
                "The offline request file is damaged or was not made with this API key",
            ),
            Self::MethodNotAllowed => (
                405,
                "method_not_allowed",
                "This endpoint does not answer this method",
            ),
            Self::UnreadableBody => (400, "invalid_request", "The request body is unreadable"),
            Self::BodyTooLarge => (413, "payload_too_large", "The request body is too large"),
            Self::App(err) => app_body(err),
        };
        ErrorBody {
            status,
            code,
            message,
        }
    }

    pub fn http_status(&self) -> u16 {
        self.body().status
    }
}

/// A service's refusal in the contract's codes (`licensespring-v4.md` section 8). 4xx only where
/// the SDK must see a refusal; an outage stays a 5xx, which the SDK rides out in its grace period.
fn app_body(err: &AppError) -> (u16, &'static str, &'static str) {
    match err {
        AppError::TooManyDevices { .. } => (
            400,
            "license_activated_max_times",
            "License is already activated max number of times",
        ),
        AppError::SeatLimitReached { .. } => (
            400,
            "licenseUserActivatedMaxTimes",
            "License user is already activated max number of times",
        ),
        AppError::DeactivationLimitReached { .. } => (
            400,
            "deactivation_limit_reached",
            "Deactivation limit reached: contact the vendor to reset it",
        ),
        AppError::NotFound {
            what: Thing::Device,
        }
        | AppError::DeviceDeactivated => (400, "device_not_found", "Device not found"),
        AppError::NotFound { .. } | AppError::NoLicense => {
            (400, "license_not_found", "License not found")
        }
        AppError::LicenseInactive => (400, "license_not_active", "License is not active"),
        AppError::Unauthenticated | AppError::InvalidCredentials => {
            (401, "unauthorized", "Wrong email or password")
        }
        AppError::Forbidden => (403, "forbidden", "Not allowed"),
        AppError::Invalid { .. } => (400, "missing_parameters", "Invalid or missing parameters"),
        AppError::Conflict { .. } => (400, "conflict", "The request conflicts with the license"),
        AppError::TooManyAttempts { .. } => (
            429,
            "too_many_attempts",
            "Too many failed attempts, retry later",
        ),
        AppError::Unavailable | AppError::Busy { .. } => (
            503,
            "service_unavailable",
            "Service unavailable, retry later",
        ),
        AppError::Offline | AppError::Internal => (500, "internal_error", "Internal error"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authentication_failures_use_the_contract_codes() {
        let cases = [
            (V4Error::SignatureMismatch, 401, "signature_mismatch"),
            (V4Error::DateOutsideWindow, 401, "signature_mismatch"),
            (V4Error::InvalidApiKey, 400, "invalid_api_key"),
            (
                V4Error::MissingParam(AuthParam::ApiKey),
                400,
                "authorization_missing_params",
            ),
            (
                V4Error::MissingHeader(AuthHeader::Date),
                400,
                "missing_headers",
            ),
            (
                V4Error::InvalidHeaders,
                400,
                "authorization_invalid_headers",
            ),
        ];
        for (err, status, code) in cases {
            let body = err.body();
            assert_eq!((body.status, body.code), (status, code), "{err:?}");
        }
    }

    #[test]
    fn the_body_is_the_json_the_sdk_reads() {
        let json = serde_json::to_value(V4Error::InvalidApiKey.body()).unwrap();
        assert_eq!(json["status"], 400);
        assert_eq!(json["code"], "invalid_api_key");
        assert!(json["message"].is_string());
    }

    #[test]
    fn service_refusals_use_the_contract_codes() {
        let limit = V4Error::from(AppError::TooManyDevices { allowed: 3 });
        assert_eq!(limit.body().code, "license_activated_max_times");
        assert_eq!(limit.http_status(), 400);
        let device = V4Error::from(AppError::not_found(Thing::Device));
        assert_eq!(device.body().code, "device_not_found");
        let license = V4Error::from(AppError::not_found(Thing::License));
        assert_eq!(license.body().code, "license_not_found");
        assert_eq!(V4Error::from(AppError::Unavailable).http_status(), 503);
    }
}
