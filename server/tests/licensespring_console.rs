//! The vendor console's LicenseSpring SDK page over HTTP on the server's router (`server::app`, in
//! process): each tenant's vendor staff see and rotate their own tenant's keys only, a customer
//! neither; the shared key is sent only when asked for and never kept by a cache; rotating
//! changes it, is audited, and works as a form post without JavaScript.

mod common;

use common::{demo_tenant, session, take_flash, test_database, App, ScratchDir};
use licensing::demo::{admin_email, DemoTenant};
use licensing::flash::Flash;
use licensing::licensespring::credentials;
use licensing::Store;
use reqwest::{Client, Response};
use serde_json::Value;

const PAGE: &str = "/admin/licensespring";

struct World {
    store: Store,
    server: App,
    http: Client,
    a: DemoTenant,
    b: DemoTenant,
    _dir: Option<ScratchDir>,
}

async fn world() -> World {
    let (url, dir) = test_database("ls-console");
    let store = Store::connect(&url).await.expect("open the test database");
    let a = demo_tenant(&store, "LsA").await;
    let b = demo_tenant(&store, "LsB").await;
    let server = App::start(&url).await;
    let http = common::portal_client().build().unwrap();
    World {
        store,
        server,
        http,
        a,
        b,
        _dir: dir,
    }
}

impl World {
    async fn admin(&self, t: &DemoTenant) -> String {
        session(&self.store, &t.company_id, &admin_email(&t.company_id)).await
    }

    async fn manager(&self, t: &DemoTenant) -> String {
        session(&self.store, &t.company_id, "manager@acme.example").await
    }

    /// A server function as the hydrated page calls it.
    async fn call(&self, token: &str, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.server.base))
            .header("accept", "application/json")
            .header("cookie", format!("keyport_session={token}"))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A page as the browser loads it: server-rendered with the session.
    async fn page(&self, token: &str, path: &str) -> String {
        common::page(&self.http, &self.server.base, token, path).await
    }

    async fn tenant_id(&self, t: &DemoTenant) -> String {
        sqlx::query_scalar("SELECT tenant_id FROM licenses WHERE id = $1")
            .bind(&t.license_id)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    async fn has_credentials(&self, t: &DemoTenant) -> bool {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM licensespring_credentials WHERE tenant_id = $1",
        )
        .bind(self.tenant_id(t).await)
        .fetch_one(self.store.pool())
        .await
        .unwrap();
        n > 0
    }

    async fn shared_key(&self, t: &DemoTenant) -> String {
        let tenant = self.tenant_id(t).await;
        let creds = credentials::for_tenant(&self.store, &tenant).await.unwrap();
        creds.shared_key().to_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_neither_reads_nor_rotates_the_keys() {
    let w = world().await;
    let manager = w.manager(&w.a).await;
    for (endpoint, form) in [
        ("admin_licensespring", vec![("reveal", "true")]),
        ("admin_rotate_shared_key", vec![]),
    ] {
        let r = w.call(&manager, endpoint, &form).await;
        assert_eq!(r.status(), 403, "{endpoint}");
    }
    // Refused before anything was read or made: no credentials, no audit event.
    assert!(!w.has_credentials(&w.a).await);
    let anonymous = w
        .http
        .post(format!("{}/api/admin_licensespring", w.server.base))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_vendor_sees_its_own_keys_and_the_shared_key_only_when_revealed() {
    let w = world().await;
    let admin_a = w.admin(&w.a).await;
    let admin_b = w.admin(&w.b).await;

    let hidden = w.call(&admin_a, "admin_licensespring", &[]).await;
    assert_eq!(hidden.status(), 200);
    let hidden: Value = hidden.json().await.unwrap();
    let expected = credentials::client_config(&w.store, &w.a.company_id)
        .await
        .unwrap();
    assert_eq!(hidden["api_key"], expected.api_key.as_str());
    assert_eq!(hidden["shared_key"], Value::Null);
    // The demo tenant's product is named after its company ID; its code is derived from that.
    let code = licensing::products::short_code_for(&w.a.company_id);
    assert_eq!(hidden["products"], serde_json::json!([code]));
    assert_eq!(hidden["public_key_pem"], expected.public_key_pem.as_str());
    assert_eq!(hidden["api_protocol"], "http");
    assert_eq!(
        hidden["api_domain"],
        w.server.base.trim_start_matches("http://")
    );

    let shown = w
        .call(&admin_a, "admin_licensespring", &[("reveal", "true")])
        .await;
    assert_eq!(shown.status(), 200);
    assert_eq!(shown.headers()["cache-control"], "no-store");
    let shown: Value = shown.json().await.unwrap();
    assert_eq!(shown["shared_key"], expected.shared_key.as_str());

    // Another tenant's vendor admin gets their own tenant's keys, never A's.
    let other = w
        .call(&admin_b, "admin_licensespring", &[("reveal", "true")])
        .await
        .text()
        .await
        .unwrap();
    assert!(!other.contains(&expected.api_key) && !other.contains(&expected.shared_key));
    let b = credentials::client_config(&w.store, &w.b.company_id)
        .await
        .unwrap();
    assert!(other.contains(&b.api_key) && other.contains(&b.shared_key));

    // Without JavaScript: the page holds the shared key only after Reveal (a query flag).
    let page = w.page(&admin_a, PAGE).await;
    assert!(page.contains(&expected.api_key));
    assert!(page.contains("BEGIN PUBLIC KEY"));
    assert!(!page.contains(&expected.shared_key));
    let page = w.page(&admin_a, &format!("{PAGE}?reveal=1")).await;
    assert!(page.contains(&expected.shared_key));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotating_changes_the_own_tenants_shared_key_and_is_audited() {
    let w = world().await;
    let admin_a = w.admin(&w.a).await;
    let admin_b = w.admin(&w.b).await;
    let a_before = w.shared_key(&w.a).await;
    let b_before = w.shared_key(&w.b).await;

    // B's vendor admin rotates B's key; A's stays.
    let r = w.call(&admin_b, "admin_rotate_shared_key", &[]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(w.shared_key(&w.a).await, a_before);
    assert_ne!(w.shared_key(&w.b).await, b_before);

    // A form post without JavaScript: back to the page, the new key revealed, a note kept.
    let r = w
        .http
        .post(format!("{}/api/admin_rotate_shared_key", w.server.base))
        .header("accept", "text/html")
        .header("origin", &w.server.base)
        .header("cookie", format!("keyport_session={admin_a}"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "got {}", r.status());
    assert_eq!(r.headers()["location"], format!("{PAGE}?reveal=1"));
    let a_after = w.shared_key(&w.a).await;
    assert_ne!(a_after, a_before);
    assert_eq!(
        take_flash(&w.http, &w.server.base, &admin_a, PAGE).await,
        Some(Flash::SharedKeyRotated)
    );
    let page = w.page(&admin_a, &format!("{PAGE}?reveal=1")).await;
    assert!(page.contains(&a_after) && !page.contains(&a_before));

    // Audited: who, from where, naming the API key and never a secret.
    let api_key = credentials::client_config(&w.store, &w.a.company_id)
        .await
        .unwrap()
        .api_key;
    let events: Vec<(Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT a.email, e.ip, e.subject FROM audit_events e LEFT JOIN accounts a ON a.id = e.actor_id \
         WHERE e.tenant_id = $1 AND e.action = 'signing_key.licensespring_rotated'",
    )
    .bind(w.tenant_id(&w.a).await)
    .fetch_all(w.store.pool())
    .await
    .unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let (email, ip, subject) = &events[0];
    assert_eq!(
        email.as_deref(),
        Some(admin_email(&w.a.company_id).as_str())
    );
    assert_eq!(ip.as_deref(), Some("127.0.0.1"));
    assert!(subject.contains(&api_key));
    assert!(!subject.contains(&a_after) && !subject.contains(&a_before));
}
