//! The portal's browser defences over HTTP on the server's router (`server::app`, in process): the same-origin check on
//! state-changing requests, the security headers and CSP nonce, the session cookie's name and
//! flags, and the throttling of failed logins and activations (per account, per client address,
//! `X-Forwarded-For` only from trusted proxies).

mod common;

use common::{session, test_database, App};
use licensing::auth::{self, SessionPolicy};
use licensing::demo::{seed_vendor, DemoTenant, DEMO_PASSWORD};
use licensing::Store;
use reqwest::header::HeaderMap;
use reqwest::Client;

#[path = "security/csrf.rs"]
mod csrf;
#[path = "security/form_errors.rs"]
mod form_errors;
#[path = "security/headers.rs"]
mod headers;
#[path = "security/sessions.rs"]
mod sessions;
#[path = "security/throttling.rs"]
mod throttling;

/// A client on a loopback address of its own (Linux routes all of 127.0.0.0/8 to `lo`), so
/// per-address counts of tests sharing one Postgres do not mix.
fn client() -> Client {
    on_own_address(common::portal_client())
}

/// [`client`] without the same-origin header of the portal's pages, for the CSRF checks, which
/// set every header themselves.
fn bare_client() -> Client {
    on_own_address(Client::builder().redirect(reqwest::redirect::Policy::none()))
}

fn on_own_address(builder: reqwest::ClientBuilder) -> Client {
    let local = std::net::Ipv4Addr::new(127, rand_octet(), rand_octet(), rand_octet());
    builder
        .local_address(std::net::IpAddr::V4(local))
        .build()
        .unwrap()
}

async fn tenant(store: &Store, prefix: &str) -> DemoTenant {
    let company = format!("{prefix}-{}", common::random_hex(12));
    seed_vendor(
        store,
        &company,
        "CodeGlass",
        "Acme Corp",
        "acme",
        "CodeGlass",
    )
    .await
    .expect("seed tenant")
}

async fn logged_in(store: &Store, token: &str) -> bool {
    auth::principal_for_session(store, token, SessionPolicy::default())
        .await
        .is_ok()
}

async fn active_devices(store: &Store, license: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND deactivated_at IS NULL",
    )
    .bind(license)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

async fn a_device(store: &Store, license: &str) -> String {
    sqlx::query_scalar(
        "SELECT id FROM devices WHERE license_id = $1 AND deactivated_at IS NULL ORDER BY id",
    )
    .bind(license)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

async fn login_form(
    http: &Client,
    server: &App,
    company: &str,
    email: &str,
    password: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = http
        .post(format!("{}/api/login", server.base))
        .header("accept", "application/json")
        .form(&[
            ("company", company),
            ("email", email),
            ("password", password),
        ]);
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn set_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_owned()
}
fn rand_octet() -> u8 {
    u8::from_str_radix(&common::random_hex(2), 16).unwrap() % 250 + 1
}
