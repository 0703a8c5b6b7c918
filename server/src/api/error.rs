//! The one place the device API turns errors into HTTP: a status code and a JSON body
//! `{"error": code, "message": text, ...}` with the code the app matches on and the message it
//! may show. Error bodies are not signed.

use app::error_text::{error_text_in, reason_text_in};
use app::i18n::Locale;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use licensing::{AppError, Field, InvalidReason};
use serde_json::{Map, Value};

/// An error answer of the device API.
#[derive(Debug)]
pub enum ApiError {
    /// A service error; `license_id` (when known) points the customer at the license's
    /// Devices tab for `too_many_devices`.
    App {
        error: AppError,
        license_id: Option<String>,
    },
    /// The body is larger than the API's limit.
    TooLarge { limit: usize },
    /// No route under `/api/v1` matched.
    NoSuchEndpoint,
    /// A management API request without a live management key: one answer for a missing,
    /// malformed, unknown and revoked key.
    InvalidKey,
}

impl ApiError {
    pub fn invalid(field: Field, reason: InvalidReason) -> Self {
        AppError::invalid(field, reason).into()
    }

    /// Adds the license the error is about.
    pub fn for_license(self, license_id: &str) -> Self {
        match self {
            Self::App { error, .. } => Self::App {
                error,
                license_id: Some(license_id.to_owned()),
            },
            other => other,
        }
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self::App {
            error,
            license_id: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = Map::new();
        let (status, code) = match &self {
            Self::TooLarge { limit } => {
                body.insert(
                    "message".into(),
                    format!("The request body is larger than {limit} bytes.").into(),
                );
                (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            }
            Self::InvalidKey => {
                body.insert(
                    "message".into(),
                    "The management key is missing, unknown or revoked. Send \
                     `Authorization: Bearer <key>` with a key a vendor admin made in the console."
                        .into(),
                );
                (StatusCode::UNAUTHORIZED, "invalid_key")
            }
            Self::NoSuchEndpoint => {
                body.insert(
                    "message".into(),
                    "There is no such endpoint; see /api/v1/openapi.json.".into(),
                );
                (StatusCode::NOT_FOUND, "not_found")
            }
            Self::App { error, license_id } => {
                // The API answers in English, in the English catalog's words.
                body.insert("message".into(), error_text_in(Locale::En, error).into());
                let code = match error {
                    // The portal's "log in" wording does not fit an app holding a device token.
                    AppError::Unauthenticated => {
                        body.insert(
                            "message".into(),
                            "The device token is missing or unknown. Activate the device again."
                                .into(),
                        );
                        "invalid_token"
                    }
                    AppError::InvalidCredentials => "invalid_credentials",
                    AppError::Forbidden => "forbidden",
                    AppError::NoLicense => "no_license",
                    AppError::LicenseInactive => "license_inactive",
                    AppError::NotFound { .. } => "not_found",
                    AppError::Invalid { field, reason } => {
                        let message = reason_text_in(Locale::En, reason);
                        body.insert("field".into(), field.name().into());
                        body.insert(
                            "message".into(),
                            format!("{} {message}", field.name()).into(),
                        );
                        "invalid_request"
                    }
                    AppError::Conflict { .. } => "conflict",
                    AppError::TooManyDevices { allowed } => {
                        body.insert("allowed".into(), (*allowed).into());
                        if let Some(id) = license_id {
                            body.insert(
                                "manage_url".into(),
                                format!("/licenses/{id}/devices").into(),
                            );
                        }
                        "too_many_devices"
                    }
                    AppError::DeactivationLimitReached { allowed } => {
                        body.insert("allowed".into(), (*allowed).into());
                        "deactivation_limit_reached"
                    }
                    AppError::SeatLimitReached { allowed } => {
                        body.insert("allowed".into(), (*allowed).into());
                        "seat_limit_reached"
                    }
                    AppError::DeviceDeactivated => "device_deactivated",
                    AppError::TooManyAttempts { minutes } => {
                        body.insert("retry_after_minutes".into(), (*minutes).into());
                        "too_many_attempts"
                    }
                    AppError::Unavailable => "unavailable",
                    AppError::Busy { retry_after_secs } => {
                        body.insert("retry_after_seconds".into(), (*retry_after_secs).into());
                        "busy"
                    }
                    AppError::Offline | AppError::Internal => "internal",
                };
                let status = StatusCode::from_u16(error.http_status())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                (status, code)
            }
        };
        body.insert("error".into(), code.into());
        let mut response = (status, axum::Json(Value::Object(body))).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Self::App { error, .. } = &self {
            if let Some(secs) = error.retry_after_secs() {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
        }
        if matches!(code, "invalid_token" | "invalid_key") {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"keyport\""),
            );
        }
        response
    }
}
