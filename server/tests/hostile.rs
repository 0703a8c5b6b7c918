//! Hostile input against the server's router (`server::app`, in process): oversized and deeply nested bodies, invalid
//! UTF-8, and SQL and HTML in every text field are refused with a 4xx or stored verbatim and
//! shown escaped, and never cost a 5xx or a crash.
//!
//! Without `KEYPORT_TEST_DATABASE_URL` every test gets its own SQLite file; with it (Postgres)
//! each test keeps to a tenant of its own (`keyport demo-tenant` under a random company ID).

use licensing::Store;
use serde_json::{json, Value};

mod common;
use common::{demo_tenant, random_hex, session, test_database, App, ScratchDir};
use licensing::demo::DemoTenant;

const SCRIPT: &str = "<script>alert(1)</script>";
const SCRIPT_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";
const SQL: &str = "'; DROP TABLE devices; --";
const MANAGER: &str = "manager@acme.example";

struct World {
    store: Store,
    company: String,
    license_id: String,
    license_key: String,
    server: App,
    client: reqwest::Client,
    _dir: Option<ScratchDir>,
}

async fn world() -> World {
    let (url, dir) = test_database("hostile");
    let store = Store::connect(&url).await.expect("open the test database");
    let DemoTenant {
        company_id: company,
        license_id,
        license_key,
        ..
    } = demo_tenant(&store, "hostile").await;
    let server = App::start(&url).await;
    World {
        store,
        company,
        license_id,
        license_key,
        server,
        client: common::portal_client().build().expect("HTTP client"),
        _dir: dir,
    }
}

impl World {
    async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> (u16, String) {
        let r = self
            .client
            .post(self.server.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.text().await.unwrap_or_default())
    }

    /// A device API activation with this JSON body.
    async fn activate(&self, body: &Value) -> (u16, String) {
        let bytes = serde_json::to_vec(body).expect("JSON");
        self.post_raw("/activations", "application/json", bytes)
            .await
    }

    /// The server still answers, so a refusal was not a crash.
    async fn assert_alive(&self) {
        let r = self
            .client
            .get(format!("{}/health", self.server.base))
            .send()
            .await
            .expect("the server still answers");
        assert_eq!(r.status(), 200);
    }

    /// A portal page as the license manager sees it, without JavaScript.
    async fn page(&self, path: &str) -> String {
        let cookie = session(&self.store, &self.company, MANAGER).await;
        let r = self
            .client
            .get(format!("{}{path}", self.server.base))
            .header("cookie", format!("keyport_session={cookie}"))
            .send()
            .await
            .expect("page");
        assert_eq!(r.status(), 200, "{path}");
        r.text().await.expect("page body")
    }
}

fn activation(device_name: &str, key: &str) -> Value {
    json!({
        "license_key": key,
        "hardware_id": format!("hw-{}", random_hex(8)),
        "device_name": device_name,
        "os": "Linux",
    })
}

/// The status of a POST that announces `length` bytes of body and sends only `sent` of them, so
/// the answer cannot have waited for the whole body. Raw TCP, because an HTTP client would race
/// the early answer with writing the body and may see the connection closed instead.
fn status_of_partial_body(base: &str, path: &str, length: usize, sent: usize) -> u16 {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Sec-Fetch-Site: same-origin\r\nContent-Length: {length}\r\n\r\n"
    )
    .expect("send the headers");
    stream
        .write_all(&vec![b' '; sent])
        .expect("send the body's start");
    let mut answer = [0u8; 64];
    let n = stream.read(&mut answer).expect("an answer before the body");
    let line = String::from_utf8_lossy(&answer[..n]);
    line.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {line}"))
}

/// The `error` code of a device API refusal, which must be JSON even for hostile bodies.
fn error_code(body: &str) -> String {
    let value: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    value["error"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let w = world().await;
    // Valid JSON just past the API's 16 KiB, so only the size can be the reason.
    let body = serde_json::to_vec(&activation(&"x".repeat(17 * 1024), &w.license_key)).unwrap();
    let (status, text) = w.post_raw("/activations", "application/json", body).await;
    assert_eq!(status, 413, "{text}");
    assert_eq!(error_code(&text), "payload_too_large");

    // A megabyte announced: the API refuses once it has read past its limit, without waiting
    // for the rest. The portal's forms (64 KiB) are refused from the Content-Length alone.
    assert_eq!(
        status_of_partial_body(
            &w.server.base,
            "/api/v1/activations",
            1024 * 1024,
            20 * 1024
        ),
        413
    );
    assert_eq!(
        status_of_partial_body(&w.server.base, "/api/create_user", 100 * 1024, 0),
        413
    );
    w.assert_alive().await;
}

#[tokio::test]
async fn deeply_nested_json_is_refused_without_a_crash() {
    let w = world().await;
    // As deep as fits the body limit, in every position a parser recurses: arrays, objects, and
    // nested values in a known string field.
    let depth = 3000;
    let bodies = [
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        format!(
            "{{\"device_name\":{}1{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
        format!("{}1{}", "{\"a\":".repeat(depth / 2), "}".repeat(depth / 2)),
        format!(
            "{{\"hardware_id\":{}null{}}}",
            "{\"a\":".repeat(depth / 2),
            "}".repeat(depth / 2)
        ),
        // Unterminated: the parser must give up, not wait or recurse further.
        "[{".repeat(depth),
    ];
    for body in bodies {
        let (status, text) = w
            .post_raw("/activations", "application/json", body.into_bytes())
            .await;
        assert_eq!(status, 422, "{text}");
        assert_eq!(error_code(&text), "invalid_request");
    }
    w.assert_alive().await;

    // The offline activation request file is JSON too (read by the portal, as a manager).
    let cookie = session(&w.store, &w.company, MANAGER).await;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let boundary = format!("----keyport{}", random_hex(16));
    let form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"request_text\"\r\n\r\n{nested}\r\n--{boundary}--\r\n"
    );
    let r = w
        .client
        .post(format!(
            "{}/licenses/{}/offline-activation",
            w.server.base, w.license_id
        ))
        .header("cookie", format!("keyport_session={cookie}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(form)
        .send()
        .await
        .expect("request");
    assert!(r.status().as_u16() < 500, "{}", r.status());
    w.assert_alive().await;
}

#[tokio::test]
async fn invalid_utf8_is_refused() {
    let w = world().await;
    let mut body = br#"{"license_key":"KP-1","hardware_id":"hw-"#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    body.extend_from_slice(br#"","device_name":"d","os":"o"}"#);
    let (status, text) = w.post_raw("/activations", "application/json", body).await;
    assert_eq!(status, 422, "{text}");
    assert_eq!(error_code(&text), "invalid_request");

    // A lone UTF-16 surrogate escape is valid JSON syntax but no Rust string.
    let body = br#"{"license_key":"KP-1","hardware_id":"\ud800","device_name":"d","os":"o"}"#;
    let (status, text) = w
        .post_raw("/activations", "application/json", body.to_vec())
        .await;
    assert_eq!(status, 422, "{text}");

    // In the query string and the token header.
    let r = w
        .client
        .get(format!("{}?company=%FF%FE", w.server.url("/public-key")))
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    assert!((400..500).contains(&status), "{status}");
    let r = w
        .client
        .get(w.server.url("/device"))
        .header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 401);

    // In a portal form: the server function refuses it, and nothing is created.
    let cookie = session(&w.store, &w.company, MANAGER).await;
    let mut form = format!("license_id={}&name=", w.license_id).into_bytes();
    form.extend_from_slice(b"\xff\xfe&email=utf8%40acme.example&password=a-long-password");
    let r = w
        .client
        .post(format!("{}/api/create_user", w.server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", format!("keyport_session={cookie}"))
        .body(form)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    assert!((400..500).contains(&status), "{status}: {text}");
    let created: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE email = 'utf8@acme.example'")
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    assert_eq!(created, 0);
    w.assert_alive().await;
}

#[tokio::test]
async fn sql_and_html_in_device_fields_are_stored_verbatim_and_shown_escaped() {
    let w = world().await;
    let hardware_id = format!("{SQL} {SCRIPT} {}", random_hex(8));
    let body = json!({
        "license_key": w.license_key,
        "hardware_id": hardware_id,
        "device_name": SCRIPT,
        "os": SQL,
    });
    let r = w
        .client
        .post(w.server.url("/activations"))
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 201);
    let answer: Value = r.json().await.expect("JSON");
    assert_eq!(answer["device_name"], SCRIPT);
    assert_eq!(answer["hardware_id"], hardware_id);

    let (name, os): (String, String) =
        sqlx::query_as("SELECT name, os FROM devices WHERE hardware_id = $1")
            .bind(&hardware_id)
            .fetch_one(w.store.pool())
            .await
            .expect("the device, stored under its exact hardware id");
    assert_eq!((name.as_str(), os.as_str()), (SCRIPT, SQL));

    // The same text as a login is just a wrong login, not SQL.
    let r = w
        .client
        .post(w.server.url("/activations"))
        .json(&json!({
            "company": SQL, "email": SCRIPT, "password": SQL,
            "hardware_id": SQL, "device_name": SCRIPT, "os": SQL,
        }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 401);
    let r = w
        .client
        .get(w.server.url("/public-key"))
        .query(&[("company", SQL)])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 404);

    let page = w.page(&format!("/licenses/{}/devices", w.license_id)).await;
    assert!(!page.contains(SCRIPT), "the raw tag reached the page");
    assert!(page.contains(SCRIPT_ESCAPED), "the name is not shown");
    assert!(
        page.contains("&#x27;; DROP TABLE devices; --")
            || page.contains("&#39;; DROP TABLE devices; --")
            || page.contains(SQL),
        "the OS is not shown"
    );
    let activity = w
        .page(&format!("/licenses/{}/activity", w.license_id))
        .await;
    assert!(!activity.contains(SCRIPT), "the raw tag reached the log");

    // The tables the text names are all still there.
    let devices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM devices")
        .fetch_one(w.store.pool())
        .await
        .expect("devices table");
    assert!(devices >= 5);
    w.assert_alive().await;
}

#[tokio::test]
async fn sql_and_html_in_portal_forms_are_stored_verbatim_and_shown_escaped() {
    let w = world().await;
    let cookie = session(&w.store, &w.company, MANAGER).await;
    let email = format!("hostile-{}@acme.example", random_hex(6));
    let name = format!("{SCRIPT}{SQL}");
    let r = w
        .client
        .post(format!("{}/api/create_user", w.server.base))
        .header("accept", "application/json")
        .header("cookie", format!("keyport_session={cookie}"))
        .form(&[
            ("license_id", w.license_id.as_str()),
            ("name", name.as_str()),
            ("email", email.as_str()),
            ("password", "a-long-hostile-password"),
            ("assign", "on"),
        ])
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    assert_eq!(status, 200, "{}", r.text().await.unwrap_or_default());

    let stored: String = sqlx::query_scalar("SELECT name FROM accounts WHERE email = $1")
        .bind(&email)
        .fetch_one(w.store.pool())
        .await
        .expect("the new account");
    assert_eq!(stored, name);

    let page = w.page(&format!("/licenses/{}/users", w.license_id)).await;
    assert!(!page.contains(SCRIPT), "the raw tag reached the page");
    assert!(page.contains(SCRIPT_ESCAPED), "the name is not shown");

    // An email with markup is refused as an email, never echoed raw.
    let r = w
        .client
        .post(format!("{}/api/create_user", w.server.base))
        .header("accept", "application/json")
        .header("cookie", format!("keyport_session={cookie}"))
        .form(&[
            ("license_id", w.license_id.as_str()),
            ("name", "Someone"),
            ("email", SCRIPT),
        ])
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    assert!((400..500).contains(&status), "{status}");
    w.assert_alive().await;
}

#[tokio::test]
async fn null_in_an_optional_field_is_refused_as_the_document_says() {
    let w = world().await;
    // openapi.json types `license_key` and the login fields as strings, not nullable: a `null`
    // must not pass for an absent field (schemathesis' negative checks hold the server to it).
    let body = json!({
        "license_key": null, "company": w.company, "email": MANAGER, "password": "x",
        "hardware_id": "h", "device_name": "d", "os": "o",
    });
    let (status, text) = w.activate(&body).await;
    assert_eq!(status, 422, "{text}");
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["field"], "license_key");
}

/// A server function's answer to a script (status and decoded error), as `email` (or nobody).
async fn call(
    w: &World,
    email: Option<&str>,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = w
        .client
        .post(format!("{}/api/{endpoint}", w.server.base))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .form(form);
    if let Some(email) = email {
        let cookie = session(&w.store, &w.company, email).await;
        request = request.header("cookie", format!("keyport_session={cookie}"));
    }
    let r = request.send().await.expect("request");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The customer and manager account of the demo license, for selling to them.
async fn customer_and_owner(w: &World) -> (String, String) {
    sqlx::query_as(
        "SELECT l.customer_id, u.account_id FROM licenses l \
         JOIN license_users u ON u.license_id = l.id AND u.role = 'manager' WHERE l.id = $1",
    )
    .bind(&w.license_id)
    .fetch_one(w.store.pool())
    .await
    .expect("the demo license's customer and manager")
}

type Case<'a> = (Option<&'a str>, &'a str, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn nul_in_any_text_is_refused_naming_the_field() {
    // Postgres cannot store U+0000 and failed the statement (500); SQLite stored it. Both refuse
    // it now, before a database sees it.
    let w = world().await;

    // The device API: query and body.
    let r = w
        .client
        .get(format!(
            "{}?company=code%00glass",
            w.server.url("/public-key")
        ))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(
        (body["error"].as_str(), body["field"].as_str()),
        (Some("invalid_request"), Some("company"))
    );
    let hardware_id = format!("hw-{}", random_hex(8));
    let mut body = activation("a\u{0}b", &w.license_key);
    body["hardware_id"] = json!(hardware_id);
    let (status, text) = w.activate(&body).await;
    assert_eq!(status, 422, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["field"], "device_name");
    let body = json!({
        "company": w.company, "email": "user\u{0}@acme.example", "password": "x",
        "hardware_id": "h", "device_name": "d", "os": "o",
    });
    let (status, text) = w.activate(&body).await;
    assert_eq!(status, 422, "{text}");

    // Server functions: every text argument, whoever calls.
    let admin = licensing::demo::admin_email(&w.company);
    let (customer_id, owner_id) = customer_and_owner(&w).await;
    let lic = w.license_id.as_str();
    let nul = "a\u{0}b";
    // Who calls, the server function, its form, and the field the refusal names.
    let cases: Vec<Case> = vec![
        (
            None,
            "login",
            vec![
                ("company", &w.company),
                ("email", "user\u{0}@acme.example"),
                ("password", "x"),
            ],
            "email",
        ),
        (
            None,
            "login",
            vec![("company", nul), ("email", MANAGER), ("password", "x")],
            "company",
        ),
        (
            Some(MANAGER),
            "create_user",
            vec![
                ("license_id", lic),
                ("name", nul),
                ("email", "n1@acme.example"),
            ],
            "name",
        ),
        (
            Some(MANAGER),
            "create_user",
            vec![
                ("license_id", lic),
                ("name", "N"),
                ("email", "n\u{0}2@acme.example"),
            ],
            "email",
        ),
        (
            Some(MANAGER),
            "list_devices",
            vec![("license_id", nul)],
            "license_id",
        ),
        (
            Some(MANAGER),
            "list_devices",
            vec![("license_id", lic), ("search", nul)],
            "search",
        ),
        (Some(MANAGER), "get_license", vec![("id", nul)], "id"),
        (
            Some(MANAGER),
            "reset_device",
            vec![("device_id", nul)],
            "device_id",
        ),
        (
            None,
            "set_password",
            vec![("token", nul), ("password", "p"), ("confirm", "p")],
            "token",
        ),
        (None, "set_language", vec![("lang", nul)], "lang"),
        (
            Some(&admin),
            "admin_create_customer",
            vec![("name", nul)],
            "name",
        ),
        (
            Some(&admin),
            "admin_list_customers",
            vec![("search", nul)],
            "search",
        ),
        (
            Some(&admin),
            "admin_rename_customer",
            vec![("id", &customer_id), ("name", nul)],
            "name",
        ),
        (
            Some(&admin),
            "admin_sell",
            vec![
                ("customer_id", &customer_id),
                ("product", nul),
                ("license_type", "organisation"),
                ("owner_account_id", &owner_id),
                ("terms[subscriptions]", "1"),
                ("terms[seats_per_subscription]", "1"),
                ("terms[devices_per_subscription]", "1"),
                ("terms[deactivations]", "1"),
                ("terms[valid_days]", "30"),
            ],
            "product",
        ),
        (
            Some(&admin),
            "admin_reset_deactivations",
            vec![("license_id", lic), ("reason", nul)],
            "reason",
        ),
    ];
    for (who, endpoint, form, field) in &cases {
        let (status, error) = call(&w, *who, endpoint, form).await;
        assert_eq!(status, 422, "{endpoint} {field}: {error}");
        assert_eq!(error["invalid"]["field"], *field, "{endpoint}: {error}");
        assert_eq!(
            error["invalid"]["reason"], "contains_nul",
            "{endpoint}: {error}"
        );
    }

    // A form posted without JavaScript goes back to its page with the error, as server functions
    // answer it.
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/api/login", w.server.base))
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("referer", format!("{}/login", w.server.base))
        .form(&[
            ("company", w.company.as_str()),
            ("email", nul),
            ("password", "x"),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("__err="), "{location}");

    // Pages take texts from their URL to the server functions they call.
    let cookie = session(&w.store, &w.company, MANAGER).await;
    for path in ["/licenses/a%00b", "/login?next=%00"] {
        let r = w
            .client
            .get(format!("{}{path}", w.server.base))
            .header("cookie", format!("keyport_session={cookie}"))
            .send()
            .await
            .expect("page");
        assert_eq!(r.status(), 422, "{path}");
    }

    // Nothing was stored.
    let stored: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM accounts WHERE email = 'n1@acme.example' \
                 AND customer_id = $1) \
         + (SELECT COUNT(*) FROM devices WHERE hardware_id = $2)",
    )
    .bind(&customer_id)
    .bind(&hardware_id)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    assert_eq!(stored, 0);
    w.assert_alive().await;
}

#[tokio::test]
async fn nul_in_an_offline_activation_request_is_refused() {
    let w = world().await;
    // An Offline Organisation license of the demo customer to upload a request for.
    let admin = licensing::demo::admin_email(&w.company);
    let vendor = licensing::auth::principal_by_email(&w.store, &w.company, &admin)
        .await
        .expect("the vendor admin");
    let (customer_id, owner_id) = customer_and_owner(&w).await;
    let (sold, key) = licensing::licenses::sell(
        &w.store,
        &vendor,
        &licensing::licenses::Sale {
            customer_id,
            product: "Offline".into(),
            license_type: licensing::licenses::LicenseType::OfflineOrganisation,
            subscriptions: 1,
            seats_per_subscription: 2,
            devices_per_subscription: 2,
            max_deactivations: 1,
            valid_days: 30,
            owner_account_id: owner_id,
        },
        &licensing::mail::Portal::new("http://keyport.test"),
    )
    .await
    .expect("sell an offline license");
    let request = json!({
        "format": "keyport-offline-request/1",
        "license_key": key.expect("a new license's key"),
        "hardware_id": format!("HW-{}", random_hex(6)),
        "device_name": "Lab\u{0}PC",
        "os": "Windows 11",
    })
    .to_string();
    let cookie = session(&w.store, &w.company, MANAGER).await;
    let boundary = format!("----keyport{}", random_hex(16));
    let form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"request_text\"\r\n\r\n{request}\r\n--{boundary}--\r\n"
    );
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!(
            "{}/licenses/{}/offline-activation",
            w.server.base, sold.license_id
        ))
        .header("cookie", format!("keyport_session={cookie}"))
        .header("sec-fetch-site", "same-origin")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(form)
        .send()
        .await
        .expect("request");
    // Refused back to the license page (which shows why), not activated.
    assert!(r.status().is_redirection(), "{}", r.status());
    let active: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM devices WHERE license_id = $1")
        .bind(&sold.license_id)
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(active, 0);
    assert!(matches!(
        licensing::offline::parse_request(request.as_bytes()),
        Err(licensing::AppError::Invalid { field, .. }) if field.name() == "device_name"
    ));
}

#[tokio::test]
async fn numbers_past_their_bounds_are_refused_not_wrapped() {
    let w = world().await;
    let admin = licensing::demo::admin_email(&w.company);
    let (customer_id, owner_id) = customer_and_owner(&w).await;
    let limits = || async {
        sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT subscriptions, max_users, max_activations FROM licenses WHERE id = $1",
        )
        .bind(&w.license_id)
        .fetch_one(w.store.pool())
        .await
        .unwrap()
    };
    let before = limits().await;

    // 2^62 subscriptions of 4 seats wrapped to 0 seats; the product is the demo license's, so a
    // sale would raise it.
    let product: String = sqlx::query_scalar("SELECT product FROM licenses WHERE id = $1")
        .bind(&w.license_id)
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    let sale = |subscriptions: &'static str, seats: &'static str| {
        vec![
            ("customer_id", customer_id.clone()),
            ("product", product.clone()),
            ("license_type", "organisation".to_owned()),
            ("owner_account_id", owner_id.clone()),
            ("terms[subscriptions]", subscriptions.to_owned()),
            ("terms[seats_per_subscription]", seats.to_owned()),
            ("terms[devices_per_subscription]", "1".to_owned()),
            ("terms[deactivations]", "1".to_owned()),
            ("terms[valid_days]", "30".to_owned()),
        ]
    };
    for (form, field) in [
        (sale("4611686018427387904", "4"), "Subscriptions"),
        (sale("1", "9223372036854775807"), "Seats"),
        // Each within its bound, the product past the seats'.
        (sale("100000", "1000"), "Seats"),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, error) = call(&w, Some(&admin), "admin_sell", &form).await;
        assert_eq!(status, 422, "{error}");
        assert_eq!(error["invalid"]["field"], field, "{error}");
    }

    for count in ["9223372036854775807", "100001", "0"] {
        let (status, error) = call(
            &w,
            Some(&admin),
            "admin_add_subscriptions",
            &[("license_id", &w.license_id), ("count", count)],
        )
        .await;
        assert_eq!(status, 422, "{count}: {error}");
        assert_eq!(
            error["invalid"]["field"], "Subscriptions",
            "{count}: {error}"
        );
    }

    let (status, error) = call(
        &w,
        Some(&admin),
        "admin_update_limits",
        &[
            ("license_id", &w.license_id),
            ("max_users", "5"),
            ("max_activations", "9223372036854775807"),
            ("max_deactivations", "3"),
            ("valid_until", "2030-01-01"),
        ],
    )
    .await;
    assert_eq!(
        (status, &error["invalid"]["field"]),
        (422, &json!("Devices")),
        "{error}"
    );
    assert_eq!(limits().await, before);
    w.assert_alive().await;
}

/// The status of a chunked POST (no Content-Length) of just over `limit` bytes. Raw TCP, for the
/// reason given at [`status_of_partial_body`]; the last chunk crosses the limit, so the server
/// has read every byte sent when it answers.
fn status_of_chunked_body(
    base: &str,
    path: &str,
    content_type: &str,
    cookie: &str,
    limit: usize,
) -> u16 {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n\
         Cookie: keyport_session={cookie}\r\nSec-Fetch-Site: same-origin\r\n\
         Accept: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for size in [limit, 1024] {
        request.extend_from_slice(format!("{size:x}\r\n").as_bytes());
        request.extend(std::iter::repeat_n(b'a', size));
        request.extend_from_slice(b"\r\n");
    }
    stream.write_all(&request).expect("send the request");
    let mut answer = [0u8; 64];
    let n = stream.read(&mut answer).expect("an answer");
    let line = String::from_utf8_lossy(&answer[..n]);
    line.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {line}"))
}

#[tokio::test]
async fn chunked_oversized_portal_bodies_are_refused_with_413() {
    // The portal's limit cut a chunked body while the server function read it, which answered
    // 422 ("length limit exceeded"); with a Content-Length it was 413 already.
    let w = world().await;
    let cookie = session(&w.store, &w.company, MANAGER).await;
    let offline = format!("/licenses/{}/offline-activation", w.license_id);
    let form = "application/x-www-form-urlencoded";
    let multipart = "multipart/form-data; boundary=----keyport-chunked";
    for (path, content_type) in [
        ("/api/create_user", form),
        ("/api/login", form),
        (offline.as_str(), multipart),
    ] {
        assert_eq!(
            status_of_chunked_body(&w.server.base, path, content_type, &cookie, 64 * 1024),
            413,
            "{path}"
        );
    }
    // The offline form, like every portal route, is refused from its Content-Length alone.
    assert_eq!(
        status_of_partial_body(&w.server.base, &offline, 100 * 1024, 0),
        413
    );

    // Under the limit, a chunked form is read as ever.
    let body = format!(
        "license_id={}&name=Chunked&email=chunked%40acme.example&password=a-long-chunked-password",
        w.license_id
    );
    let r = w
        .client
        .post(format!("{}/api/create_user", w.server.base))
        .header("cookie", format!("keyport_session={cookie}"))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .header("content-type", form)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter([
            Ok::<_, std::io::Error>(body.into_bytes()),
        ])))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    w.assert_alive().await;
}
