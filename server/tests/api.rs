//! The device API end to end: the real `keyport` binary, spoken to over HTTP, its database read
//! directly to prove what was (and was not) written.
//!
//! Without `KEYPORT_TEST_DATABASE_URL` every test gets its own SQLite file in a scratch directory.
//! With it (a `postgres://` URL) all tests share that database; each creates its own tenant under
//! a random company ID (`keyport demo-tenant`), so tests never see each other's data.

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};
use licensing::access::Actor;
use licensing::auth::{self, Credentials};
use licensing::demo::DEMO_PASSWORD;
use licensing::devices;
use licensing::licenses::{self, LicenseType, NewLicense};
use licensing::tenants::{self, NewAccount};
use licensing::Store;
use serde_json::{json, Value};

mod common;
use common::{demo_tenant, random_hex, test_database, workspace_root, ScratchDir, Server, BIN};
use licensing::demo::DemoTenant;

/// A database with one fresh demo tenant (Acme Corp: 4 active devices of 10, 3 deactivations),
/// created by `keyport demo-tenant`, and a running server on it.
struct World {
    url: String,
    store: Store,
    company: String,
    license_id: String,
    license_key: String,
    server: Server,
    client: reqwest::Client,
    _dir: Option<ScratchDir>,
}

async fn world() -> World {
    let (url, dir) = test_database("api");
    let store = Store::connect(&url).await.expect("open the test database");
    let DemoTenant {
        company_id: company,
        license_id,
        license_key,
        ..
    } = demo_tenant(&store, "api").await;
    let server = Server::start(&url).await;
    World {
        url,
        store,
        company,
        license_id,
        license_key,
        server,
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------------

/// An answer, with the exact body bytes the signature covers.
#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    body: Vec<u8>,
    signature: Option<String>,
    key_id: Option<String>,
}

impl Reply {
    async fn read(r: reqwest::Response) -> Self {
        let header = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().expect("ascii header").to_owned())
        };
        let signature = header("keyport-signature");
        let key_id = header("keyport-key-id");
        let status = r.status().as_u16();
        let body = r.bytes().await.expect("body").to_vec();
        Self {
            status,
            body,
            signature,
            key_id,
        }
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn token(&self) -> String {
        self.json()["device_token"]
            .as_str()
            .expect("device_token")
            .to_owned()
    }

    fn device_id(&self) -> String {
        self.json()["device_id"]
            .as_str()
            .expect("device_id")
            .to_owned()
    }
}

impl World {
    async fn post_raw(&self, body: impl Into<reqwest::Body>) -> Reply {
        Reply::read(
            self.client
                .post(self.server.url("/activations"))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("POST /activations"),
        )
        .await
    }

    async fn activate(&self, body: Value) -> Reply {
        self.post_raw(body.to_string()).await
    }

    fn login(&self, email: &str, hardware_id: &str) -> Value {
        json!({
            "company": self.company.to_uppercase(),
            "email": email,
            "password": DEMO_PASSWORD,
            "hardware_id": hardware_id,
            "device_name": format!("Device {hardware_id}"),
            "os": "Linux",
        })
    }

    fn by_key(&self, hardware_id: &str) -> Value {
        json!({
            "license_key": self.license_key,
            "hardware_id": hardware_id,
            "device_name": format!("Device {hardware_id}"),
            "os": "Windows 11",
        })
    }

    async fn device(&self, method: reqwest::Method, token: Option<&str>) -> Reply {
        let mut req = self.client.request(method, self.server.url("/device"));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        Reply::read(req.send().await.expect("/device")).await
    }

    async fn check_in(&self, token: &str) -> Reply {
        self.device(reqwest::Method::GET, Some(token)).await
    }

    async fn deactivate(&self, token: &str) -> Reply {
        self.device(reqwest::Method::DELETE, Some(token)).await
    }

    async fn public_key(&self) -> Value {
        let r = Reply::read(
            self.client
                .get(self.server.url("/public-key"))
                .query(&[("company", &self.company)])
                .send()
                .await
                .expect("public key"),
        )
        .await;
        assert_eq!(r.status, 200, "{:?}", r.json());
        r.json()
    }

    // --- reading the database directly ---

    async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .bind(&self.license_id)
            .fetch_one(self.store.pool())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    async fn active_devices(&self) -> i64 {
        self.scalar("SELECT COUNT(*) FROM devices WHERE license_id = $1 AND deactivated_at IS NULL")
            .await
    }

    /// Every event of the license, by action.
    async fn audit(&self) -> BTreeMap<String, i64> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT action, COUNT(*) FROM audit_events WHERE license_id = $1 GROUP BY action",
        )
        .bind(&self.license_id)
        .fetch_all(self.store.pool())
        .await
        .expect("audit events");
        rows.into_iter().collect()
    }

    /// Everything a refused request must leave as it was: the license row, every device row,
    /// the audit log (`device.limit_refused` aside, which a refusal adds on purpose).
    async fn snapshot(&self) -> (Vec<String>, BTreeMap<String, i64>) {
        let mut rows: Vec<String> = sqlx::query_scalar(
            "SELECT status || '|' || CAST(max_activations AS TEXT) || '|' || \
                    CAST(deactivations_used AS TEXT) || '|' || COALESCE(license_key_hash, '') \
             FROM licenses WHERE id = $1",
        )
        .bind(&self.license_id)
        .fetch_all(self.store.pool())
        .await
        .expect("license row");
        let devices: Vec<String> = sqlx::query_scalar(
            "SELECT id || '|' || hardware_id || '|' || CAST(last_seen_at AS TEXT) || '|' || \
                    COALESCE(CAST(deactivated_at AS TEXT), '-') || '|' || COALESCE(token_hash, '-') \
             FROM devices WHERE license_id = $1 ORDER BY id",
        )
        .bind(&self.license_id)
        .fetch_all(self.store.pool())
        .await
        .expect("device rows");
        rows.extend(devices);
        let mut audit = self.audit().await;
        audit.remove("device.limit_refused");
        (rows, audit)
    }

    async fn set_max_activations(&self, max: i64) {
        sqlx::query("UPDATE licenses SET max_activations = $1 WHERE id = $2")
            .bind(max)
            .bind(&self.license_id)
            .execute(self.store.pool())
            .await
            .expect("set max_activations");
    }

    /// The tenant's public key as stored in `signing_keys`, not as any server holds it.
    async fn stored_public_key(&self) -> VerifyingKey {
        let b64: String = sqlx::query_scalar(
            "SELECT k.public_key FROM signing_keys k JOIN licenses l ON l.tenant_id = k.tenant_id \
             WHERE l.id = $1",
        )
        .bind(&self.license_id)
        .fetch_one(self.store.pool())
        .await
        .expect("stored signing key");
        verifying_key(&b64)
    }
}

fn verifying_key(b64: &str) -> VerifyingKey {
    let raw: [u8; 32] = BASE64
        .decode(b64)
        .expect("base64 key")
        .try_into()
        .expect("32 bytes");
    VerifyingKey::from_bytes(&raw).expect("valid Ed25519 key")
}

/// Whether the answer's `Keyport-Signature` is the key's signature over the exact body bytes.
fn verifies(key: &VerifyingKey, reply: &Reply) -> bool {
    let Some(sig) = reply.signature.as_deref() else {
        return false;
    };
    let Ok(sig) = BASE64.decode(sig) else {
        return false;
    };
    let Ok(sig) = Signature::from_slice(&sig) else {
        return false;
    };
    key.verify_strict(&reply.body, &sig).is_ok()
}

fn count(audit: &BTreeMap<String, i64>, action: &str) -> i64 {
    audit.get(action).copied().unwrap_or(0)
}

/// `after` minus `before`, by action, leaving out actions that did not change.
fn audit_diff(
    before: &BTreeMap<String, i64>,
    after: &BTreeMap<String, i64>,
) -> BTreeMap<String, i64> {
    after
        .iter()
        .map(|(k, v)| (k.clone(), v - count(before, k)))
        .filter(|(_, d)| *d != 0)
        .collect()
}

fn diff(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

// ---------------------------------------------------------------------------------------------
// Activation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn login_activation_is_created_then_idempotent() {
    let w = world().await;
    let audit0 = w.audit().await;

    let first = w.activate(w.login("user@acme.example", "hw-1")).await;
    assert_eq!(first.status, 201, "{:?}", first.json());
    let body = first.json();
    assert_eq!(body["hardware_id"], "hw-1");
    assert_eq!(body["device_name"], "Device hw-1");
    let license = &body["license"];
    assert_eq!(license["id"], w.license_id.as_str());
    assert_eq!(license["product"], w.company.as_str());
    assert_eq!(license["type"], "organisation");
    assert_eq!(license["status"], "active");
    assert_eq!(license["max_activations"], 10);
    assert_eq!(license["devices_active"], 5);
    assert_eq!(body["valid_until"], license["valid_until"]);
    assert!(body["valid_until"].as_i64().unwrap() > licensing::now_millis());
    let token1 = first.token();
    assert_eq!(token1.len(), 64);
    assert_eq!(w.active_devices().await, 5);
    // Stored hashed, never as given; activated by the account that logged in.
    let (stored_hash, by): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT token_hash, account_id FROM devices WHERE id = $1")
            .bind(first.device_id())
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    assert_eq!(
        stored_hash.as_deref(),
        Some(licensing::secret::hash(&token1).as_str())
    );
    assert!(by.is_some());
    assert_eq!(
        audit_diff(&audit0, &w.audit().await),
        diff(&[("device.activated", 1)])
    );

    // The same machine again (padded, other case of company): same device, no new slot, a new
    // token that replaces the old one.
    let audit1 = w.audit().await;
    let again = w.activate(w.login("user@acme.example", "  hw-1 ")).await;
    assert_eq!(again.status, 200, "{:?}", again.json());
    assert_eq!(again.device_id(), first.device_id());
    assert_eq!(again.json()["license"]["devices_active"], 5);
    let token2 = again.token();
    assert_ne!(token2, token1);
    assert_eq!(w.active_devices().await, 5);
    assert_eq!(
        audit_diff(&audit1, &w.audit().await),
        diff(&[("device.reactivated", 1)])
    );
    assert_eq!(w.check_in(&token1).await.status, 401);
    assert_eq!(w.check_in(&token2).await.status, 200);

    // A license manager activating the same machine on the same license: still that device.
    let manager = w.activate(w.login("MANAGER@acme.example", "hw-1")).await;
    assert_eq!(manager.status, 200);
    assert_eq!(manager.device_id(), first.device_id());
}

#[tokio::test]
async fn license_key_activation() {
    let w = world().await;
    let audit0 = w.audit().await;
    let r = w.activate(w.by_key("key-hw")).await;
    assert_eq!(r.status, 201, "{:?}", r.json());
    assert_eq!(r.json()["license"]["id"], w.license_id.as_str());
    let by: Option<String> = sqlx::query_scalar("SELECT account_id FROM devices WHERE id = $1")
        .bind(r.device_id())
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(by, None, "a license-key activation has no account");
    assert_eq!(w.check_in(&r.token()).await.status, 200);
    assert_eq!(
        audit_diff(&audit0, &w.audit().await),
        diff(&[("device.activated", 1)])
    );

    // People retype keys: case and surrounding spaces do not matter.
    let mut body = w.by_key("key-hw");
    body["license_key"] = format!("  {}  ", w.license_key.to_lowercase()).into();
    let again = w.activate(body).await;
    assert_eq!(again.status, 200, "{:?}", again.json());
    assert_eq!(again.device_id(), r.device_id());
}

#[tokio::test]
async fn full_license_refuses_a_new_device_and_changes_nothing() {
    let w = world().await;
    for i in 0..6 {
        let r = w.activate(w.by_key(&format!("fill-{i}"))).await;
        assert_eq!(r.status, 201, "{:?}", r.json());
    }
    assert_eq!(w.active_devices().await, 10);

    let before = w.snapshot().await;
    let refused_before = count(&w.audit().await, "device.limit_refused");
    for body in [
        w.by_key("one-too-many"),
        w.login("user@acme.example", "one-too-many"),
    ] {
        let r = w.activate(body).await;
        assert_eq!(r.status, 409);
        assert_eq!(r.signature, None, "error bodies are not signed");
        let body = r.json();
        assert_eq!(body["error"], "too_many_devices");
        assert_eq!(body["allowed"], 10);
        assert_eq!(
            body["manage_url"],
            format!("/licenses/{}/devices", w.license_id)
        );
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("too many devices"));
    }
    assert_eq!(w.snapshot().await, before, "a refusal writes nothing");
    assert_eq!(
        count(&w.audit().await, "device.limit_refused") - refused_before,
        2,
        "each refusal is logged on its own"
    );

    // A machine already active still activates (and checks in) on a full license.
    let again = w.activate(w.by_key("fill-0")).await;
    assert_eq!(again.status, 200, "{:?}", again.json());
    assert_eq!(w.check_in(&again.token()).await.status, 200);
    assert_eq!(w.active_devices().await, 10);
}

#[tokio::test]
async fn wrong_credentials_get_one_body_whichever_part_was_wrong() {
    let w = world().await;
    let before = w.snapshot().await;
    let good = w.login("user@acme.example", "hw-x");
    let mut bodies = Vec::new();
    for (field, value) in [
        ("company", "no-such-company"),
        ("email", "nobody@acme.example"),
        ("password", "wrong-password"),
    ] {
        let mut body = good.clone();
        body[field] = value.into();
        bodies.push(body);
    }
    let mut key = w.by_key("hw-x");
    key["license_key"] = "KP-NOT-A-KEY".into();
    bodies.push(key);

    let mut answers = Vec::new();
    for body in bodies {
        let r = w.activate(body).await;
        assert_eq!(r.status, 401, "{:?}", r.json());
        assert_eq!(r.json()["error"], "invalid_credentials");
        answers.push(r.body);
    }
    assert!(
        answers.windows(2).all(|p| p[0] == p[1]),
        "the same body for every wrong part"
    );
    assert_eq!(w.snapshot().await, before);
}

#[tokio::test]
async fn no_license_and_inactive_license_are_refused() {
    let w = world().await;
    // An account of the customer that is assigned to no license.
    let (tenant_id, customer_id): (String, String) =
        sqlx::query_as("SELECT tenant_id, customer_id FROM licenses WHERE id = $1")
            .bind(&w.license_id)
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    tenants::create_account(
        &w.store,
        &NewAccount {
            tenant_id: &tenant_id,
            customer_id: Some(&customer_id),
            kind: licensing::auth::AccountKind::Customer,
            email: "spare@acme.example",
            name: "Sam Spare",
            password: DEMO_PASSWORD,
        },
    )
    .await
    .expect("spare account");
    let before = w.snapshot().await;
    let r = w.activate(w.login("spare@acme.example", "hw-spare")).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "no_license");
    assert_eq!(w.snapshot().await, before);

    // Suspended: refused by login and by key, and nothing is written.
    sqlx::query("UPDATE licenses SET status = 'suspended' WHERE id = $1")
        .bind(&w.license_id)
        .execute(w.store.pool())
        .await
        .unwrap();
    let before = w.snapshot().await;
    for body in [w.login("user@acme.example", "hw-s"), w.by_key("hw-s")] {
        let r = w.activate(body).await;
        assert_eq!(r.status, 403);
        assert_eq!(r.json()["error"], "license_inactive");
    }
    assert_eq!(w.snapshot().await, before);

    // Expired: the same.
    sqlx::query("UPDATE licenses SET status = 'active', valid_until = $1 WHERE id = $2")
        .bind(licensing::now_millis() - 1000)
        .bind(&w.license_id)
        .execute(w.store.pool())
        .await
        .unwrap();
    let r = w.activate(w.by_key("hw-e")).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "license_inactive");
}

#[tokio::test]
async fn login_activates_on_the_first_active_license_of_the_account() {
    let w = world().await;
    // A second license for the same customer, owned by the demo's license user: Uma is then
    // assigned to the demo license (first) and this one (second).
    let (tenant_id, customer_id, uma): (String, String, String) = sqlx::query_as(
        "SELECT l.tenant_id, l.customer_id, a.id FROM licenses l \
         JOIN accounts a ON a.customer_id = l.customer_id \
         WHERE l.id = $1 AND a.email = 'user@acme.example'",
    )
    .bind(&w.license_id)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    let now = licensing::now_millis();
    let second = licenses::create(
        &w.store,
        &NewLicense {
            tenant_id,
            customer_id,
            product: "Second product".into(),
            license_type: LicenseType::Personal,
            subscriptions: 1,
            seats_per_subscription: 1,
            max_activations: 2,
            max_deactivations: 1,
            valid_from: now - 1000,
            valid_until: now + 86_400_000,
            owner_account_id: uma,
        },
        None,
    )
    .await
    .expect("second license");

    let r = w.activate(w.login("user@acme.example", "multi-1")).await;
    assert_eq!(r.status, 201);
    assert_eq!(
        r.json()["license"]["id"],
        w.license_id.as_str(),
        "the first one"
    );

    // The first one suspended: the next active one.
    sqlx::query("UPDATE licenses SET status = 'suspended' WHERE id = $1")
        .bind(&w.license_id)
        .execute(w.store.pool())
        .await
        .unwrap();
    let r = w.activate(w.login("user@acme.example", "multi-2")).await;
    assert_eq!(r.status, 201, "{:?}", r.json());
    let body = r.json();
    assert_eq!(body["license"]["id"], second.as_str());
    assert_eq!(body["license"]["type"], "personal");
    assert_eq!(body["license"]["devices_active"], 1);

    // Both inactive: license_inactive.
    sqlx::query("UPDATE licenses SET status = 'suspended' WHERE id = $1")
        .bind(&second)
        .execute(w.store.pool())
        .await
        .unwrap();
    let r = w.activate(w.login("user@acme.example", "multi-3")).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "license_inactive");
}

#[tokio::test]
async fn malformed_requests_name_the_field_and_change_nothing() {
    let w = world().await;
    let before = w.snapshot().await;
    let good = w.login("user@acme.example", "hw-m");
    let without = |field: &str| {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(field);
        body
    };
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    let mut key_and_login = good.clone();
    key_and_login["license_key"] = w.license_key.clone().into();
    let cases: Vec<(&str, String)> = vec![
        ("hardware_id", without("hardware_id").to_string()),
        ("device_name", without("device_name").to_string()),
        ("os", without("os").to_string()),
        ("password", without("password").to_string()),
        ("company", without("company").to_string()),
        ("hardware_id", with("hardware_id", "   ".into()).to_string()),
        ("device_name", with("device_name", "".into()).to_string()),
        ("email", with("email", "".into()).to_string()),
        ("os", with("os", 5.into()).to_string()),
        (
            "hardware_id",
            with("hardware_id", "x".repeat(300).into()).to_string(),
        ),
        ("is_admin", with("is_admin", true.into()).to_string()),
        ("license_key", key_and_login.to_string()),
        (
            "license_key",
            json!({"hardware_id": "h", "device_name": "d", "os": "o"}).to_string(),
        ),
        ("body", "{\"hardware_id\": ".into()),
        ("body", "not json".into()),
        ("body", "[]".into()),
    ];
    for (field, body) in cases {
        let r = w.post_raw(body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {:?}", r.json());
        let answer = r.json();
        assert_eq!(answer["error"], "invalid_request", "{body}");
        assert_eq!(answer["field"], field, "{body}: {answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(w.snapshot().await, before);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let w = world().await;
    let before = w.snapshot().await;
    // Just over the API's 16 KiB, and over the portal's 64 KiB too: the same JSON answer.
    for size in [17 * 1024, 100 * 1024] {
        let mut body = w.by_key("hw-big");
        body["device_name"] = "x".repeat(size).into();
        let r = w.activate(body).await;
        assert_eq!(r.status, 413, "{size}");
        assert_eq!(r.json()["error"], "payload_too_large");
    }
    // Just under it is read (and refused for the over-long name, by the rules).
    let mut body = w.by_key("hw-big");
    body["device_name"] = "x".repeat(15 * 1024).into();
    let r = w.activate(body).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["field"], "device_name");
    // Also without a Content-Length to trust: a chunked body, sent by hand.
    let addr = w.server.base.trim_start_matches("http://").to_owned();
    let answer = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut request = b"POST /api/v1/activations HTTP/1.1\r\nHost: localhost\r\n\
            Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\
            Connection: close\r\n\r\n"
            .to_vec();
        for _ in 0..3 {
            request.extend_from_slice(b"2800\r\n");
            request.extend_from_slice(&[b' '; 0x2800]);
            request.extend_from_slice(b"\r\n");
        }
        request.extend_from_slice(b"0\r\n\r\n");
        // The server may answer and close before reading it all.
        let _ = stream.write_all(&request);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");
    assert_eq!(w.snapshot().await, before);
}

// ---------------------------------------------------------------------------------------------
// Check-in and deactivation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn check_in_answers_until_the_device_is_reset_in_the_portal() {
    let w = world().await;
    let r = w.activate(w.login("user@acme.example", "hw-c")).await;
    assert_eq!(r.status, 201);
    let token = r.token();
    sqlx::query("UPDATE devices SET last_seen_at = 1 WHERE id = $1")
        .bind(r.device_id())
        .execute(w.store.pool())
        .await
        .unwrap();
    let audit0 = w.audit().await;

    let c = w.check_in(&token).await;
    assert_eq!(c.status, 200, "{:?}", c.json());
    let body = c.json();
    assert_eq!(body["device_id"], r.device_id().as_str());
    assert_eq!(body["hardware_id"], "hw-c");
    assert_eq!(body["license"]["status"], "active");
    assert_eq!(body["license"]["devices_active"], 5);
    assert!(body.get("device_token").is_none());
    assert!(verifies(&w.stored_public_key().await, &c));
    // Written behind the answer, within about a second.
    let updated = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let seen: i64 = sqlx::query_scalar("SELECT last_seen_at FROM devices WHERE id = $1")
                .bind(r.device_id())
                .fetch_one(w.store.pool())
                .await
                .unwrap();
            if licensing::now_millis() - seen < 60_000 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(updated.is_ok(), "last_seen updated");
    assert_eq!(
        w.audit().await,
        audit0,
        "a check-in is not an audited change"
    );

    // Unknown, missing or malformed tokens.
    assert_eq!(w.check_in("not-a-token").await.status, 401);
    let missing = w.device(reqwest::Method::GET, None).await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.json()["error"], "invalid_token");

    // Reset in the portal by the license user: the next check-in is 410.
    let user = auth::check_credentials(
        &w.store,
        &Credentials {
            company: w.company.clone(),
            email: "user@acme.example".into(),
            password: DEMO_PASSWORD.into(),
        },
        "127.0.0.1",
    )
    .await
    .unwrap();
    devices::reset(
        &w.store,
        &Actor::new(user.clone(), "127.0.0.1"),
        &r.device_id(),
    )
    .await
    .expect("portal reset");
    let gone = w.check_in(&token).await;
    assert_eq!(gone.status, 410);
    assert_eq!(gone.json()["error"], "device_deactivated");
    // Deactivating it again from the app is refused the same way, and costs nothing.
    let used = w
        .scalar("SELECT deactivations_used FROM licenses WHERE id = $1")
        .await;
    assert_eq!(w.deactivate(&token).await.status, 410);
    assert_eq!(
        w.scalar("SELECT deactivations_used FROM licenses WHERE id = $1")
            .await,
        used
    );

    // Activating the machine again makes it a new device with a working token.
    let back = w.activate(w.login("user@acme.example", "hw-c")).await;
    assert_eq!(back.status, 201);
    assert_ne!(back.device_id(), r.device_id());
    assert_eq!(w.check_in(&back.token()).await.status, 200);
}

#[tokio::test]
async fn app_deactivation_uses_the_budget_and_is_refused_when_spent() {
    let w = world().await;
    let mut tokens = Vec::new();
    for i in 0..4 {
        let r = w.activate(w.by_key(&format!("d-{i}"))).await;
        assert_eq!(r.status, 201);
        tokens.push((r.device_id(), r.token()));
    }
    let key = w.stored_public_key_after_use().await;
    for (i, (device_id, token)) in tokens.iter().take(3).enumerate() {
        let audit0 = w.audit().await;
        let r = w.deactivate(token).await;
        assert_eq!(r.status, 200, "{:?}", r.json());
        assert!(verifies(&key, &r));
        let body = r.json();
        assert_eq!(body["device_id"], device_id.as_str());
        assert_eq!(body["deactivated"], true);
        assert_eq!(body["deactivations_left"], 2 - i as i64);
        assert_eq!(
            audit_diff(&audit0, &w.audit().await),
            diff(&[("device.deactivated_by_app", 1)])
        );
        let reason: Option<String> =
            sqlx::query_scalar("SELECT deactivated_reason FROM devices WHERE id = $1")
                .bind(device_id)
                .fetch_one(w.store.pool())
                .await
                .unwrap();
        assert_eq!(reason.as_deref(), Some("app"));
        assert_eq!(w.check_in(token).await.status, 410);
    }
    assert_eq!(
        w.scalar("SELECT deactivations_used FROM licenses WHERE id = $1")
            .await,
        3
    );

    // The budget is spent: refused like a portal reset, nothing changes.
    let before = w.snapshot().await;
    let r = w.deactivate(&tokens[3].1).await;
    assert_eq!(r.status, 409);
    let body = r.json();
    assert_eq!(body["error"], "deactivation_limit_reached");
    assert_eq!(body["allowed"], 3);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("Contact your vendor"));
    assert_eq!(w.snapshot().await, before);
    assert_eq!(w.check_in(&tokens[3].1).await.status, 200);
    // The portal is refused the same way.
    let manager = auth::check_credentials(
        &w.store,
        &Credentials {
            company: w.company.clone(),
            email: "manager@acme.example".into(),
            password: DEMO_PASSWORD.into(),
        },
        "127.0.0.1",
    )
    .await
    .unwrap();
    assert_eq!(
        devices::reset(
            &w.store,
            &Actor::new(manager.clone(), "127.0.0.1"),
            &tokens[3].0
        )
        .await,
        Err(licensing::AppError::DeactivationLimitReached { allowed: 3 })
    );
}

// ---------------------------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------------------------

impl World {
    /// The stored key, after an answer made sure it exists.
    async fn stored_public_key_after_use(&self) -> VerifyingKey {
        self.public_key().await;
        self.stored_public_key().await
    }
}

#[tokio::test]
async fn answers_are_signed_with_the_tenants_key() {
    let w = world().await;
    let published = w.public_key().await;
    assert_eq!(published["algorithm"], "Ed25519");
    assert_eq!(published["company"], w.company.as_str());
    let key = verifying_key(published["public_key"].as_str().unwrap());

    // The same key as PEM (SubjectPublicKeyInfo).
    let pem = published["public_key_pem"].as_str().unwrap();
    let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = BASE64.decode(der).unwrap();
    assert_eq!(der.len(), 44);
    assert_eq!(&der[12..], key.as_bytes());

    let r = w.activate(w.by_key("sig-1")).await;
    assert_eq!(r.status, 201);
    assert!(
        verifies(&key, &r),
        "activation signed with the published key"
    );
    assert_eq!(
        r.key_id.as_deref(),
        published["key_id"].as_str(),
        "Keyport-Key-Id names the key"
    );
    let c = w.check_in(&r.token()).await;
    assert!(verifies(&key, &c));

    // A changed body does not verify.
    let mut forged = c.clone();
    let text = String::from_utf8(forged.body.clone()).unwrap();
    forged.body = text.replace("\"active\"", "\"activf\"").into_bytes();
    assert_ne!(forged.body, c.body);
    assert!(!verifies(&key, &forged));

    // Company IDs are case-insensitive; an unknown one is 404, a missing one 422.
    let upper = Reply::read(
        w.client
            .get(w.server.url("/public-key"))
            .query(&[("company", w.company.to_uppercase())])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(upper.json()["public_key"], published["public_key"]);
    let unknown = Reply::read(
        w.client
            .get(w.server.url("/public-key?company=no-such-company-x"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(unknown.status, 404);
    let missing = Reply::read(
        w.client
            .get(w.server.url("/public-key"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.json()["field"], "company");

    // Another tenant has another key: its signature does not verify with this one.
    let other = format!("api-{}", random_hex(12));
    let out = Command::new(BIN)
        .current_dir(workspace_root())
        .env("DATABASE_URL", &w.url)
        .env("RUST_LOG", "warn")
        .args(["demo-tenant", "--company", &other])
        .output()
        .unwrap();
    assert!(out.status.success());
    let other_key = Reply::read(
        w.client
            .get(w.server.url("/public-key"))
            .query(&[("company", &other)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(other_key.status, 200);
    assert_ne!(other_key.json()["public_key"], published["public_key"]);
    assert!(!verifies(&key, &other_key));
}

#[tokio::test]
async fn signatures_verify_with_the_key_stored_in_the_database() {
    let w = world().await;
    // The first signed answer creates the tenant's key; read it from the table, not from any
    // server, and verify the exact body bytes.
    let r = w.activate(w.login("manager@acme.example", "db-key")).await;
    assert_eq!(r.status, 201);
    let stored = w.stored_public_key().await;
    assert!(verifies(&stored, &r));
    let c = w.check_in(&r.token()).await;
    assert!(verifies(&stored, &c));

    // One key per tenant, kept: a second server process signs with the same stored key, and its
    // creation was logged once.
    let second = Server::start(&w.url).await;
    let c2 = Reply::read(
        w.client
            .get(second.url("/device"))
            .bearer_auth(r.token())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(c2.status, 200);
    assert!(verifies(&stored, &c2));
    let keys: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM signing_keys k JOIN licenses l ON l.tenant_id = k.tenant_id \
         WHERE l.id = $1",
    )
    .bind(&w.license_id)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    assert_eq!(keys, 1);
    let created: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events e JOIN licenses l ON l.tenant_id = e.tenant_id \
         WHERE l.id = $1 AND e.action = 'signing_key.created'",
    )
    .bind(&w.license_id)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    assert_eq!(created, 1);
}

// ---------------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------------

/// 50 distinct machines at once against 10 free slots, spread over the given servers.
/// How the racing apps authenticate.
#[derive(Clone, Copy)]
enum By {
    LicenseKey,
    /// The manager's email and correct password: every one of the 50 checks is a success, so
    /// none may be refused by the throttle (429) while the others are in flight.
    Login,
}

async fn race(w: &World, servers: &[&Server], free: i64, by: By) {
    // 4 devices are active.
    w.set_max_activations(4 + free).await;
    // Make the tenant's key before the race, so the race is about slots only.
    w.public_key().await;
    let audit0 = w.audit().await;
    let barrier = Arc::new(tokio::sync::Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let url = servers[i % servers.len()].url("/activations");
            let hardware_id = format!("race-{i}");
            let body = match by {
                By::LicenseKey => w.by_key(&hardware_id),
                By::Login => w.login("manager@acme.example", &hardware_id),
            };
            let client = w.client.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let r = client
                    .post(url)
                    .json(&body)
                    .send()
                    .await
                    .expect("activation");
                let status = r.status().as_u16();
                (status, r.text().await.unwrap_or_default())
            })
        })
        .collect();
    let mut by_status = BTreeMap::<u16, usize>::new();
    for t in tasks {
        let (status, body) = t.await.expect("task");
        assert!(status == 201 || status == 409, "{status}: {body}");
        *by_status.entry(status).or_default() += 1;
    }
    let (taken, refused) = (free as usize, 50 - free as usize);
    assert_eq!(by_status, BTreeMap::from([(201, taken), (409, refused)]));
    assert_eq!(w.active_devices().await, 4 + free);
    assert_eq!(
        audit_diff(&audit0, &w.audit().await),
        diff(&[
            ("device.activated", taken as i64),
            ("device.limit_refused", refused as i64)
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_activations_take_exactly_the_free_slots() {
    let w = world().await;
    race(&w, &[&w.server], 10, By::LicenseKey).await;
}

/// The same across two server processes sharing one database (Postgres, or one SQLite file).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_hold_the_limit_together() {
    let w = world().await;
    let second = Server::start(&w.url).await;
    race(&w, &[&w.server, &second], 10, By::LicenseKey).await;
}

/// Fifty apps activating with one account's correct password at once: a correct password is
/// never refused for the others in flight, so exactly the free slots are taken and the rest are
/// told the license is full.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_logins_take_exactly_the_free_slots() {
    let w = world().await;
    race(&w, &[&w.server], 6, By::Login).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_logins_on_two_servers_take_exactly_the_free_slots() {
    let w = world().await;
    let second = Server::start(&w.url).await;
    race(&w, &[&w.server, &second], 6, By::Login).await;
}

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn openapi_document_describes_every_endpoint() {
    let w = world().await;
    let r = w
        .client
        .get(w.server.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.0"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/activations", "post"),
        ("/device", "get"),
        ("/device", "delete"),
        ("/public-key", "get"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path}");
    }
    for code in ["201", "200", "401", "403", "409", "413", "422"] {
        assert!(
            paths["/activations"]["post"]["responses"][code].is_object(),
            "{code}"
        );
    }

    // Anything else under /api/v1 is a JSON 404, not the portal's page.
    let r = w
        .client
        .get(w.server.url("/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
}
