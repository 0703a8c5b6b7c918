//! The device API under `/api/v1`: JSON over HTTP for the vendor's desktop app (activate, check
//! in, deactivate, fetch the tenant's public key), described by `openapi.json`.
//!
//! Handlers only translate: request -> `licensing` service -> signed JSON answer. Every rule lives
//! in `licensing`; every error becomes HTTP in `error.rs`.

pub mod activation;
mod devices;
mod error;
pub mod json;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRef, FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use licensing::error::{Field, InvalidReason};
use licensing::{signing, Store};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use error::ApiError;

/// Largest request body the API reads; an activation is a few hundred bytes.
pub const BODY_LIMIT: usize = 16 * 1024;

/// The hand-written OpenAPI 3.0 description, served as is.
const OPENAPI: &str = include_str!("openapi.json");

/// Header carrying the base64 Ed25519 signature of the exact response body bytes.
pub const SIGNATURE_HEADER: &str = "keyport-signature";
/// Header naming the key that signed (`key_id` of `/api/v1/public-key`).
pub const KEY_ID_HEADER: &str = "keyport-key-id";

/// The routes, to be nested under `/api/v1`.
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Store: FromRef<S>,
    licensing::auth::ThrottlePolicy: FromRef<S>,
{
    Router::new()
        .route("/activations", post(devices::activate))
        .route(
            "/device",
            get(devices::check_in).delete(devices::deactivate),
        )
        .route("/public-key", get(devices::public_key))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { ApiError::NoSuchEndpoint })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// Serializes `body`, signs the exact bytes with the tenant's key and sends them.
async fn signed<T: Serialize>(
    store: &Store,
    tenant_id: &str,
    status: StatusCode,
    body: &T,
) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(|err| {
        tracing::error!(error = %err, "cannot serialize an API answer");
        licensing::AppError::Internal
    })?;
    let key = signing::tenant_key(store, tenant_id).await?;
    let signature = key.sign(&bytes);
    let mut response = json_bytes(status, bytes);
    let headers = response.headers_mut();
    for (name, value) in [(SIGNATURE_HEADER, signature), (KEY_ID_HEADER, key.key_id())] {
        // Base64 and hex are always valid header values.
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    Ok(response)
}

/// JSON bytes as an API answer: never cached, since every answer is about one device or key.
pub fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = (status, Body::from(bytes)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The address the request came from (see `security::client_address`), for throttling and the
/// audit log.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            app::session::client_ip_in(&parts.extensions).unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// The device token of `Authorization: Bearer <token>`; missing or malformed is `invalid_token`.
pub struct DeviceToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for DeviceToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        bearer(parts)
            .map(|token| Self(token.to_owned()))
            .ok_or_else(|| licensing::AppError::Unauthenticated.into())
    }
}

/// The credential of `Authorization: Bearer <credential>`, if the request has a non-empty one.
pub fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
}

/// A JSON body, refused with `invalid_request` naming the offending field (unknown fields
/// included, for types that deny them) and with `payload_too_large` past [`BODY_LIMIT`].
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge { limit: BODY_LIMIT }
            } else {
                ApiError::invalid(Field::Body, InvalidReason::Unreadable)
            }
        })?;
        parse_json(&bytes).map(Self)
    }
}

/// A query string into `T`, refused with `invalid_request` naming the parameter that holds a NUL
/// character (see `json::parse_object` for why) or that `T` cannot read. Handlers take their query
/// through this rather than axum's `Query`, whose refusal is not the API's JSON.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        crate::portal_input::refuse_nul_in_form(query.as_bytes())?;
        Query::try_from_uri(&parts.uri)
            .map(|Query(value)| Self(value))
            .map_err(|_| ApiError::invalid(Field::Query, InvalidReason::Unreadable))
    }
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    json::parse_object(bytes).map_err(ApiError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        count: Option<i64>,
    }

    fn field_of(json: &str) -> String {
        match parse_json::<Body>(json.as_bytes()) {
            Err(ApiError::App {
                error: licensing::AppError::Invalid { field, .. },
                ..
            }) => field.name().to_owned(),
            other => panic!("{json}: {other:?}"),
        }
    }

    #[test]
    fn names_the_offending_field() {
        assert_eq!(field_of(r#"{"count": 1}"#), "name");
        assert_eq!(field_of(r#"{"name": "a", "extra": 1}"#), "extra");
        // Found by fuzz/device_api_json: an empty key was answered with an empty `field`.
        assert_eq!(field_of(r#"{"name": "a", "": 1}"#), r#""""#);
        assert_eq!(field_of(r#"{"name": 5}"#), "name");
        assert_eq!(field_of(r#"{"name": "a", "count": "x"}"#), "count");
        assert_eq!(field_of(r#"{"name": "a""#), "body");
        assert_eq!(field_of(r#"[1]"#), "body");
        assert_eq!(field_of(r#"{"name": "a"} {}"#), "body");
        assert!(parse_json::<Body>(br#"{"name": "a"}"#).is_ok());
    }
}
