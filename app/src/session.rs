//! Who is asking: the session cookie of the current request, the `require_*` guards every
//! protected server function calls first, and the client address for the audit log.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use licensing::auth::{principal_for_session, Principal, SESSION_COOKIE};
use licensing::AppError;

use crate::state::AppState;

/// The application state; present in every server function and route the server mounts.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// The session cookie's value, if the browser sent one.
pub fn session_token() -> Option<String> {
    session_token_in(&use_context::<Parts>()?.headers)
}

/// The session cookie's value among a request's headers; for routes outside Leptos too.
pub fn session_token_in(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The logged-in account, or `Unauthenticated`. Called first in every protected server function.
pub async fn require_login() -> Result<Principal, AppError> {
    let state = state()?;
    let token = session_token().ok_or(AppError::Unauthenticated)?;
    principal_for_session(&state.store, &token, state.sessions).await
}

/// The address the request came from, for the audit log and failed-login logs.
pub fn client_ip() -> String {
    use_context::<Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ci| ci.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Sends the session cookie: HttpOnly (no script reads it), SameSite=Lax (no cross-site posts
/// carry it), and Secure when the portal is served over HTTPS.
pub fn set_session_cookie(token: &str, max_age_secs: i64, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    );
    append_cookie(&cookie);
}

pub fn clear_session_cookie() {
    append_cookie(&format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    ));
}

fn append_cookie(cookie: &str) {
    if let (Some(res), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(cookie),
    ) {
        res.append_header(SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use axum::http::header::COOKIE;
    use axum::http::{HeaderMap, HeaderValue};

    use super::session_token_in;

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; keyport_session=abc"));
        assert_eq!(session_token_in(&headers).as_deref(), Some("abc"));
        assert_eq!(session_token_in(&HeaderMap::new()), None);
    }
}
