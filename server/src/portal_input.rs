//! The portal's request input, checked once before any page, server function or form route
//! reads it: the body, read in full up to [`BODY_LIMIT`], and every text it carries.
//!
//! One layer in front of the whole portal rather than a check in each server function, because a
//! `#[server]` function reads its own arguments and pages call server functions directly with
//! their URL's parameters: here, a new server function, page or form route cannot forget it.
//! - A body past the limit answers 413 however it is framed. `RequestBodyLimitLayer` refuses an
//!   oversized `Content-Length` up front, but only cuts a chunked body while it is read, which a
//!   server function would report as an unreadable form (422).
//! - A text with a NUL character (in the path, the query or a server function's form or JSON
//!   body) is refused naming its field (see `licensing::input::refuse_nul`): Postgres cannot
//!   store one and would fail with a 500 where SQLite would not.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::header::{ACCEPT, CONTENT_TYPE, LOCATION, REFERER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::error::{FromServerFnError, ServerFnUrlError, SERVER_FN_ERROR_HEADER};
use licensing::error::{Field, InvalidReason};
use licensing::input::{refuse_nul, refuse_nul_in_json};
use licensing::AppError;

/// Largest request body of the portal (pages, server functions and the offline activation form).
pub const BODY_LIMIT: usize = 64 * 1024;

/// Where server functions are served (`#[server]`'s default prefix).
const SERVER_FN_PREFIX: &str = "/api/";

/// The middleware; runs inside `RequestBodyLimitLayer::new(BODY_LIMIT)`, whose cut of a chunked
/// body it turns into 413.
pub async fn check(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match Bytes::from_request(Request::new(body), &()).await {
        Ok(bytes) => bytes,
        // 413 when the limit cut the body; 400 when it could not be read at all.
        Err(rejection) => return rejection.status().into_response(),
    };
    let server_fn = parts.uri.path().starts_with(SERVER_FN_PREFIX);
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let checked = texts_without_nul(
        parts.uri.path(),
        parts.uri.query().unwrap_or_default(),
        server_fn.then_some((content_type, &bytes[..])),
    );
    match checked {
        Ok(()) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(error) if server_fn => server_fn_error(&parts, error),
        Err(error) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            app::error_text::error_text_in(app::i18n::locale_of(&parts.headers), &error),
        )
            .into_response(),
    }
}

/// `Invalid` on the first text with a NUL: the path, a query parameter, or a field of a form or
/// JSON body. Bodies of other types are the route's to read (the offline form's request file is
/// checked by `licensing::offline`).
fn texts_without_nul(path: &str, query: &str, body: Option<(&str, &[u8])>) -> Result<(), AppError> {
    // Hyper refuses a raw NUL in the request line, so `%00` is the only way a path carries one.
    if path.contains("%00") {
        return Err(AppError::invalid(Field::Path, InvalidReason::ContainsNul));
    }
    refuse_nul_in_form(query.as_bytes())?;
    let Some((content_type, body)) = body else {
        return Ok(());
    };
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media_type.as_str() {
        "application/x-www-form-urlencoded" => refuse_nul_in_form(body),
        // A body that is not JSON is the server function's to refuse.
        "application/json" => {
            serde_json::from_slice(body).map_or(Ok(()), |value| refuse_nul_in_json(&value))
        }
        _ => Ok(()),
    }
}

/// Each `name=value` pair of a form or query string, the field named as the form names it
/// (`terms[subscriptions]`). The device API's query strings pass here too.
pub(crate) fn refuse_nul_in_form(form: &[u8]) -> Result<(), AppError> {
    for (name, value) in form_urlencoded::parse(form) {
        let field = Field::from(name.to_string());
        refuse_nul(&field, &name)?;
        refuse_nul(&field, &value)?;
    }
    Ok(())
}

/// The error as the server function itself would answer it: to a script, 422 with the encoded
/// error; to a form posted without JavaScript, a redirect back with the error in the URL, which
/// the page shows.
fn server_fn_error(parts: &axum::http::request::Parts, error: AppError) -> Response {
    let path = parts.uri.path();
    let accepts_html = parts
        .headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let referer = parts.headers.get(REFERER).and_then(|v| v.to_str().ok());
    let back = referer
        .filter(|_| accepts_html)
        .and_then(|referer| {
            ServerFnUrlError::new(path, error.clone())
                .to_url(referer)
                .ok()
        })
        .and_then(|url| HeaderValue::from_str(url.as_str()).ok());
    if let Some(location) = back {
        return (StatusCode::FOUND, [(LOCATION, location)]).into_response();
    }
    let mut response = (StatusCode::UNPROCESSABLE_ENTITY, error.ser()).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(path) = HeaderValue::from_str(path) {
        headers.insert(SERVER_FN_ERROR_HEADER, path);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(path: &str, query: &str, body: Option<(&str, &[u8])>) -> Option<String> {
        match texts_without_nul(path, query, body) {
            Ok(()) => None,
            Err(AppError::Invalid { field, .. }) => Some(field.name().to_owned()),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn nul_is_found_in_path_query_form_and_json() {
        let form = "application/x-www-form-urlencoded";
        assert_eq!(field("/licenses/a%00b", "", None), Some("path".into()));
        assert_eq!(field("/admin", "search=a%00", None), Some("search".into()));
        assert_eq!(
            field(
                "/api/login",
                "",
                Some((form, b"company=x&email=user%00%40acme.example"))
            ),
            Some("email".into())
        );
        assert_eq!(
            field("/api/f", "", Some((form, b"terms%5Bname%5D=\0"))),
            Some("terms[name]".into())
        );
        assert_eq!(
            field(
                "/api/f",
                "",
                Some(("application/json; charset=utf-8", br#"{"name":"a\u0000"}"#))
            ),
            Some("name".into())
        );
        assert_eq!(
            field(
                "/api/login",
                "next=%2F",
                Some((form, b"email=a%40b.example"))
            ),
            None
        );
        // Another type of body is the route's to read.
        assert_eq!(
            field("/api/f", "", Some(("multipart/form-data", b"\0"))),
            None
        );
    }
}
