//! Webhooks end to end: the real `keyport` binary posts its tenant's events to a real HTTP receiver
//! started by the test, which checks signatures and order, answers 500 before 200, answers slowly,
//! or is reached while no server process runs at all.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, Mac};
use licensing::access::Actor;
use licensing::auth;
use licensing::demo::{admin_email, DemoTenant};
use licensing::{licenses, manage, Store};
use serde_json::{json, Value};
use sha2::Sha256;

mod common;
use common::{demo_tenant, test_database, ScratchDir, Server};

/// What the receiver got: the path, the signature and event id headers, the body, and when.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    at: Instant,
    signature: String,
    event_id: String,
    body: String,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A path's planned answers: status and delay, first to last.
type Answers = VecDeque<(u16, Duration)>;

/// An HTTP server in this test: records every request and answers from its plan (status and
/// delay, per path), 200 at once when the plan is empty.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    plan: Arc<Mutex<Vec<(String, Answers)>>>,
}

async fn answer(
    State(receiver): State<Receiver>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let path = uri.path().to_owned();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    receiver.got.lock().unwrap().push(Received {
        path: path.clone(),
        at: Instant::now(),
        signature: header("keyport-signature"),
        event_id: header("keyport-event-id"),
        body,
    });
    let planned = receiver
        .plan
        .lock()
        .unwrap()
        .iter_mut()
        .find(|(p, _)| *p == path)
        .and_then(|(_, plan)| plan.pop_front());
    let (status, delay) = planned.unwrap_or((200, Duration::ZERO));
    tokio::time::sleep(delay).await;
    StatusCode::from_u16(status).unwrap()
}

impl Receiver {
    async fn start() -> (Self, String) {
        let receiver = Self::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .route("/{*path}", post(answer))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, base)
    }

    fn plan(&self, path: &str, answers: &[(u16, u64)]) {
        let answers = answers
            .iter()
            .map(|(status, ms)| (*status, Duration::from_millis(*ms)))
            .collect();
        self.plan.lock().unwrap().push((path.to_owned(), answers));
    }

    fn got(&self, path: &str) -> Vec<Received> {
        let got = self.got.lock().unwrap();
        got.iter().filter(|r| r.path == path).cloned().collect()
    }

    /// Waits until `path` got `n` requests (or fails after `seconds`).
    async fn wait_for(&self, path: &str, n: usize, seconds: u64) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            let got = self.got(path);
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{path}: {} of {n} requests after {seconds} s: {got:?}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The signature header checked as a receiver would, with HMAC-SHA256 of `t.body`.
fn signed_by(received: &Received, secret: &str) -> bool {
    let Some((t, v1)) = received
        .signature
        .split_once(',')
        .and_then(|(t, v1)| Some((t.strip_prefix("t=")?, v1.strip_prefix("v1=")?)))
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", received.body).as_bytes());
    let fresh = t
        .parse::<i64>()
        .is_ok_and(|t| (licensing::now_millis() / 1000 - t).abs() < 300);
    fresh && hex::encode(mac.finalize().into_bytes()) == v1
}

/// A demo tenant (Acme Corp's license: 4 active devices of 10, 3 deactivations used), its
/// management key, a receiver, and a server allowed to post to it, retrying after a second.
struct World {
    url: String,
    store: Store,
    tenant: DemoTenant,
    key: String,
    server: Server,
    receiver: Receiver,
    hooks: String,
    client: reqwest::Client,
    _dir: Option<ScratchDir>,
    /// Last: released once the server above is gone.
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

const SERVE_ENV: [(&str, &str); 2] = [
    ("KEYPORT_ALLOW_PRIVATE_WEBHOOKS", "true"),
    ("KEYPORT_WEBHOOK_FIRST_RETRY_SECONDS", "1"),
];

async fn vendor(store: &Store, tenant: &DemoTenant) -> Actor {
    let admin =
        auth::principal_by_email(store, &tenant.company_id, &admin_email(&tenant.company_id))
            .await
            .expect("the tenant's vendor admin");
    Actor::new(admin, "127.0.0.1")
}

/// One test at a time: on a shared Postgres database every server process delivers every
/// tenant's events, so a test's servers must not meet another test's (a server without
/// `--allow-private-webhooks` would fail their deliveries, a live one would deliver what a test
/// expects no server to deliver).
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn world(env: &[(&str, &str)]) -> World {
    let (url, dir) = test_database("hooks");
    let store = Store::connect(&url).await.expect("open the test database");
    let tenant = demo_tenant(&store, "hooks").await;
    let key = manage::create_key(&store, &vendor(&store, &tenant).await, "Hooks")
        .await
        .unwrap()
        .key;
    let (receiver, hooks) = Receiver::start().await;
    let serial = SERIAL.lock().await;
    let server = Server::start_with_env(&url, env).await;
    World {
        _serial: serial,
        url,
        store,
        tenant,
        key,
        server,
        receiver,
        hooks,
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

impl World {
    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .client
            .request(
                method.parse().unwrap(),
                format!("{}/api/v1/manage{path}", self.server.base),
            )
            .bearer_auth(&self.key);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("an answer");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Registers `{hooks}{path}` for `types`; its secret.
    async fn endpoint(&self, path: &str, types: &[&str]) -> String {
        let (status, made) = self
            .call(
                "POST",
                "/webhooks",
                Some(json!({"url": format!("{}{path}", self.hooks), "event_types": types})),
            )
            .await;
        assert_eq!(status, 201, "{made}");
        made["secret"]
            .as_str()
            .expect("the secret, once")
            .to_owned()
    }

    /// Suspends or resumes the demo license through the API.
    async fn license_action(&self, action: &str) {
        let path = format!("/licenses/{}/{action}", self.tenant.license_id);
        let (status, answer) = self.call("POST", &path, None).await;
        assert_eq!(status, 200, "{path}: {answer}");
    }

    fn license(&self) -> String {
        self.tenant.license_id.clone()
    }

    async fn deliveries(&self) -> Vec<Value> {
        let (status, listed) = self.call("GET", "/webhooks/deliveries", None).await;
        assert_eq!(status, 200);
        listed.as_array().unwrap().clone()
    }
}

fn types_of(received: &[Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn events_arrive_signed_in_order_and_only_where_subscribed() {
    let w = world(&SERVE_ENV).await;
    let everything: Vec<&str> = licensing::webhooks::EventType::ALL
        .iter()
        .map(|t| t.as_str())
        .collect();
    let secret = w.endpoint("/all", &everything).await;
    let devices_only = w.endpoint("/devices", &["device.activated"]).await;
    let lid = w.license();

    w.license_action("suspend").await;
    w.license_action("resume").await;
    let (status, _) = w
        .call(
            "PATCH",
            &format!("/licenses/{lid}"),
            Some(json!({"max_activations": 20})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, devices) = w
        .call("GET", &format!("/licenses/{lid}/devices"), None)
        .await;
    let device = devices[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        w.call("DELETE", &format!("/devices/{device}"), None)
            .await
            .0,
        200
    );
    let activated = w
        .client
        .post(w.server.url("/activations"))
        .json(
            &json!({"license_key": w.tenant.license_key, "hardware_id": "hook-box",
                      "device_name": "Hook box", "os": "Linux"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(activated.status(), 201);

    let got = w.receiver.wait_for("/all", 5, 30).await;
    assert_eq!(
        types_of(&got),
        [
            "license.suspended",
            "license.resumed",
            "license.updated",
            "device.deactivated",
            "device.activated"
        ]
    );
    for received in &got {
        assert!(signed_by(received, &secret), "{received:?}");
        assert!(
            !signed_by(received, &devices_only),
            "signed with its own endpoint's secret"
        );
        let body = received.json();
        assert_eq!(body["id"], received.event_id.as_str());
        assert!(body["id"].as_str().unwrap().starts_with("evt_"));
        assert!(body["created_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(body["data"]["license"]["id"], lid.as_str());
    }
    assert_eq!(got[1].json()["data"]["license"]["status"], "active");
    assert_eq!(got[2].json()["data"]["license"]["max_activations"], 20);
    assert_eq!(
        got[3].json()["data"]["subject"]["of"]["name"],
        devices[0]["name"]
    );

    let only = w.receiver.wait_for("/devices", 1, 10).await;
    assert_eq!(types_of(&only), ["device.activated"]);
    assert!(signed_by(&only[0], &devices_only));
    assert_eq!(
        only[0].event_id, got[4].event_id,
        "one event, one id for every endpoint"
    );

    // A forged or stale signature is one a receiver refuses.
    let mut forged = got[0].clone();
    forged.body = forged.body.replace("suspended", "resumed");
    assert!(!signed_by(&forged, &secret));

    // Redelivered: the same event again, once it was delivered.
    let deliveries = w.deliveries().await;
    let first = deliveries
        .iter()
        .find(|d| {
            d["event_id"] == got[0].event_id.as_str()
                && d["url"].as_str().unwrap().ends_with("/all")
        })
        .expect("the first delivery");
    assert_eq!(first["status"], "delivered");
    assert_eq!(first["history"][0]["status"], 200);
    let (status, _) = w
        .call(
            "POST",
            &format!(
                "/webhooks/deliveries/{}/redeliver",
                first["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(status, 202);
    let again = w.receiver.wait_for("/all", 6, 10).await;
    assert_eq!(again[5].event_id, got[0].event_id);
}

#[tokio::test]
async fn a_failing_endpoint_gets_its_events_in_order_once_it_answers() {
    let w = world(&SERVE_ENV).await;
    w.receiver.plan("/flaky", &[(500, 0), (503, 0)]);
    let secret = w
        .endpoint("/flaky", &["license.suspended", "license.resumed"])
        .await;
    w.license_action("suspend").await;
    w.license_action("resume").await;

    // 500, 503, then 200 for the suspension; the resumption waits its turn.
    let got = w.receiver.wait_for("/flaky", 4, 30).await;
    assert_eq!(
        types_of(&got),
        [
            "license.suspended",
            "license.suspended",
            "license.suspended",
            "license.resumed"
        ]
    );
    assert!(got.iter().all(|r| signed_by(r, &secret)));
    assert!(got[..3].iter().all(|r| r.event_id == got[0].event_id));
    let deliveries = w.deliveries().await;
    let suspended = deliveries
        .iter()
        .find(|d| d["event_type"] == "license.suspended")
        .unwrap();
    assert_eq!(suspended["status"], "delivered");
    assert_eq!(suspended["attempts"], 3);
    let statuses: Vec<i64> = suspended["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 503, 500], "newest first");
}

#[tokio::test]
async fn an_event_committed_while_no_server_runs_is_delivered_by_the_next() {
    let mut w = world(&SERVE_ENV).await;
    w.endpoint("/after-crash", &["license.suspended"]).await;
    // kill -9: no server process is left to deliver.
    w.server.kill();
    licenses::set_suspended(
        &w.store,
        &vendor(&w.store, &w.tenant).await,
        &w.license(),
        true,
    )
    .await
    .expect("suspend with no server running");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(w.receiver.got("/after-crash").is_empty());
    let _next = Server::start_with_env(&w.url, &SERVE_ENV).await;
    let got = w.receiver.wait_for("/after-crash", 1, 30).await;
    assert_eq!(types_of(&got), ["license.suspended"]);
}

#[tokio::test]
async fn a_private_address_is_refused_unless_the_operator_allows_it() {
    let w = world(&[("KEYPORT_WEBHOOK_FIRST_RETRY_SECONDS", "1")]).await;
    w.endpoint("/private", &["license.suspended"]).await;
    w.license_action("suspend").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let deliveries = w.deliveries().await;
        if let Some(error) = deliveries
            .first()
            .and_then(|d| d["history"][0]["error"].as_str().map(str::to_owned))
        {
            assert!(error.contains("--allow-private-webhooks"), "{error}");
            assert_eq!(deliveries[0]["history"][0]["status"], Value::Null);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no attempt recorded: {deliveries:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        w.receiver.got("/private").is_empty(),
        "nothing reached the address"
    );
}

#[tokio::test]
async fn a_slow_endpoint_times_out_and_holds_up_no_other() {
    let w = world(&[
        SERVE_ENV[0],
        SERVE_ENV[1],
        ("KEYPORT_WEBHOOK_TIMEOUT_SECONDS", "2"),
    ])
    .await;
    w.receiver.plan("/slow", &[(200, 6_000)]);
    w.endpoint("/slow", &["license.suspended"]).await;
    w.endpoint("/fast", &["license.suspended"]).await;
    w.license_action("suspend").await;
    let fast = w.receiver.wait_for("/fast", 1, 10).await;
    let slow = w.receiver.wait_for("/slow", 1, 10).await;
    // Posted side by side: had the fast one waited for the slow one's attempt, it would have
    // arrived at least the 2 s timeout after it.
    assert!(
        fast[0].at.saturating_duration_since(slow[0].at) < Duration::from_secs(2),
        "the fast endpoint waited for the slow one"
    );
    // The slow one's attempt ends at the operator's 2 s, recorded as unanswered, and is tried
    // again.
    let deadline = Instant::now() + Duration::from_secs(25);
    loop {
        let deliveries = w.deliveries().await;
        let slow = deliveries
            .iter()
            .find(|d| d["url"].as_str().unwrap().ends_with("/slow"))
            .unwrap();
        if let Some(error) = slow["history"]
            .as_array()
            .unwrap()
            .last()
            .and_then(|a| a["error"].as_str())
        {
            assert!(error.contains("no answer within 2 s"), "{error}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the slow attempt never ended: {slow}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn endpoints_are_checked_and_each_tenant_sees_its_own() {
    let w = world(&SERVE_ENV).await;
    for (body, field) in [
        (
            json!({"url": "ftp://x.example/", "event_types": ["license.created"]}),
            "url",
        ),
        (
            json!({"url": "https://user:pw@x.example/", "event_types": ["license.created"]}),
            "url",
        ),
        (
            json!({"url": "https://x.example/", "event_types": []}),
            "event_types",
        ),
        (
            json!({"url": "https://x.example/", "event_types": ["license.exploded"]}),
            "event_types",
        ),
    ] {
        let (status, refused) = w.call("POST", "/webhooks", Some(body.clone())).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some(field)),
            "{body}"
        );
    }
    let (_, listed) = w.call("GET", "/webhooks", None).await;
    assert_eq!(listed, json!([]));
    w.endpoint("/mine", &["license.suspended"]).await;
    let (_, listed) = w.call("GET", "/webhooks", None).await;
    assert!(
        listed[0].get("secret").is_none(),
        "never listed with its secret"
    );
    let id = listed[0]["id"].as_str().unwrap().to_owned();

    // Another tenant's key finds none of it.
    let other = demo_tenant(&w.store, "hooks-b").await;
    let other_key = manage::create_key(&w.store, &vendor(&w.store, &other).await, "B")
        .await
        .unwrap()
        .key;
    let as_other = |method: &'static str, path: String| {
        w.client
            .request(
                method.parse().unwrap(),
                format!("{}/api/v1/manage{path}", w.server.base),
            )
            .bearer_auth(&other_key)
            .send()
    };
    assert_eq!(
        as_other("DELETE", format!("/webhooks/{id}"))
            .await
            .unwrap()
            .status(),
        404
    );
    let theirs: Value = as_other("GET", "/webhooks".into())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(theirs, json!([]));

    // Deleted: nothing more is sent to it; the log has both changes by the key.
    assert_eq!(
        w.call("DELETE", &format!("/webhooks/{id}"), None).await.0,
        200
    );
    assert_eq!(
        w.call("DELETE", &format!("/webhooks/{id}"), None).await.0,
        404
    );
    w.license_action("suspend").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(w.receiver.got("/mine").is_empty());
    let (_, events) = w.call("GET", "/events?kind=tenant", None).await;
    let actions: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| a.starts_with("tenant.webhook"))
        .collect();
    assert_eq!(
        actions,
        ["tenant.webhook_deleted", "tenant.webhook_created"]
    );
}

#[tokio::test]
async fn the_app_refused_and_the_last_deactivation_spent_are_events() {
    let w = world(&SERVE_ENV).await;
    w.endpoint(
        "/limits",
        &["device.limit_refused", "deactivation_limit.reached"],
    )
    .await;
    let path = format!("/licenses/{}", w.license());
    let limits = |body: Value| w.call("PATCH", &path, Some(body));
    let activate = |hardware: &'static str| {
        w.client
            .post(w.server.url("/activations"))
            .json(
                &json!({"license_key": w.tenant.license_key, "hardware_id": hardware,
                          "device_name": hardware, "os": "Linux"}),
            )
            .send()
    };
    // Room for one more device, and one deactivation (none of the demo's is used).
    assert_eq!(
        limits(json!({"max_activations": 5, "max_deactivations": 1}))
            .await
            .0,
        200
    );
    let added = activate("box-5").await.unwrap();
    assert_eq!(added.status(), 201);
    let token = added.json::<Value>().await.unwrap()["device_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = activate("box-6").await.unwrap();
    assert_eq!(
        refused.status().as_u16(),
        409,
        "the sixth device is refused"
    );
    // The app deactivates itself: the last deactivation is spent.
    let gone = w
        .client
        .delete(w.server.url("/device"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(gone.status().is_success(), "{}", gone.status());

    let got = w.receiver.wait_for("/limits", 2, 20).await;
    assert_eq!(
        types_of(&got),
        ["device.limit_refused", "deactivation_limit.reached"]
    );
    assert_eq!(got[0].json()["data"]["subject"]["of"]["name"], "box-6");
    let reached = got[1].json();
    assert_eq!(reached["data"]["allowed"], 1);
    assert_eq!(reached["data"]["license"]["deactivations_used"], 1);
}
