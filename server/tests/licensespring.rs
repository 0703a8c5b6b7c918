//! The LicenseSpring-compatible API over HTTP on the server's router (`server::app`, in
//! process), as the SDK's requests reach it: every call authenticated by the tenant's HMAC first,
//! answers signed over their exact bytes, the same device limits, deactivation budget and audit
//! log as `/api/v1`, the contract's error codes (never HTML), and no tenant's key, license or
//! product reachable with another tenant's credentials. (The real SDK drives the release binary
//! in `make test-sdk`.)
//!
//! SQLite by default; the Postgres of `KEYPORT_TEST_DATABASE_URL` when it is set.

mod common;

use std::time::{Duration, SystemTime};

use common::{demo_tenant, test_database, App, ScratchDir};
use licensing::demo::{DemoTenant, DEMO_PASSWORD};
use licensing::licensespring::auth::{authorization_header, hmac_base64};
use licensing::licensespring::{credentials, TenantCredentials};
use licensing::Store;
use reqwest::{Client, Method, Response};
use serde_json::{json, Value};

struct World {
    store: Store,
    server: App,
    http: Client,
    tenant: DemoTenant,
    creds: TenantCredentials,
    product: String,
    _dir: Option<ScratchDir>,
}

async fn world(prefix: &str) -> World {
    let (url, dir) = test_database(prefix);
    let store = Store::connect(&url).await.expect("open the test database");
    let tenant = demo_tenant(&store, prefix).await;
    let creds = credentials::for_tenant(&store, &tenant.tenant_id)
        .await
        .unwrap();
    let product = licensing::products::list(&store, &tenant.tenant_id)
        .await
        .unwrap()
        .remove(0)
        .short_code;
    let server = App::start(&url).await;
    World {
        store,
        server,
        http: Client::new(),
        tenant,
        creds,
        product,
        _dir: dir,
    }
}

/// What a call answered: status, body bytes and the `LicenseSignature` header.
struct Answer {
    status: u16,
    body: Vec<u8>,
    signature: Option<String>,
    content_type: String,
}

impl Answer {
    async fn from(r: Response) -> Self {
        let signature = r
            .headers()
            .get("licensesignature")
            .map(|v| v.to_str().unwrap().to_owned());
        let content_type = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        Self {
            status: r.status().as_u16(),
            body: r.bytes().await.unwrap().to_vec(),
            signature,
            content_type,
        }
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }

    /// The contract's error: this status and code, as JSON with a message.
    fn assert_refused(&self, status: u16, code: &str) {
        let body = self.json();
        assert_eq!(
            (self.status, body["code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
        assert_eq!(body["status"], status);
        assert!(body["message"].is_string());
        assert!(self.content_type.starts_with("application/json"));
    }
}

fn http_date(at: SystemTime) -> String {
    httpdate::fmt_http_date(at)
}

impl World {
    /// A call as the SDK makes it: `Date` and the HMAC `Authorization` of `creds`.
    async fn call_as(
        &self,
        creds: (&str, &str),
        method: Method,
        path: &str,
        fields: Value,
    ) -> Answer {
        let date = http_date(SystemTime::now());
        let url = format!("{}/api/v4{path}", self.server.base);
        let request = self
            .http
            .request(method.clone(), url)
            .header("date", &date)
            .header(
                "authorization",
                authorization_header(creds.0, creds.1, &date),
            )
            .header("content-type", "application/json");
        let request = if method == Method::GET {
            let query: Vec<(String, String)> = fields
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), str::to_owned)))
                .collect();
            request.query(&query)
        } else {
            request.body(fields.to_string())
        };
        Answer::from(request.send().await.unwrap()).await
    }

    async fn call(&self, method: Method, path: &str, fields: Value) -> Answer {
        let creds = (self.creds.api_key(), self.creds.shared_key());
        self.call_as(creds, method, path, fields).await
    }

    fn by_key(&self, hardware_id: &str) -> Value {
        json!({
            "product": self.product,
            "hardware_id": hardware_id,
            "license_key": self.tenant.license_key,
        })
    }

    async fn activate(&self, hardware_id: &str) -> Answer {
        let mut fields = self.by_key(hardware_id);
        fields["hostname"] = json!(format!("host {hardware_id}"));
        fields["os_ver"] = json!("Linux 6.1");
        fields["is_vm"] = json!(false);
        fields["vm_info"] = Value::Null;
        fields["sdk_ver"] = json!("PythonSDK 4.0.0");
        self.call(Method::POST, "/activate_license", fields).await
    }

    async fn check(&self, hardware_id: &str) -> Answer {
        let mut fields = self.by_key(hardware_id);
        fields["include_expired_features"] = json!("false");
        self.call(Method::GET, "/check_license", fields).await
    }

    async fn deactivate(&self, hardware_id: &str) -> Answer {
        self.call(
            Method::POST,
            "/deactivate_license",
            self.by_key(hardware_id),
        )
        .await
    }

    /// The signature is the tenant's over the exact bytes received (PKCS#1 v1.5 is
    /// deterministic, so signing them again must give the same value).
    fn assert_signed(&self, answer: &Answer) {
        let signature = answer.signature.as_deref().expect("a LicenseSignature");
        assert_eq!(signature, self.creds.sign(&answer.body));
    }

    async fn active_devices(&self) -> i64 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND deactivated_at IS NULL",
        )
        .bind(&self.tenant.license_id)
        .fetch_one(self.store.pool())
        .await
        .unwrap()
    }

    async fn audit_actions(&self) -> Vec<String> {
        sqlx::query_scalar("SELECT action FROM audit_events WHERE tenant_id = $1 ORDER BY at")
            .bind(&self.tenant.tenant_id)
            .fetch_all(self.store.pool())
            .await
            .unwrap()
    }

    async fn set_license(&self, sql: &str) {
        sqlx::query(sql)
            .bind(&self.tenant.license_id)
            .execute(self.store.pool())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_key_activates_checks_and_deactivates_with_signed_answers() {
    let w = world("LsFlow").await;
    assert_eq!(w.active_devices().await, 4);

    let first = w.activate("machine-1").await;
    assert_eq!(first.status, 200, "{}", first.json());
    w.assert_signed(&first);
    let license = first.json();
    assert_eq!(license["license_key"], w.tenant.license_key);
    assert_eq!(license["product_details"]["short_code"], w.product);
    assert_eq!(license["hardware_id"], "machine-1");
    assert_eq!(license["times_activated"], 5);
    assert_eq!(license["max_activations"], 10);
    assert_eq!(license["is_floating"], false);
    assert!(license["id"].is_i64());
    assert!(license["validity_period"]
        .as_str()
        .is_some_and(|d| d.ends_with('Z')));

    // Re-activating the same machine takes no new slot.
    let again = w.activate("machine-1").await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["times_activated"], 5);
    assert_eq!(w.active_devices().await, 5);

    let mut check_fields = w.by_key("machine-1");
    check_fields["license_id"] = json!(license["id"].to_string());
    let checked = w.call(Method::GET, "/check_license", check_fields).await;
    assert_eq!(checked.status, 200, "{}", checked.json());
    w.assert_signed(&checked);
    assert_eq!(checked.json()["times_activated"], 5);

    let done = w.deactivate("machine-1").await;
    assert_eq!(done.status, 200);
    assert_eq!(w.active_devices().await, 4);
    w.check("machine-1")
        .await
        .assert_refused(400, "device_not_found");
    w.deactivate("machine-1")
        .await
        .assert_refused(400, "device_not_found");
    // The same deactivation as `/api/v1`'s: one of the license's budget, in the audit log.
    let used: i64 = sqlx::query_scalar("SELECT deactivations_used FROM licenses WHERE id = $1")
        .bind(&w.tenant.license_id)
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(used, 1);
    let actions = w.audit_actions().await;
    assert!(actions.iter().any(|a| a == "device.deactivated_by_app"));
}

#[tokio::test]
async fn the_device_and_deactivation_limits_refuse_with_the_contracts_codes() {
    let w = world("LsLimits").await;
    for n in 0..6 {
        assert_eq!(w.activate(&format!("m{n}")).await.status, 200);
    }
    assert_eq!(w.active_devices().await, 10);
    w.activate("one-too-many")
        .await
        .assert_refused(400, "license_activated_max_times");
    assert_eq!(w.active_devices().await, 10);
    // A machine already active still re-activates at the limit.
    assert_eq!(w.activate("m0").await.status, 200);

    for n in 0..3 {
        assert_eq!(w.deactivate(&format!("m{n}")).await.status, 200);
    }
    w.deactivate("m3")
        .await
        .assert_refused(400, "deactivation_limit_reached");
    assert_eq!(w.active_devices().await, 7);
}

#[tokio::test]
async fn a_user_activates_with_the_portal_login_and_checks_by_username() {
    let w = world("LsUser").await;
    let email = "manager@acme.example";
    let mut fields = json!({
        "product": w.product, "hardware_id": "user-machine",
        "username": email, "password": "wrong password",
        "hostname": "laptop", "os_ver": "Windows 11",
    });
    w.call(Method::POST, "/activate_license", fields.clone())
        .await
        .assert_refused(401, "unauthorized");
    assert_eq!(w.active_devices().await, 4);

    fields["password"] = json!(DEMO_PASSWORD);
    let activated = w.call(Method::POST, "/activate_license", fields).await;
    assert_eq!(activated.status, 200, "{}", activated.json());
    w.assert_signed(&activated);
    let license = activated.json();
    assert_eq!(license["user"]["email"], email);
    assert_eq!(license["license_key"], Value::Null);

    let checked = w
        .call(
            Method::GET,
            "/check_license",
            json!({"product": w.product, "hardware_id": "user-machine", "username": email,
                   "license_id": license["id"].to_string()}),
        )
        .await;
    assert_eq!(checked.status, 200, "{}", checked.json());
    assert_eq!(checked.json()["user"]["email"], email);
    // An id that is not the license's names none.
    w.call(
        Method::GET,
        "/check_license",
        json!({"product": w.product, "hardware_id": "user-machine", "username": email,
               "license_id": "12345"}),
    )
    .await
    .assert_refused(400, "license_not_found");
}

#[tokio::test]
async fn another_tenants_credentials_reach_nothing_of_this_one() {
    let w = world("LsTenantA").await;
    let other = demo_tenant(&w.store, "LsTenantB").await;
    let other_creds = credentials::for_tenant(&w.store, &other.tenant_id)
        .await
        .unwrap();
    let theirs = (other_creds.api_key(), other_creds.shared_key());
    w.call_as(theirs, Method::GET, "/check_license", w.by_key("m"))
        .await
        .assert_refused(400, "unknown_product");
    // Tenant B sells a product of the same name, so the same short code: tenant A's key with
    // tenant B's credentials is still not found, and nothing is activated.
    sqlx::query("UPDATE licenses SET product = $1 WHERE tenant_id = $2")
        .bind(&w.tenant.company_id)
        .bind(&other.tenant_id)
        .execute(w.store.pool())
        .await
        .unwrap();
    let codes = licensing::products::list(&w.store, &other.tenant_id)
        .await
        .unwrap();
    assert!(codes.iter().any(|p| p.short_code == w.product), "{codes:?}");
    let fields = w.by_key("intruder");
    for (method, path) in [
        (Method::POST, "/activate_license"),
        (Method::GET, "/check_license"),
        (Method::POST, "/deactivate_license"),
    ] {
        w.call_as(theirs, method, path, fields.clone())
            .await
            .assert_refused(400, "license_not_found");
    }
    assert_eq!(w.active_devices().await, 4);
    // Tenant B's API key with tenant A's shared key is no signature at all.
    w.call_as(
        (other_creds.api_key(), w.creds.shared_key()),
        Method::POST,
        "/activate_license",
        fields,
    )
    .await
    .assert_refused(401, "signature_mismatch");
}

#[tokio::test]
async fn expired_and_suspended_licenses_are_refused_with_their_own_codes() {
    let w = world("LsStatus").await;
    assert_eq!(w.activate("m").await.status, 200);
    w.set_license("UPDATE licenses SET status = 'suspended' WHERE id = $1")
        .await;
    w.check("m").await.assert_refused(400, "license_not_active");
    w.activate("new")
        .await
        .assert_refused(400, "license_not_active");
    w.set_license(
        "UPDATE licenses SET status = 'active', valid_until = 1000, valid_from = 0 WHERE id = $1",
    )
    .await;
    w.check("m").await.assert_refused(400, "license_expired");
    w.activate("new")
        .await
        .assert_refused(400, "license_expired");
    // A machine can still give its slot back.
    assert_eq!(w.deactivate("m").await.status, 200);
}

#[tokio::test]
async fn every_refusal_is_the_contracts_json_never_html() {
    let w = world("LsErrors").await;
    let base = format!("{}/api/v4", w.server.base);
    // No credentials.
    let bare = Answer::from(
        w.http
            .post(format!("{base}/activate_license"))
            .body("{}")
            .send()
            .await
            .unwrap(),
    )
    .await;
    bare.assert_refused(400, "missing_headers");
    // A stale date, signed correctly.
    let stale = http_date(SystemTime::now() - Duration::from_secs(3600));
    let r = w
        .http
        .get(format!("{base}/product_details?product={}", w.product))
        .header("date", &stale)
        .header(
            "authorization",
            authorization_header(w.creds.api_key(), w.creds.shared_key(), &stale),
        )
        .send()
        .await
        .unwrap();
    Answer::from(r)
        .await
        .assert_refused(401, "signature_mismatch");
    w.call_as(
        ("no-such-key", "x"),
        Method::GET,
        "/product_details",
        json!({"product": w.product}),
    )
    .await
    .assert_refused(400, "invalid_api_key");

    w.call(
        Method::GET,
        "/check_license",
        json!({"product": "nope", "hardware_id": "m"}),
    )
    .await
    .assert_refused(400, "unknown_product");
    w.call(
        Method::POST,
        "/activate_license",
        json!({"product": w.product, "license_key": "K"}),
    )
    .await
    .assert_refused(400, "missing_hardware_id");
    w.activate("m\u{0}")
        .await
        .assert_refused(400, "invalid_request");
    w.call(Method::POST, "/activate_license", json!([1]))
        .await
        .assert_refused(400, "invalid_request");
    let huge = format!("{{\"product\": \"{}\"}}", "x".repeat(20_000));
    w.call(Method::POST, "/activate_license", json!(huge))
        .await
        .assert_refused(413, "payload_too_large");
    let mut unknown = w.by_key("m");
    unknown["license_key"] = json!("NOT-A-KEY");
    w.call(Method::POST, "/activate_license", unknown)
        .await
        .assert_refused(400, "license_not_found");

    for path in ["/floating/borrow", "/add_consumption", "/trial_key"] {
        w.call(Method::POST, path, w.by_key("m"))
            .await
            .assert_refused(400, "not_supported");
    }
    w.call(Method::GET, "/no/such/endpoint", json!({}))
        .await
        .assert_refused(404, "not_found");
    w.call(Method::GET, "/activate_license", json!({}))
        .await
        .assert_refused(405, "method_not_allowed");
    assert_eq!(w.active_devices().await, 4);
}

#[tokio::test]
async fn product_details_and_the_online_check_answer() {
    let w = world("LsProduct").await;
    let details = w
        .call(
            Method::GET,
            "/product_details",
            json!({"product": w.product, "include_latest_version": "false"}),
        )
        .await;
    assert_eq!(details.status, 200);
    w.assert_signed(&details);
    assert_eq!(details.json()["short_code"], w.product);
    assert_eq!(details.json()["product_name"], w.tenant.company_id);
    // A host name longer than Keyport keeps is cut, not refused: the app's user cannot change it.
    let mut long_name = w.by_key("machine-long");
    long_name["hostname"] = json!("é".repeat(500));
    let long = w.call(Method::POST, "/activate_license", long_name).await;
    assert_eq!(long.status, 200, "{}", long.json());
    assert_eq!(w.active_devices().await, 5);
    // `is_online()` asks the server's root, unauthenticated, following redirects.
    let root = Client::new().get(&w.server.base).send().await.unwrap();
    assert_eq!(root.status(), 200);
}

/// Every endpoint but the reachability check refuses a caller without the tenant's HMAC before
/// reading anything, whatever the method; the ones Keyport does not offer say so once it has one.
#[tokio::test]
async fn every_endpoint_asks_for_the_hmac_first() {
    let w = world("LsEvery").await;
    let paths = server::licensespring::SUPPORTED
        .iter()
        .chain(server::licensespring::NOT_SUPPORTED);
    for path in paths {
        for method in [Method::GET, Method::POST] {
            let bare = Answer::from(
                w.http
                    .request(method.clone(), format!("{}/api/v4{path}", w.server.base))
                    .body("{}")
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            let code = bare.json()["code"].as_str().unwrap_or_default().to_owned();
            assert!(
                matches!(
                    (bare.status, code.as_str()),
                    (400, "missing_headers") | (405, "method_not_allowed")
                ),
                "{method} {path}: {} {code}",
                bare.status
            );
            let forged = w
                .call_as(
                    (w.creds.api_key(), "not the shared key"),
                    method.clone(),
                    path,
                    w.by_key("m"),
                )
                .await;
            assert!(
                forged.status == 401 || forged.status == 405,
                "{method} {path}"
            );
        }
    }
    for path in server::licensespring::NOT_SUPPORTED {
        w.call(Method::POST, path, w.by_key("m"))
            .await
            .assert_refused(400, "not_supported");
    }
    assert_eq!(w.active_devices().await, 4);
}

/// An offline request file as the SDK writes it (contract section 7): `fields` serialised as
/// Python's `json.dumps` does (`", "` and `": "`), S1 over the date, key and machine, S2 over the
/// exact request text, the envelope in base64.
fn offline_request(creds: &TenantCredentials, kind: &str, fields: &[(&str, Value)]) -> String {
    let date = http_date(SystemTime::now());
    let holder = fields
        .iter()
        .find(|(k, _)| *k == "license_key")
        .or_else(|| fields.iter().find(|(k, _)| *k == "username"))
        .and_then(|(_, v)| v.as_str())
        .unwrap()
        .to_owned();
    let hardware = fields
        .iter()
        .find(|(k, _)| *k == "hardware_id")
        .and_then(|(_, v)| v.as_str())
        .unwrap()
        .to_owned();
    let s1 = hmac_base64(
        creds.shared_key(),
        format!(
            "licenseSpring\ndate: {date}\n{holder}\n{hardware}\n{}",
            creds.api_key()
        )
        .as_bytes(),
    );
    let mut all: Vec<(&str, Value)> = vec![("request", json!(kind))];
    all.extend(fields.iter().cloned());
    all.extend([
        ("date", json!(date)),
        ("request_id", json!("3f1e1c7a-5b7e-4c1e-9a59-0d6d1f0b2c44")),
        ("schema_version", json!(2)),
        ("signature", json!(s1)),
        ("api_key", json!(creds.api_key())),
    ]);
    let request = format!(
        "{{{}}}",
        all.iter()
            .map(|(k, v)| format!("{}: {v}", json!(k)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let s2 = hmac_base64(creds.shared_key(), request.as_bytes());
    let envelope = format!("{{\"request\": {request}, \"signature\": \"{s2}\"}}");
    base64_encode(envelope.as_bytes())
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl World {
    async fn post_text(&self, path: &str, body: String) -> Answer {
        let date = http_date(SystemTime::now());
        let r = self
            .http
            .post(format!("{}/api/v4{path}", self.server.base))
            .header("date", &date)
            .header(
                "authorization",
                authorization_header(self.creds.api_key(), self.creds.shared_key(), &date),
            )
            .header("content-type", "text/plain")
            .body(body)
            .send()
            .await
            .unwrap();
        Answer::from(r).await
    }
}

#[tokio::test]
async fn an_offline_request_file_gets_a_signed_license_file_and_gives_the_slot_back() {
    let w = world("LsOffline").await;
    let machine = [
        ("product", json!(w.product)),
        ("hardware_id", json!("air-gapped")),
        ("license_key", json!(w.tenant.license_key)),
        ("os_ver", json!("Windows 11")),
        ("hostname", json!("lab-pc")),
        ("is_vm", json!(false)),
        ("vm_info", Value::Null),
        ("sdk_ver", json!("PythonSDK 4.0.0")),
    ];
    let request = offline_request(&w.creds, "activation", &machine);
    // Only Offline Organisation licenses activate offline.
    w.post_text("/activate_offline", request.clone())
        .await
        .assert_refused(400, "offline_activation_not_allowed");
    assert_eq!(w.active_devices().await, 4);
    w.set_license("UPDATE licenses SET license_type = 'offline_organisation' WHERE id = $1")
        .await;

    let answer = w.post_text("/activate_offline", request).await;
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let mut file: serde_json::Map<String, Value> = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(file["request_id"], "3f1e1c7a-5b7e-4c1e-9a59-0d6d1f0b2c44");
    assert_eq!(file["hardware_id"], "air-gapped");
    assert_eq!(file["product_details"]["short_code"], w.product);
    assert!(file.contains_key("license_signature"));
    let v2 = file.remove("license_signature_v2").unwrap();
    file.remove("license_signature");
    // The SDK's check: the other fields, compact, in file order (sorted here and in the file).
    let signed = serde_json::to_vec(&file).unwrap();
    assert_eq!(v2.as_str().unwrap(), w.creds.sign(&signed));
    assert_eq!(w.active_devices().await, 5);
    assert!(w
        .audit_actions()
        .await
        .iter()
        .any(|a| a == "device.activated_offline"));

    // A file changed after it was signed, or signed with another shared key, is refused.
    let mut forged = offline_request(&w.creds, "activation", &machine);
    forged.insert(0, 'e');
    w.post_text("/activate_offline", forged)
        .await
        .assert_refused(400, "invalid_offline_request");
    let other = credentials::for_tenant(
        &w.store,
        &demo_tenant(&w.store, "LsOffline2").await.tenant_id,
    )
    .await
    .unwrap();
    w.post_text(
        "/activate_offline",
        offline_request(&other, "activation", &machine),
    )
    .await
    .assert_refused(400, "invalid_offline_request");
    // An activation file is no deactivation file.
    w.post_text(
        "/deactivate_offline",
        offline_request(&w.creds, "activation", &machine),
    )
    .await
    .assert_refused(400, "invalid_offline_request");

    let back = w
        .post_text(
            "/deactivate_offline",
            offline_request(&w.creds, "deactivation", &machine[..3]),
        )
        .await;
    assert_eq!(back.status, 200, "{}", String::from_utf8_lossy(&back.body));
    assert_eq!(w.active_devices().await, 4);
}
