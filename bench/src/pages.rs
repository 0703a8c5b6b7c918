//! What a browser asks of the portal, for the bench's page rows: a signed-in session (the login
//! form's own endpoint), and the requests for a static asset, the server-rendered login page and a
//! license's Devices tab.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderValue};
use hyper::{Request, StatusCode};

use crate::load;

/// Signs in through `POST /api/login` as the portal's login form does; returns the `name=value`
/// of the session cookie.
pub async fn sign_in(
    addr: SocketAddr,
    company: &str,
    email: &str,
    password: &str,
) -> Result<String, String> {
    let form = format!(
        "company={}&email={}&password={}",
        encode(company),
        encode(email),
        encode(password)
    );
    let request = Request::post("/api/login")
        .header(header::HOST, addr.to_string())
        .header(header::ORIGIN, format!("http://{addr}"))
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(form)))
        .map_err(|e| e.to_string())?;
    let mut conn = load::connect(addr).await?;
    conn.ready().await.map_err(|e| e.to_string())?;
    let response = conn
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("signing in as {email}: HTTP {}", response.status()));
    }
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| {
            pair.split_once('=')
                .is_some_and(|(_, value)| !value.is_empty())
        })
        .map(str::to_owned)
        .ok_or_else(|| format!("signing in as {email}: no session cookie"))
}

/// A GET as a browser sends it: the cookie if given, and the encodings a browser accepts.
pub fn browser_get(addr: SocketAddr, path: &str, cookie: Option<&str>) -> Request<Full<Bytes>> {
    let mut request = Request::get(path)
        .header(header::HOST, addr.to_string())
        .header(header::ACCEPT_ENCODING, "gzip, deflate, br");
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(c).ok()) {
        request = request.header(header::COOKIE, cookie);
    }
    request
        .body(Full::new(Bytes::new()))
        .expect("a GET with valid headers")
}

/// Checks once that a page answers 200 before it is loaded for seconds.
pub async fn expect_ok(addr: SocketAddr, request: Request<Full<Bytes>>) -> Result<(), String> {
    let path = request.uri().to_string();
    let mut conn = load::connect(addr).await?;
    match load::exchange(&mut conn, request).await? {
        (StatusCode::OK, _) => Ok(()),
        (status, _) => Err(format!("GET {path}: HTTP {status}")),
    }
}

/// The bytes Chromium transfers on a cold first load of `/login` and of `devices_tab` signed in
/// with `cookie` (`end2end/first-load.mjs`, Playwright's own Chromium driver); `None` with the
/// reason when Playwright or Chromium is not installed (`make setup-test` installs them).
pub fn first_load(addr: SocketAddr, cookie: &str, devices_tab: &str) -> Result<(u64, u64), String> {
    if !std::path::Path::new("end2end/node_modules/playwright").exists() {
        return Err("Playwright is not installed (make setup-test installs it)".into());
    }
    let out = std::process::Command::new("node")
        .args([
            "end2end/first-load.mjs",
            &format!("http://{addr}"),
            cookie,
            devices_tab,
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "first-load.mjs failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let answer: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("first-load.mjs: {e}"))?;
    match (answer["login"].as_u64(), answer["devices"].as_u64()) {
        (Some(login), Some(devices)) => Ok((login, devices)),
        _ => Err(format!("first-load.mjs answered {answer}")),
    }
}

/// Form encoding of a value: letters, digits and `-._~` as they are, everything else escaped.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_a_form_value() {
        assert_eq!(encode("user@acme.example"), "user%40acme.example");
        assert_eq!(encode("a b&c=d"), "a%20b%26c%3Dd");
    }
}
