//! Who is asking: the session cookie of the current request, the `require_*` guards every
//! protected server function calls first, and the client address for the audit log.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::Extensions;
use axum::http::{HeaderMap, HeaderValue};
use cookie::{Cookie, SameSite};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use licensing::auth::{principal_for_session, Principal, SignedIn, SESSION_COOKIE};
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
    let secure = use_context::<AppState>().is_some_and(|s| s.secure_cookies);
    session_token_in(&use_context::<Parts>()?.headers, secure)
}

/// The session cookie's name. Over HTTPS it carries the `__Host-` prefix: browsers then only
/// accept it Secure, for Path=/ and from this very host, so a sibling subdomain cannot plant a
/// session of its choosing. Plain HTTP (a developer's localhost) cannot use the prefix.
pub fn session_cookie_name(secure: bool) -> String {
    if secure {
        format!("__Host-{SESSION_COOKIE}")
    } else {
        SESSION_COOKIE.to_owned()
    }
}

/// The session cookie's value among a request's headers; for routes outside Leptos too. Over
/// HTTPS only the `__Host-` cookie counts.
pub fn session_token_in(headers: &HeaderMap, secure: bool) -> Option<String> {
    let wanted = session_cookie_name(secure);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == wanted)
        .map(|cookie| cookie.value().to_owned())
}

/// The account and session token behind a request to a plain route outside Leptos (a form post,
/// a download): `Unauthenticated` without the cookie or once the session has ended.
pub async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Principal, String), AppError> {
    let token = session_token_in(headers, state.secure_cookies).ok_or(AppError::Unauthenticated)?;
    let who = principal_for_session(&state.store, &token, state.sessions).await?;
    Ok((who, token))
}

/// The login page's address that comes back to `page` once signed in.
pub fn login_then(page: &str) -> String {
    format!("/login?next={}", crate::encode(page))
}

/// The logged-in account, or `Unauthenticated`. Called first in every protected server function.
pub async fn require_login() -> Result<Principal, AppError> {
    let look_up = || async {
        let state = state()?;
        let token = session_token().ok_or(AppError::Unauthenticated)?;
        licensing::auth::session(&state.store, &token, state.sessions).await
    };
    let signed_in = match login_memo() {
        Some(memo) => memo.0.get_or_try_init(look_up).await.cloned(),
        None => look_up().await,
    };
    signed_in.map(|signed_in| signed_in.principal)
}

/// Whether a one-time note may wait for one of this session's pages: `false` once
/// [`require_login`] found none, so a page need not look for its own; `true` when unknown.
pub fn notes_may_wait() -> bool {
    login_memo()
        .and_then(|memo| memo.0.get().map(|signed_in| signed_in.notes_waiting))
        .unwrap_or(true)
}

fn login_memo() -> Option<LoginMemo> {
    use_context::<Parts>().and_then(|parts| parts.extensions.get::<LoginMemo>().cloned())
}

/// The session a request belongs to, once [`require_login`] found it: a page's resources each
/// ask, at the same time while the server renders, and the answer cannot change within one
/// request, so the first to ask looks it up and the others wait for its answer. The server's
/// portal layer puts an empty one on every portal request; a refusal is not kept (nothing to save
/// on it).
#[derive(Clone, Default)]
pub struct LoginMemo(std::sync::Arc<tokio::sync::OnceCell<SignedIn>>);

/// The client's address as the server worked it out (the peer, or `X-Forwarded-For` from a
/// trusted proxy); the server's middleware puts it on every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The address the request came from, for throttling, the audit log and failed-login logs.
pub fn client_ip() -> String {
    use_context::<Parts>()
        .and_then(|parts| client_ip_in(&parts.extensions))
        .unwrap_or_else(|| "unknown".into())
}

/// [`client_ip`] for routes outside Leptos.
pub fn client_ip_in(extensions: &Extensions) -> Option<String> {
    extensions
        .get::<ClientAddr>()
        .map(|addr| addr.0)
        .or_else(|| {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ci| ci.0.ip())
        })
        .map(|ip| ip.to_string())
}

/// The `Set-Cookie` value of a session: HttpOnly (no script reads it), SameSite=Lax (no
/// cross-site posts carry it), and over HTTPS Secure with the `__Host-` name.
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    Cookie::build((session_cookie_name(secure), token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .secure(secure)
        .build()
        .to_string()
}

pub fn set_session_cookie(token: &str, max_age_secs: i64, secure: bool) {
    append_cookie(&session_cookie(token, max_age_secs, secure));
}

pub fn clear_session_cookie() {
    let secure = use_context::<AppState>().is_some_and(|s| s.secure_cookies);
    append_cookie(&session_cookie("", 0, secure));
}

/// Adds a `Set-Cookie` header to the response being built (the language switcher's too).
pub fn append_cookie(cookie: &str) {
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

    use super::{session_cookie, session_token_in};

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; keyport_session=abc"));
        assert_eq!(session_token_in(&headers, false).as_deref(), Some("abc"));
        assert_eq!(session_token_in(&HeaderMap::new(), false), None);
        // Over HTTPS a cookie without the prefix may have been planted by a sibling subdomain.
        assert_eq!(session_token_in(&headers, true), None);
        headers.append(
            COOKIE,
            HeaderValue::from_static("__Host-keyport_session=def"),
        );
        assert_eq!(session_token_in(&headers, true).as_deref(), Some("def"));
    }

    #[test]
    fn the_cookie_is_host_prefixed_and_secure_over_https() {
        assert_eq!(
            session_cookie("t", 60, true),
            "__Host-keyport_session=t; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=60"
        );
        assert_eq!(
            session_cookie("t", 60, false),
            "keyport_session=t; HttpOnly; SameSite=Lax; Path=/; Max-Age=60"
        );
    }
}
