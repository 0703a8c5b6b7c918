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
    http_only_cookie(
        session_cookie_name(secure),
        token,
        ("/", SameSite::Lax),
        max_age_secs,
        secure,
    )
    .to_string()
}

/// A cookie no script reads, sent back only to `path`.
fn http_only_cookie(
    name: String,
    value: &str,
    (path, same_site): (&'static str, SameSite),
    max_age_secs: i64,
    secure: bool,
) -> Cookie<'static> {
    Cookie::build((name, value.to_owned()))
        .path(path)
        .http_only(true)
        .same_site(same_site)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .secure(secure)
        .build()
}

pub fn set_session_cookie(token: &str, max_age_secs: i64, secure: bool) {
    append_cookie(&session_cookie(token, max_age_secs, secure));
}

pub fn clear_session_cookie() {
    let secure = use_context::<AppState>().is_some_and(|s| s.secure_cookies);
    append_cookie(&session_cookie("", 0, secure));
}

/// The cookies that carry a failed login's company ID and email back to the login page after a
/// plain form post (no script: the browser loads the page anew, and its fields would be empty).
/// Never the password. Kept for a minute, sent to the login page only, read once.
const TYPED_LOGIN: [&str; 2] = ["keyport_login_company", "keyport_login_email"];

/// How long the login page may show a failed login's company ID and email again.
const TYPED_LOGIN_SECS: i64 = 60;

/// The longest company ID or email kept: longer ones are nobody's, and a cookie has 4 KB.
const TYPED_LOGIN_MAX: usize = 320;

fn typed_login_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let place = ("/login", SameSite::Strict);
    http_only_cookie(name.to_owned(), value, place, max_age_secs, secure)
        .encoded()
        .to_string()
}

/// After a failed login by a plain form post, keeps the typed company ID and email for the login
/// page the browser is sent back to. A script's post stays on its page: nothing is kept.
pub fn keep_typed_login(company: &str, email: &str) {
    let plain_form = use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    });
    if !plain_form || company.len() > TYPED_LOGIN_MAX || email.len() > TYPED_LOGIN_MAX {
        return;
    }
    let secure = use_context::<AppState>().is_some_and(|s| s.secure_cookies);
    for (name, value) in TYPED_LOGIN.into_iter().zip([company, email]) {
        append_cookie(&typed_login_cookie(name, value, TYPED_LOGIN_SECS, secure));
    }
}

/// The company ID and email a failed login kept (see [`keep_typed_login`]), forgotten as they
/// are read; empty strings for what was not kept.
pub fn take_typed_login() -> [String; 2] {
    let Some(typed) = use_context::<Parts>().and_then(|parts| typed_login_in(&parts.headers))
    else {
        return Default::default();
    };
    let secure = use_context::<AppState>().is_some_and(|s| s.secure_cookies);
    for name in TYPED_LOGIN {
        append_cookie(&typed_login_cookie(name, "", 0, secure));
    }
    typed
}

/// The kept company ID and email among a request's cookies; `None` when neither was sent.
fn typed_login_in(headers: &HeaderMap) -> Option<[String; 2]> {
    let sent: Vec<Cookie<'static>> = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|header| Cookie::split_parse_encoded(header.to_owned()))
        .filter_map(Result::ok)
        .filter(|cookie| TYPED_LOGIN.contains(&cookie.name()))
        .collect();
    (!sent.is_empty()).then(|| {
        TYPED_LOGIN.map(|name| {
            sent.iter()
                .find(|cookie| cookie.name() == name)
                .map(|cookie| {
                    // Control characters are nothing anyone typed into a field on purpose.
                    let typed = cookie.value().chars().filter(|c| !c.is_control());
                    typed.take(TYPED_LOGIN_MAX).collect()
                })
                .unwrap_or_default()
        })
    })
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

    use super::{
        session_cookie, session_token_in, typed_login_cookie, typed_login_in, TYPED_LOGIN,
    };

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
    fn a_failed_logins_typed_fields_come_back_as_typed_whatever_they_hold() {
        let company = "Acme; Inc=\"1\" %41 \u{0} ü";
        let email = "ada,lovelace@exämple.com";
        let set = typed_login_cookie(TYPED_LOGIN[0], company, 60, true);
        assert!(set.ends_with("; HttpOnly; SameSite=Strict; Secure; Path=/login; Max-Age=60"));
        // The browser sends back the name and value, before the attributes.
        let sent = |set: &str| {
            set.split_once("; ")
                .map(|(pair, _)| pair.to_owned())
                .unwrap()
        };
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_str(&sent(&set)).unwrap());
        let shown = company.replace('\u{0}', "");
        assert_eq!(
            typed_login_in(&headers),
            Some([shown.clone(), String::new()])
        );
        let set = typed_login_cookie(TYPED_LOGIN[1], email, 60, false);
        headers.append(
            COOKIE,
            HeaderValue::from_str(&format!("a=1; {}", sent(&set))).unwrap(),
        );
        assert_eq!(typed_login_in(&headers), Some([shown, email.to_owned()]));
        assert_eq!(typed_login_in(&HeaderMap::new()), None);
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
