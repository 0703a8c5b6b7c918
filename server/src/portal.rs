//! The portal's server functions seen from HTTP: the status code an error answers with.

use axum::body::{to_bytes, Body};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use licensing::AppError;

/// Server functions answer every error with 500. This gives the answer the status its error
/// means (401, 403, 404, 409, ...) so scripts, proxies and logs see what happened, with
/// `Retry-After` on a refusal that passes with time (429, 503 busy); the body, which
/// the browser decodes, is unchanged. A form post without JavaScript is a redirect and is left
/// alone.
pub async fn server_fn_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Error bodies are a few hundred bytes of JSON; anything bigger is not one of ours.
    let Ok(bytes) = to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(secs) = error.retry_after_secs() {
            parts.headers.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
