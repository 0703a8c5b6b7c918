//! The management API end to end: the real `keyport` binary over HTTP with management keys made
//! by vendor staff, its database read directly to prove what was (and was not) written.
//!
//! Runs on SQLite, or on the Postgres of `KEYPORT_TEST_DATABASE_URL` (each test its own tenants).

use std::collections::BTreeSet;

use licensing::access::Actor;
use licensing::auth;
use licensing::demo::{admin_email, DemoTenant};
use licensing::{manage, Store};
use serde_json::{json, Value};

mod common;
use common::{demo_tenant, random_hex, test_database, ScratchDir, Server, DATABASE_ENV};
use licensing::testing::emails_to;

/// Two vendor tenants (each Acme Corp's demo license: 4 active devices of 10, 3 deactivations
/// used), a management key of each, and a server.
struct World {
    url: String,
    store: Store,
    server: Server,
    client: reqwest::Client,
    a: DemoTenant,
    b: DemoTenant,
    key_a: String,
    key_b: String,
    _dir: Option<ScratchDir>,
}

async fn key_of(store: &Store, tenant: &DemoTenant, name: &str) -> String {
    let admin =
        auth::principal_by_email(store, &tenant.company_id, &admin_email(&tenant.company_id))
            .await
            .expect("the tenant's vendor admin");
    manage::create_key(store, &Actor::new(admin, "127.0.0.1"), name)
        .await
        .expect("make a management key")
        .key
}

async fn world() -> World {
    let (url, dir) = test_database("manage");
    let store = Store::connect(&url).await.expect("open the test database");
    let a = demo_tenant(&store, "mga").await;
    let b = demo_tenant(&store, "mgb").await;
    let key_a = key_of(&store, &a, "Shop").await;
    let key_b = key_of(&store, &b, "Other shop").await;
    let server = Server::start(&url).await;
    World {
        url,
        store,
        server,
        client: reqwest::Client::new(),
        a,
        b,
        key_a,
        key_b,
        _dir: dir,
    }
}

impl World {
    fn url(&self, path: &str) -> String {
        format!("{}/api/v1/manage{path}", self.server.base)
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method.parse().expect("a method"), self.url(path));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, Some(&self.key_a), None).await
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.call("POST", path, Some(&self.key_a), Some(body)).await
    }

    async fn count(&self, sql: &str, bind: &str) -> i64 {
        sqlx::query_scalar(sql)
            .bind(bind)
            .fetch_one(self.store.pool())
            .await
            .expect("count")
    }

    /// The tenant's audit events, as (action, actor name).
    async fn events(&self, tenant_id: &str) -> Vec<(String, Option<String>)> {
        sqlx::query_as(
            "SELECT e.action, a.name FROM audit_events e LEFT JOIN accounts a ON a.id = e.actor_id \
             WHERE e.tenant_id = $1 ORDER BY e.at, e.id",
        )
        .bind(tenant_id)
        .fetch_all(self.store.pool())
        .await
        .expect("read the log")
    }
}

fn order(order_id: &str, external_id: &str, owner: &str) -> Value {
    json!({
        "order_id": order_id,
        "customer": {"external_id": external_id, "name": "Initech"},
        "owner": {"email": owner, "name": "Peter Gibbons"},
        "product": "CodeGlass",
        "license_type": "organisation",
        "subscriptions": 1,
        "seats_per_subscription": 3,
        "devices_per_subscription": 2,
        "deactivations": 5,
        "valid_days": 365
    })
}

#[tokio::test]
async fn one_refusal_for_every_request_without_a_live_key() {
    let w = world().await;
    let revoked = {
        let admin =
            auth::principal_by_email(&w.store, &w.a.company_id, &admin_email(&w.a.company_id))
                .await
                .unwrap();
        let actor = Actor::new(admin, "127.0.0.1");
        let made = manage::create_key(&w.store, &actor, "Old").await.unwrap();
        manage::revoke_key(&w.store, &actor, &made.id)
            .await
            .unwrap();
        made.key
    };
    let unknown = format!("kp_{}", random_hex(64));
    let mut bodies = BTreeSet::new();
    for key in [
        None,
        Some(""),
        Some("kp_"),
        Some(unknown.as_str()),
        Some(revoked.as_str()),
        Some("Basic abc"),
    ] {
        let (status, body) = w.call("GET", "/customers", key, None).await;
        assert_eq!(status, 401, "{key:?}: {body}");
        bodies.insert(body.to_string());
    }
    assert_eq!(bodies.len(), 1, "one body for all: {bodies:?}");
    assert!(bodies.iter().next().unwrap().contains("invalid_key"));
    // A portal session cookie is not a management key.
    let (status, _) = w
        .call(
            "POST",
            "/orders",
            None,
            Some(&order("o-1", "c-1", "p@initech.example")),
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(
        w.count(
            "SELECT COUNT(*) FROM orders WHERE tenant_id = $1",
            &w.a.tenant_id
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_key_never_reaches_another_tenants_data() {
    let w = world().await;
    let (_, devices) = w
        .get(&format!("/licenses/{}/devices", w.a.license_id))
        .await;
    let device = devices[0]["id"].as_str().expect("a device").to_owned();
    let customer = w.get("/customers").await.1["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = w.events(&w.a.tenant_id).await.len();

    let other = Some(w.key_b.as_str());
    let lid = &w.a.license_id;
    for (method, path, body) in [
        ("GET", format!("/customers/{customer}"), None),
        ("GET", format!("/licenses?customer_id={customer}"), None),
        ("GET", format!("/licenses/{lid}"), None),
        ("GET", format!("/licenses/{lid}/devices"), None),
        (
            "PATCH",
            format!("/licenses/{lid}"),
            Some(json!({"max_activations": 20})),
        ),
        ("POST", format!("/licenses/{lid}/suspend"), None),
        ("POST", format!("/licenses/{lid}/resume"), None),
        (
            "POST",
            format!("/licenses/{lid}/reset-deactivations"),
            Some(json!({"reason": "x"})),
        ),
        ("DELETE", format!("/devices/{device}"), None),
    ] {
        let (status, answer) = w.call(method, &path, other, body.as_ref()).await;
        assert_eq!(status, 404, "{method} {path}: {answer}");
        assert_eq!(answer["error"], "not_found", "{method} {path}");
    }
    // Its own lists hold only its own.
    let (_, listed) = w.call("GET", "/licenses", other, None).await;
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [w.b.license_id.as_str()]);
    let (_, events) = w
        .call("GET", &format!("/events?license_id={lid}"), other, None)
        .await;
    assert_eq!(events["items"], json!([]));
    // Nothing changed in tenant A.
    assert_eq!(w.events(&w.a.tenant_id).await.len(), before);
    let (_, license) = w.get(&format!("/licenses/{lid}")).await;
    assert_eq!(license["status"], "active");
    assert_eq!(license["devices_active"], 4);
    assert_eq!(license["max_activations"], 10);
}

#[tokio::test]
async fn an_order_sells_once_however_often_it_is_sent() {
    let w = world().await;
    let first = order("shop-1001", "cust-77", "Peter@Initech.example");
    let (status, sold) = w.post("/orders", &first).await;
    assert_eq!(status, 201, "{sold}");
    assert_eq!(sold["license_created"], true);
    let key = sold["license_key"]
        .as_str()
        .expect("the key, once")
        .to_owned();
    assert!(key.starts_with("KP-"));
    let license_id = sold["license_id"].as_str().unwrap().to_owned();

    // Again: the same answer without the key, nothing sold.
    let (status, again) = w.post("/orders", &first).await;
    assert_eq!(status, 200);
    let mut expected = sold.clone();
    expected["license_key"] = Value::Null;
    assert_eq!(again, expected);
    // The same id with another body.
    let mut changed = first.clone();
    changed["subscriptions"] = json!(2);
    let (status, refused) = w.post("/orders", &changed).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (409, Some("conflict")),
        "{refused}"
    );

    let (_, license) = w.get(&format!("/licenses/{license_id}")).await;
    assert_eq!(
        (
            license["subscriptions"].as_i64(),
            license["max_users"].as_i64()
        ),
        (Some(1), Some(3))
    );
    assert_eq!(license["max_activations"], 2);
    assert_eq!(license["max_deactivations"], 5);
    assert_eq!(license["customer_name"], "Initech");
    // The owner got credentials (a set-password link), once.
    let mail = emails_to(&w.store, &w.a.tenant_id, "peter@initech.example").await;
    assert_eq!(
        mail.iter()
            .map(|(kind, _)| kind.as_str())
            .collect::<Vec<_>>(),
        ["credentials"]
    );

    // Fifty at once of a new order for the same customer: one raises the license, all agree. On
    // Postgres half of them go to a second server process.
    let other = match std::env::var(DATABASE_ENV) {
        Ok(_) => Some(Server::start(&w.url).await),
        Err(_) => None,
    };
    let second = order("shop-1002", "cust-77", "peter@initech.example");
    let send = |n: usize| {
        let base = match &other {
            Some(server) if n % 2 == 1 => &server.base,
            _ => &w.server.base,
        };
        w.client
            .post(format!("{base}/api/v1/manage/orders"))
            .bearer_auth(&w.key_a)
            .json(&second)
            .send()
    };
    let mut answers = Vec::new();
    for response in futures_util::future::join_all((0..50).map(send)).await {
        let response = response.expect("an answer");
        let status = response.status().as_u16();
        answers.push((status, response.json::<Value>().await.expect("JSON")));
    }
    let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        49,
        "{statuses:?}"
    );
    for (_, answer) in &answers {
        assert_eq!(answer["license_id"], license_id.as_str());
        assert_eq!(answer["license_created"], false);
        assert_eq!(answer["license_key"], Value::Null);
    }
    let (_, license) = w.get(&format!("/licenses/{license_id}")).await;
    assert_eq!(
        (
            license["subscriptions"].as_i64(),
            license["max_users"].as_i64()
        ),
        (Some(2), Some(6))
    );
    // One customer, one owner account, one license, each audited once, by the key.
    let tenant = &w.a.tenant_id;
    assert_eq!(
        w.count(
            "SELECT COUNT(*) FROM customers WHERE tenant_id = $1 AND external_id = 'cust-77'",
            tenant
        )
        .await,
        1
    );
    assert_eq!(w.count("SELECT COUNT(*) FROM accounts WHERE email = 'peter@initech.example' AND tenant_id = $1", tenant).await, 1);
    let events: Vec<(String, Option<String>)> = w
        .events(tenant)
        .await
        .into_iter()
        .filter(|(_, actor)| actor.as_deref() == Some("API key Shop"))
        .collect();
    let actions: Vec<&str> = events.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "customer.created",
            "user.created",
            "license.created",
            "license.subscriptions_added"
        ]
    );
    let keys_issued =
        "SELECT COUNT(*) FROM audit_events WHERE license_id = $1 AND action = 'license.key_issued'";
    assert_eq!(w.count(keys_issued, &license_id).await, 1);
}

#[tokio::test]
async fn a_bad_order_changes_nothing() {
    let w = world().await;
    let tenant = &w.a.tenant_id;
    let mut cases = Vec::new();
    for (field, value, named) in [
        ("subscriptions", json!(0), "subscriptions"),
        (
            "seats_per_subscription",
            json!(i64::MAX),
            "seats_per_subscription",
        ),
        (
            "devices_per_subscription",
            json!(-1),
            "devices_per_subscription",
        ),
        ("deactivations", json!(100_000_000), "deactivations"),
        ("valid_days", json!(0), "valid_days"),
        ("product", json!("  "), "product"),
        ("order_id", json!(""), "order_id"),
        ("order_id", json!("x".repeat(101)), "order_id"),
        ("license_type", json!("lifetime"), "license_type"),
    ] {
        let mut body = order("bad-1", "cust-bad", "bad@initech.example");
        body[field] = value;
        cases.push((body, named.to_owned()));
    }
    for (path, value, named) in [
        (
            "customer",
            json!({"external_id": "", "name": "X"}),
            "customer.external_id",
        ),
        (
            "customer",
            json!({"external_id": "cust-bad", "name": " "}),
            "customer.name",
        ),
        (
            "owner",
            json!({"email": "not an email", "name": "X"}),
            "owner.email",
        ),
        (
            "owner",
            json!({"email": "bad@initech.example", "name": ""}),
            "owner.name",
        ),
    ] {
        let mut body = order("bad-1", "cust-bad", "bad@initech.example");
        body[path] = value;
        cases.push((body, named.to_owned()));
    }
    let mut unknown = order("bad-1", "cust-bad", "bad@initech.example");
    unknown["discount"] = json!(10);
    cases.push((unknown, "discount".to_owned()));
    for (body, named) in cases {
        let (status, answer) = w.post("/orders", &body).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(answer["error"], "invalid_request");
        assert!(
            answer["field"]
                .as_str()
                .unwrap_or_default()
                .contains(&named),
            "{named}: {answer}"
        );
    }
    // The owner's email belongs to another customer's account: refused, nothing sold.
    let acme_manager = sqlx::query_scalar::<_, String>(
        "SELECT a.email FROM accounts a WHERE a.tenant_id = $1 AND a.customer_id IS NOT NULL LIMIT 1",
    )
    .bind(tenant)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    let (status, answer) = w
        .post("/orders", &order("bad-2", "cust-other", &acme_manager))
        .await;
    assert_eq!(status, 409, "{answer}");
    for table in ["orders", "licenses"] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = $1");
        // Only the demo license; no order row holds an id.
        let expected = if table == "licenses" { 1 } else { 0 };
        assert_eq!(w.count(&sql, tenant).await, expected, "{table}");
    }
    assert_eq!(
        w.count(
            "SELECT COUNT(*) FROM customers WHERE tenant_id = $1 AND name = 'Initech'",
            tenant
        )
        .await,
        0
    );
    // The order id refused before is free for the corrected order.
    let (status, _) = w
        .post(
            "/orders",
            &order("bad-1", "cust-bad", "bad@initech.example"),
        )
        .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn the_vendor_reads_and_changes_licenses_through_the_api() {
    let w = world().await;
    let lid = w.a.license_id.clone();
    // Customers, paged one at a time, cover the tenant's once each.
    for n in 0..3 {
        let (status, _) = w
            .post(
                "/orders",
                &order(
                    &format!("p-{n}"),
                    &format!("c-{n}"),
                    &format!("o{n}@x.example"),
                ),
            )
            .await;
        assert_eq!(status, 201);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/customers?limit=1&cursor={c}"),
            None => "/customers?limit=1".to_owned(),
        };
        let (status, page) = w.get(&path).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        seen.push(page["items"][0]["id"].as_str().unwrap().to_owned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 4, "Acme Corp and three ordered: {seen:?}");
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 4);
    let (_, one) = w.get("/customers?external_id=c-1").await;
    assert_eq!(one["items"][0]["external_id"], "c-1");
    assert_eq!(w.get("/customers?limit=0").await.0, 422);
    assert_eq!(w.get("/customers?cursor=%%%").await.0, 422);
    let (_, detail) = w.get(&format!("/customers/{}", seen[1])).await;
    assert_eq!(detail["accounts"][0]["invitation_pending"], true);

    // Suspend, resume: each once.
    let (status, suspended) = w
        .post(&format!("/licenses/{lid}/suspend"), &json!({}))
        .await;
    assert_eq!(
        (status, suspended["status"].as_str()),
        (200, Some("suspended"))
    );
    assert_eq!(
        w.post(&format!("/licenses/{lid}/suspend"), &json!({}))
            .await
            .0,
        409
    );
    let (status, resumed) = w.post(&format!("/licenses/{lid}/resume"), &json!({})).await;
    assert_eq!((status, resumed["status"].as_str()), (200, Some("active")));

    // Deactivations: a reason is required.
    let (status, refused) = w
        .post(
            &format!("/licenses/{lid}/reset-deactivations"),
            &json!({"reason": " "}),
        )
        .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (422, Some("invalid_request"))
    );
    let (_, reset) = w
        .post(
            &format!("/licenses/{lid}/reset-deactivations"),
            &json!({"reason": "ticket 42"}),
        )
        .await;
    assert_eq!(reset["deactivations_used"], 0);

    // Limits: not below what is in use; what is left out stays.
    let (status, refused) = w
        .call(
            "PATCH",
            &format!("/licenses/{lid}"),
            Some(&w.key_a),
            Some(&json!({"max_activations": 3})),
        )
        .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (422, Some("max_activations")),
        "{refused}"
    );
    let (status, changed) = w
        .call(
            "PATCH",
            &format!("/licenses/{lid}"),
            Some(&w.key_a),
            Some(&json!({"max_activations": 12, "valid_until": "2030-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["max_activations"], 12);
    assert_eq!(changed["valid_until"], "2030-01-01T00:00:00Z");
    assert_eq!(changed["max_users"], resumed["max_users"]);

    // Remove a device: no deactivation used; gone; a second time 404.
    let (_, devices) = w.get(&format!("/licenses/{lid}/devices")).await;
    assert_eq!(devices.as_array().unwrap().len(), 4);
    let device = devices[0]["id"].as_str().unwrap().to_owned();
    let (status, removed) = w
        .call(
            "DELETE",
            &format!("/devices/{device}"),
            Some(&w.key_a),
            None,
        )
        .await;
    assert_eq!(status, 200, "{removed}");
    assert_eq!(
        w.call(
            "DELETE",
            &format!("/devices/{device}"),
            Some(&w.key_a),
            None
        )
        .await
        .0,
        404
    );
    let (_, license) = w.get(&format!("/licenses/{lid}")).await;
    assert_eq!(
        (
            license["devices_active"].as_i64(),
            license["deactivations_used"].as_i64()
        ),
        (Some(3), Some(0))
    );

    // The log: every change once, by the key, newest first, paged by cursor.
    let (_, events) = w.get(&format!("/events?license_id={lid}&limit=4")).await;
    let actions: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "device.removed_by_vendor",
            "license.limits_changed",
            "license.deactivation_limit_reset",
            "license.resumed"
        ]
    );
    assert!(events["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actor"] == "API key Shop"));
    let next = events["next_cursor"].as_str().expect("more events");
    let (_, older) = w
        .get(&format!("/events?license_id={lid}&limit=1&cursor={next}"))
        .await;
    assert_eq!(older["items"][0]["action"], "license.suspended");
    assert_eq!(w.get("/events?kind=nonsense").await.0, 422);
    assert_eq!(w.get("/events?from=yesterday").await.0, 422);
}

#[tokio::test]
async fn the_api_describes_itself() {
    let w = world().await;
    let doc: Value = w
        .client
        .get(w.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .expect("the OpenAPI document");
    assert_eq!(doc["servers"][0]["url"], "/api/v1/manage");
    let paths: BTreeSet<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for path in [
        "/orders",
        "/customers",
        "/customers/{id}",
        "/licenses",
        "/licenses/{id}",
        "/licenses/{id}/devices",
        "/licenses/{id}/suspend",
        "/licenses/{id}/resume",
        "/licenses/{id}/reset-deactivations",
        "/devices/{id}",
        "/events",
    ] {
        assert!(paths.contains(path), "{path} in {paths:?}");
    }
    assert!(doc["components"]["securitySchemes"]["management_key"].is_object());
    // The bounds it documents are the ones the service enforces.
    let order = &doc["components"]["schemas"]["Order"]["properties"];
    for (field, max) in [
        ("subscriptions", licensing::input::MAX_SUBSCRIPTIONS),
        ("seats_per_subscription", licensing::input::MAX_SEATS),
        ("devices_per_subscription", licensing::input::MAX_DEVICES),
        ("deactivations", licensing::input::MAX_DEACTIVATIONS),
        ("valid_days", licensing::input::MAX_VALID_DAYS),
    ] {
        assert_eq!(
            order[field]["maximum"].as_f64(),
            Some(max as f64),
            "{field}"
        );
    }
    // An unknown endpoint answers in JSON.
    let (status, body) = w.get("/nothing-here").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
}
