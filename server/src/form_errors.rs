//! The error of a failed no-JavaScript form post, authenticated: Leptos carries it back to the
//! form's page in the address (`?__path=…&__err=<base64 of the AppError>`), and the page shows
//! it. Unchecked, a crafted link would make the portal display any text an attacker chose as if
//! it were Keyport's own message. This signs the error in the redirect with a key of the
//! installation, bound to the browser's session, and a page asked with an error that does not
//! carry a valid signature is redirected to its address without it: nothing of it is shown,
//! neither by the server's render nor by the hydrated page reading the address bar.

use std::sync::Arc;

use app::session::session_token_in;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PATH: &str = "__path";
const ERR: &str = "__err";
const SIG: &str = "__sig";

/// The signing key and how to find the session cookie.
pub struct FormErrors {
    pub key: Vec<u8>,
    pub secure_cookies: bool,
}

impl FormErrors {
    /// HMAC-SHA256 over the session (its cookie's hash, empty without one), the server
    /// function's path and the encoded error, each with its length so no part can shift into
    /// the next.
    fn mac(&self, session: &str, path: &str, err: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        for part in [session, path, err] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }

    fn sign(&self, session: &str, path: &str, err: &str) -> String {
        hex::encode(self.mac(session, path, err).finalize().into_bytes())
    }

    fn verify(&self, session: &str, path: &str, err: &str, sig: &str) -> bool {
        hex::decode(sig).is_ok_and(|sig| self.mac(session, path, err).verify_slice(&sig).is_ok())
    }
}

/// The three parameters of a form error in a query string, if it has any of them. A parameter
/// given twice makes the whole error invalid (`None` in its place): Leptos shows the first
/// occurrence, so a signature over the last must not vouch for an earlier one.
#[allow(clippy::type_complexity)]
fn error_params(query: &str) -> Option<Option<(String, String, String)>> {
    let (mut path, mut err, mut sig) = (Vec::new(), Vec::new(), Vec::new());
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*name {
            PATH => path.push(value.into_owned()),
            ERR => err.push(value.into_owned()),
            SIG => sig.push(value.into_owned()),
            _ => {}
        }
    }
    if path.is_empty() && err.is_empty() && sig.is_empty() {
        return None;
    }
    if path.len() > 1 || err.len() > 1 || sig.len() > 1 {
        return Some(None);
    }
    let one = |v: Vec<String>| v.into_iter().next().unwrap_or_default();
    Some(Some((one(path), one(err), one(sig))))
}

/// The last `__path` and `__err` of a redirect's query: Leptos appends the new error to the
/// page's address, which may still hold the previous one.
fn last_error(query: &str) -> Option<(String, String)> {
    let (mut path, mut err) = (None, None);
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*name {
            PATH => path = Some(value.into_owned()),
            ERR => err = Some(value.into_owned()),
            _ => {}
        }
    }
    Some((path?, err?))
}

/// The query without the form error's parameters.
fn without_error(query: &str) -> String {
    let mut kept = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if ![PATH, ERR, SIG].contains(&&*name) {
            kept.append_pair(&name, &value);
        }
    }
    kept.finish()
}

/// Signs the error of a failed form post's redirect, and sends a page asked with an unsigned or
/// forged error to its address without it.
pub async fn authenticated(
    State(signer): State<Arc<FormErrors>>,
    request: Request,
    next: Next,
) -> Response {
    let session = session_token_in(request.headers(), signer.secure_cookies)
        .map(|token| licensing::secret::hash(&token))
        .unwrap_or_default();
    if let Some(query) = request.uri().query() {
        let valid = match error_params(query) {
            None => true,
            Some(Some((path, err, sig))) => signer.verify(&session, &path, &err, &sig),
            Some(None) => false,
        };
        if !valid {
            let rest = without_error(query);
            let page = request.uri().path();
            let to = if rest.is_empty() {
                page.to_owned()
            } else {
                format!("{page}?{rest}")
            };
            return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
        }
    }
    let mut response = next.run(request).await;
    if !response.status().is_redirection() {
        return response;
    }
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Leptos writes the query and never a fragment.
    let (page, query) = location.split_once('?').unwrap_or((location, ""));
    if let Some((path, err)) = last_error(query) {
        let mut signed = form_urlencoded::Serializer::new(String::new());
        signed.extend_pairs(form_urlencoded::parse(without_error(query).as_bytes()));
        signed
            .append_pair(PATH, &path)
            .append_pair(ERR, &err)
            .append_pair(SIG, &signer.sign(&session, &path, &err));
        if let Ok(value) = HeaderValue::from_str(&format!("{page}?{}", signed.finish())) {
            response.headers_mut().insert(header::LOCATION, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> FormErrors {
        FormErrors {
            key: vec![7; 32],
            secure_cookies: false,
        }
    }

    #[test]
    fn a_signature_holds_for_its_session_path_and_error_only() {
        let s = signer();
        let sig = s.sign("session", "/api/login", "eyJlcnJvciI6Im5vIn0=");
        assert!(s.verify("session", "/api/login", "eyJlcnJvciI6Im5vIn0=", &sig));
        assert!(!s.verify("other", "/api/login", "eyJlcnJvciI6Im5vIn0=", &sig));
        assert!(!s.verify("session", "/api/logout", "eyJlcnJvciI6Im5vIn0=", &sig));
        assert!(!s.verify("session", "/api/login", "eyJlcnJvciI6InllcyJ9", &sig));
        assert!(!s.verify("session", "/api/login", "eyJlcnJvciI6Im5vIn0=", "zz"));
        // Parts cannot be shifted from one field into the next.
        let shifted = s.sign("sessio", "n/api/login", "eyJlcnJvciI6Im5vIn0=");
        assert_ne!(sig, shifted);
    }

    #[test]
    fn the_error_parameters_are_found_and_removed() {
        let q = "tab=users&__path=%2Fapi%2Flogin&__err=abc%3D&__sig=00";
        assert_eq!(
            error_params(q),
            Some(Some(("/api/login".into(), "abc=".into(), "00".into())))
        );
        assert_eq!(without_error(q), "tab=users");
        assert_eq!(error_params("tab=users"), None);
        assert_eq!(
            error_params("__err=x"),
            Some(Some((String::new(), "x".into(), String::new())))
        );
        // Twice: Leptos would show the first, a signature could only cover one.
        assert_eq!(
            error_params("__err=forged&__path=p&__err=real&__sig=00"),
            Some(None)
        );
        assert_eq!(
            last_error("__path=a&__err=old&__sig=1&__path=b&__err=new"),
            Some(("b".into(), "new".into()))
        );
    }
}
