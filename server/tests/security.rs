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

// ---------------------------------------------------------------------------------------------
// CSRF
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn state_changes_only_from_the_portals_own_origin() {
    let (url, _dir) = test_database("csrf");
    let store = Store::connect(&url).await.unwrap();
    let server = App::start_with(
        &url,
        &[(
            "KEYPORT_ALLOWED_ORIGINS",
            "http://localhost:8080,http://dev.example:1234/",
        )],
    )
    .await;
    let t = tenant(&store, "Csrf").await;
    let token = session(&store, &t.company_id, "manager@acme.example").await;
    let cookie = format!("keyport_session={token}");
    let http = bare_client();
    let post = |endpoint: &str| {
        http.post(format!("{}/api/{endpoint}", server.base))
            .header("accept", "application/json")
            .header("cookie", &cookie)
    };

    // Another site's page posting to a server function, as a browser sends it.
    let device = a_device(&store, &t.license_id).await;
    let before = active_devices(&store, &t.license_id).await;
    for (origin, site) in [
        (Some("https://evil.example"), Some("cross-site")),
        (Some("https://evil.example"), None),
        (Some("null"), Some("cross-site")),
        (None, Some("cross-site")),
        (None, Some("same-site")),
        // Neither header: an old or tampering client, not one of the portal's pages.
        (None, None),
        // The right host over the wrong scheme is another origin.
        (Some(&*server.base.replace("http://", "https://")), None),
    ] {
        let mut request = post("reset_device").form(&[("device_id", &device)]);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 403, "{origin:?} {site:?}");
        assert!(r.text().await.unwrap().contains("another website"));
        let mut request = post("logout");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        assert_eq!(request.send().await.unwrap().status(), 403);
    }
    assert_eq!(active_devices(&store, &t.license_id).await, before);
    assert!(
        logged_in(&store, &token).await,
        "the refused logout ended nothing"
    );

    // The offline-activation form is a state-changing route outside the server functions.
    let r = http
        .post(format!(
            "{}/licenses/{}/offline-activation",
            server.base, t.license_id
        ))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // Nothing changes state on GET: server functions answer only POST.
    let r = http
        .get(format!("{}/api/logout", server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 200);
    assert!(logged_in(&store, &token).await);

    // The portal's own pages (by Sec-Fetch-Site or by Origin) and the configured origins pass.
    let r = post("reset_device")
        .form(&[("device_id", &device)])
        .header("origin", &server.base)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(active_devices(&store, &t.license_id).await, before - 1);
    for (origin, site) in [
        (Some(server.base.as_str()), None),
        (Some("http://localhost:8080"), Some("same-site")),
        (Some("http://dev.example:1234"), Some("cross-site")),
        (None, Some("same-origin")),
    ] {
        let mut request = post("list_licenses");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        assert_eq!(
            request.send().await.unwrap().status(),
            200,
            "{origin:?} {site:?}"
        );
    }
    let r = post("logout")
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success() || r.status().is_redirection());
    assert!(!logged_in(&store, &token).await);

    // The device API is called by apps with their own credentials: no origin check.
    let r = http
        .post(server.url("/activations"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .json(
            &serde_json::json!({"license_key": t.license_key, "hardware_id": "hw-csrf",
                                  "device_name": "PC", "os": "Linux"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

fn csp_nonce(headers: &HeaderMap) -> String {
    let csp = headers
        .get("content-security-policy")
        .expect("a CSP")
        .to_str()
        .unwrap();
    for directive in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .expect("script-src");
    script_src
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in script-src")
        .to_owned()
}

fn assert_common_headers(headers: &HeaderMap) {
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
}

#[tokio::test]
async fn security_headers_and_a_fresh_csp_nonce_on_every_page() {
    let (url, _dir) = test_database("headers");
    let server = App::start(&url).await;
    let http = client();
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let r = http
            .get(format!("{}/login", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_common_headers(r.headers());
        assert!(r.headers().get("strict-transport-security").is_none());
        let nonce = csp_nonce(r.headers());
        assert!(nonce.len() >= 22, "at least 128 bits: {nonce}");
        let page = r.text().await.unwrap();
        // Every inline script carries the header's nonce; none is without one.
        let scripts: Vec<&str> = page.split("<script").skip(1).collect();
        assert!(!scripts.is_empty());
        for script in scripts {
            let tag = script.split('>').next().unwrap();
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "script without the response's nonce: <script{tag}>"
            );
        }
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a fresh nonce per response");

    // The device API's JSON: not sniffable either.
    let r = http.get(server.url("/openapi.json")).send().await.unwrap();
    assert_common_headers(r.headers());

    // HSTS once the portal says it is served over HTTPS.
    drop(server);
    let server = App::start_with(&url, &[("KEYPORT_SECURE_COOKIES", "true")]).await;
    let r = http
        .get(format!("{}/login", server.base))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
    assert_common_headers(r.headers());
}

// ---------------------------------------------------------------------------------------------
// The session cookie
// ---------------------------------------------------------------------------------------------

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

#[tokio::test]
async fn the_session_cookie_is_host_prefixed_and_secure_over_https() {
    let (url, _dir) = test_database("cookie");
    let store = Store::connect(&url).await.unwrap();
    let t = tenant(&store, "Cookie").await;
    let http = client();

    let server = App::start(&url).await;
    let r = login_form(
        &http,
        &server,
        &t.company_id,
        "manager@acme.example",
        DEMO_PASSWORD,
        &[],
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
    let cookie = set_cookie(&r);
    assert!(cookie.starts_with("keyport_session="), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    drop(server);

    let server = App::start_with(&url, &[("KEYPORT_SECURE_COOKIES", "true")]).await;
    let r = login_form(
        &http,
        &server,
        &t.company_id,
        "manager@acme.example",
        DEMO_PASSWORD,
        &[],
    )
    .await;
    let cookie = set_cookie(&r);
    assert!(cookie.starts_with("__Host-keyport_session="), "{cookie}");
    for part in ["; Secure", "; Path=/;", "; HttpOnly", "; SameSite=Lax"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let call = |cookie: String| {
        http.post(format!("{}/api/list_licenses", server.base))
            .header("accept", "application/json")
            .header("cookie", cookie)
            .send()
    };
    assert_eq!(
        call(format!("__Host-keyport_session={token}"))
            .await
            .unwrap()
            .status(),
        200
    );
    // Over HTTPS a cookie without the prefix (one a sibling subdomain could set) is not read.
    assert_eq!(
        call(format!("keyport_session={token}"))
            .await
            .unwrap()
            .status(),
        401
    );
}

// ---------------------------------------------------------------------------------------------
// Throttling
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn failed_logins_are_throttled_per_account() {
    let (url, _dir) = test_database("throttle");
    let store = Store::connect(&url).await.unwrap();
    let t = tenant(&store, "Throttle").await;
    let server = App::start(&url).await;
    let http = client();
    let manager = "manager@acme.example";

    for i in 1..=5 {
        let r = login_form(
            &http,
            &server,
            &t.company_id,
            manager,
            "wrong-password",
            &[],
        )
        .await;
        assert_eq!(r.status(), 401, "failure {i}");
    }
    // Sixth attempt: refused before the password is looked at, the right one included.
    for password in ["wrong-password", DEMO_PASSWORD] {
        let r = login_form(&http, &server, &t.company_id, manager, password, &[]).await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().get("set-cookie").is_none());
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["too_many_attempts"]["minutes"], 15, "{body}");
    }
    // The same account however its email and company are typed.
    let r = login_form(
        &http,
        &server,
        &t.company_id.to_uppercase(),
        " MANAGER@acme.example ",
        DEMO_PASSWORD,
        &[],
    )
    .await;
    assert_eq!(r.status(), 429);
    // The app's activation by login is the same account.
    let r = http
        .post(server.url("/activations"))
        .json(
            &serde_json::json!({"company": t.company_id, "email": manager,
            "password": DEMO_PASSWORD, "hardware_id": "hw-1", "device_name": "PC", "os": "Linux"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "900");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "too_many_attempts");
    assert_eq!(
        body["message"],
        "Too many failed attempts. Try again in 15 minutes."
    );
    let failures: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM auth_failures WHERE throttle_key LIKE 'account:%' AND throttle_key LIKE $1",
    )
    .bind(format!("%{}%", t.company_id.to_lowercase()))
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(failures, 5, "refused attempts count nothing");

    // Other accounts are not affected; a success clears that account's count.
    let user = "user@acme.example";
    for _ in 0..4 {
        login_form(&http, &server, &t.company_id, user, "wrong-password", &[]).await;
    }
    let r = login_form(&http, &server, &t.company_id, user, DEMO_PASSWORD, &[]).await;
    assert!(r.status().is_success(), "{}", r.status());
    for _ in 0..5 {
        let r = login_form(&http, &server, &t.company_id, user, "wrong-password", &[]).await;
        assert_eq!(
            r.status(),
            401,
            "the count started afresh after the success"
        );
    }
}

#[tokio::test]
async fn failures_are_throttled_per_address_and_forwarded_for_only_from_trusted_proxies() {
    let (url, _dir) = test_database("throttle-ip");
    let store = Store::connect(&url).await.unwrap();
    let t = tenant(&store, "ThrottleIp").await;
    let http = client();
    let limits = [
        ("KEYPORT_THROTTLE_ADDRESS_FAILURES", "3"),
        ("KEYPORT_THROTTLE_ACCOUNT_FAILURES", "100"),
    ];
    let activate = |server: &App, key: &str, xff: &str| {
        http.post(server.url("/activations"))
            .header("x-forwarded-for", xff)
            .json(
                &serde_json::json!({"license_key": key, "hardware_id": "hw-ip",
                                      "device_name": "PC", "os": "Linux"}),
            )
            .send()
    };

    // An untrusted peer: X-Forwarded-For is ignored, so changing it does not dodge the limit.
    let server = App::start_with(&url, &limits).await;
    let xff = format!("198.51.100.{}", rand_octet());
    let first = format!("203.0.113.{}", rand_octet());
    for i in 0..3 {
        let r = login_form(
            &http,
            &server,
            &t.company_id,
            &format!("nobody{i}@acme.example"),
            "wrong-password",
            &[("x-forwarded-for", &format!("{first}, 10.0.0.{i}"))],
        )
        .await;
        assert_eq!(r.status(), 401);
    }
    let r = activate(&server, "KP-not-a-key", &xff).await.unwrap();
    assert_eq!(r.status(), 429, "the peer's address is over its limit");
    let r = login_form(
        &http,
        &server,
        &t.company_id,
        "manager@acme.example",
        DEMO_PASSWORD,
        &[],
    )
    .await;
    assert_eq!(r.status(), 429, "every account from that address");
    drop(server);

    // Behind a trusted proxy each forwarded client has a count of its own; a license key that
    // does not exist counts as a failure like a wrong password.
    let mut limits = limits.to_vec();
    limits.push(("KEYPORT_TRUSTED_PROXIES", "127.0.0.0/8,::1"));
    let server = App::start_with(&url, &limits).await;
    let attacker = format!("198.51.100.{}", rand_octet());
    for _ in 0..3 {
        let r = activate(&server, "KP-not-a-key", &format!("6.6.6.6, {attacker}"))
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = activate(&server, &t.license_key, &attacker).await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let other = format!("192.0.2.{}", rand_octet());
    let r = activate(&server, &t.license_key, &other).await.unwrap();
    assert!(r.status().is_success(), "another client: {}", r.status());
    let r = login_form(
        &http,
        &server,
        &t.company_id,
        "manager@acme.example",
        DEMO_PASSWORD,
        &[("x-forwarded-for", &other)],
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
}

fn rand_octet() -> u8 {
    u8::from_str_radix(&common::random_hex(2), 16).unwrap() % 250 + 1
}

// ---------------------------------------------------------------------------------------------
// Session lifetimes
// ---------------------------------------------------------------------------------------------

/// `KEYPORT_SESSION_IDLE_MINUTES` and `KEYPORT_SESSION_HOURS` are what the server enforces (time
/// is moved by ageing the session in the database).
#[tokio::test]
async fn session_timeouts_follow_the_configuration() {
    let (url, _dir) = test_database("lifetime");
    let store = Store::connect(&url).await.unwrap();
    let t = tenant(&store, "Lifetime").await;
    let server = App::start_with(
        &url,
        &[
            ("KEYPORT_SESSION_IDLE_MINUTES", "5"),
            ("KEYPORT_SESSION_HOURS", "2"),
        ],
    )
    .await;
    let http = client();
    let login = || async {
        let r = login_form(
            &http,
            &server,
            &t.company_id,
            "manager@acme.example",
            DEMO_PASSWORD,
            &[],
        )
        .await;
        let cookie = set_cookie(&r);
        assert!(cookie.contains("Max-Age=7200"), "{cookie}");
        cookie.split(';').next().unwrap().to_owned()
    };
    let works = |cookie: String| async {
        http.post(format!("{}/api/list_licenses", server.base))
            .header("accept", "application/json")
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    // Only this tenant's sessions: on a shared Postgres other tests have theirs.
    let age = |column: &'static str, ms: i64| {
        let (store, tenant) = (store.clone(), t.tenant_id.clone());
        async move {
            sqlx::query(&format!(
                "UPDATE sessions SET {column} = {column} - $1 \
                 WHERE account_id IN (SELECT id FROM accounts WHERE tenant_id = $2)"
            ))
            .bind(ms)
            .bind(tenant)
            .execute(store.pool())
            .await
            .unwrap();
        }
    };
    let lifetime: i64 = {
        let cookie = login().await;
        let (created, expires): (i64, i64) = sqlx::query_as(
            "SELECT s.created_at, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE a.tenant_id = $1 ORDER BY s.created_at DESC LIMIT 1",
        )
        .bind(&t.tenant_id)
        .fetch_one(store.pool())
        .await
        .unwrap();
        // Idle for 4 of 5 minutes: still fine (and that use counts as activity); then idle for
        // 5 minutes and a bit: ended.
        age("last_seen_at", 4 * 60_000).await;
        assert_eq!(works(cookie.clone()).await, 200);
        age("last_seen_at", 5 * 60_000 + 1_000).await;
        assert_eq!(works(cookie).await, 401);
        expires - created
    };
    assert_eq!(lifetime, 2 * 3_600_000);
    // Past the absolute lifetime, however recently used.
    let cookie = login().await;
    assert_eq!(works(cookie.clone()).await, 200);
    age("expires_at", 2 * 3_600_000).await;
    assert_eq!(works(cookie).await, 401);
}

// ---------------------------------------------------------------------------------------------
// The error of a no-JavaScript form post
// ---------------------------------------------------------------------------------------------

/// A failed form post without JavaScript comes back to its page with the error in the address;
/// the page shows it only when Keyport signed it for this browser, so a crafted link cannot put
/// words of its own on a portal page.
#[tokio::test]
async fn a_page_shows_only_the_form_errors_keyport_signed() {
    use base64::engine::general_purpose::URL_SAFE;
    use base64::Engine;
    let (url, _dir) = test_database("formerr");
    let store = Store::connect(&url).await.unwrap();
    let server = App::start(&url).await;
    let t = tenant(&store, "FormErr").await;
    let http = client();

    // A wrong password, posted as a browser without JavaScript posts the form.
    let r = http
        .post(format!("{}/api/login", server.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/login", server.base))
        .form(&[
            ("company", t.company_id.as_str()),
            ("email", "manager@acme.example"),
            ("password", "wrong-password"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("__err=") && back.contains("__sig="), "{back}");
    let page = http.get(&back).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("The company ID, email or password is incorrect."));

    // The same address with words of an attacker's in place of the error, and a link without
    // any signature: sent to the page without them, and nothing of them is shown.
    let forged = URL_SAFE.encode(
        br#"{"error":"conflict","message":"Your license expired. Call +1 555 0100 to renew."}"#,
    );
    let query_of = |url: &str| url.split_once('?').map(|(_, q)| q.to_owned()).unwrap();
    let swapped: String = query_of(&back)
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("__err", _)) => format!("__err={forged}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&");
    for query in [
        swapped,
        format!("__path=%2Fapi%2Flogin&__err={forged}"),
        format!("next=%2Flicenses&__path=%2Fapi%2Flogin&__err={forged}&__sig=00"),
    ] {
        let r = http
            .get(format!("{}/login?{query}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{query}");
        let to = r.headers()["location"].to_str().unwrap();
        assert!(to == "/login" || to == "/login?next=%2Flicenses", "{to}");
        let page = http
            .get(format!("{}{to}", server.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // The attacker's words, not a bare "555": the page's random CSP nonce may hold that.
        assert!(
            !page.contains("555 0100") && !page.contains("license expired"),
            "{page}"
        );
    }
}
