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

#[path = "api/activation.rs"]
mod activation;
#[path = "api/check_in.rs"]
mod check_in;
#[path = "api/concurrency.rs"]
mod concurrency;
#[path = "api/document.rs"]
mod document;
#[path = "api/signatures.rs"]
mod signatures;

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

    /// The stored key, after an answer made sure it exists.
    async fn stored_public_key_after_use(&self) -> VerifyingKey {
        self.public_key().await;
        self.stored_public_key().await
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
