//! The management API's matrix: every operation against no key, a vendor's portal
//! session, a revoked key, another tenant's key and the tenant's own.

use super::*;

/// Who calls the management API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyWho {
    NoKey,
    /// The vendor admin's portal session: a cookie is not a management key.
    VendorSession,
    RevokedKey,
    OtherTenantKey,
    OwnKey,
}

const KEY_COLUMNS: [KeyWho; 5] = [
    KeyWho::NoKey,
    KeyWho::VendorSession,
    KeyWho::RevokedKey,
    KeyWho::OtherTenantKey,
    KeyWho::OwnKey,
];

/// The management API's rows: each operation of its OpenAPI document, the id its path names
/// (the world's license, customer or device, all of the first tenant), its body, and the status
/// per [`KEY_COLUMNS`]. Another tenant's key lists its own tenant's (200, nothing of Acme's) and
/// finds none of Acme's ids (404).
fn management_rows(w: &World) -> Vec<(&'static str, String, Option<serde_json::Value>, [u16; 5])> {
    use serde_json::json;
    let lid = &w.license;
    let refused = |other: u16, own: u16| [401, 401, 401, other, own];
    let order = json!({
        "order_id": "A-1", "customer": {"external_id": "c-1", "name": "Umbrella"},
        "owner": {"email": "owner@umbrella.example", "name": "Owner"}, "product": "CodeGlass",
        "license_type": "organisation", "subscriptions": 1, "seats_per_subscription": 1,
        "devices_per_subscription": 1, "deactivations": 1, "valid_days": 30
    });
    vec![
        (
            "POST /orders",
            "/orders".into(),
            Some(order),
            refused(201, 201),
        ),
        (
            "GET /customers",
            "/customers".into(),
            None,
            refused(200, 200),
        ),
        (
            "GET /customers/{id}",
            format!("/customers/{}", w.customer_id),
            None,
            refused(404, 200),
        ),
        ("GET /licenses", "/licenses".into(), None, refused(200, 200)),
        (
            "GET /licenses",
            format!("/licenses?customer_id={}", w.customer_id),
            None,
            refused(404, 200),
        ),
        (
            "GET /licenses/{id}",
            format!("/licenses/{lid}"),
            None,
            refused(404, 200),
        ),
        (
            "PATCH /licenses/{id}",
            format!("/licenses/{lid}"),
            Some(json!({"max_activations": 20})),
            refused(404, 200),
        ),
        (
            "GET /licenses/{id}/devices",
            format!("/licenses/{lid}/devices"),
            None,
            refused(404, 200),
        ),
        (
            "POST /licenses/{id}/suspend",
            format!("/licenses/{lid}/suspend"),
            None,
            refused(404, 200),
        ),
        // Resumed while active: the own key is told so (409), having passed the guards.
        (
            "POST /licenses/{id}/resume",
            format!("/licenses/{lid}/resume"),
            None,
            refused(404, 409),
        ),
        (
            "POST /licenses/{id}/reset-deactivations",
            format!("/licenses/{lid}/reset-deactivations"),
            Some(json!({"reason": "support"})),
            refused(404, 200),
        ),
        (
            "DELETE /devices/{id}",
            format!("/devices/{}", w.user_device),
            None,
            refused(404, 200),
        ),
        ("GET /events", "/events".into(), None, refused(200, 200)),
        (
            "POST /webhooks",
            "/webhooks".into(),
            Some(json!({"url": "https://hooks.example/new", "event_types": ["license.created"]})),
            refused(201, 201),
        ),
        ("GET /webhooks", "/webhooks".into(), None, refused(200, 200)),
        (
            "DELETE /webhooks/{id}",
            format!("/webhooks/{}", w.hook.endpoint_id),
            None,
            refused(404, 200),
        ),
        (
            "GET /webhooks/deliveries",
            "/webhooks/deliveries".into(),
            None,
            refused(200, 200),
        ),
        (
            "POST /webhooks/deliveries/{id}/redeliver",
            format!("/webhooks/deliveries/{}/redeliver", w.hook.delivery_id),
            None,
            refused(404, 202),
        ),
        (
            "GET /events",
            format!("/events?license_id={lid}"),
            None,
            refused(200, 200),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_management_operation_answers_only_its_tenants_keys() {
    let (url, _dir) = test_database("authz");
    let store = Store::connect(&url).await.expect("open the test database");
    let server = App::start(&url).await;
    let client = reqwest::Client::new();
    let base = format!("{}/api/v1/manage", server.base);

    // The rows cover the document's operations, and nothing else.
    let doc: serde_json::Value = client
        .get(format!("{base}/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    let probe = world(&store).await;
    let covered: BTreeSet<String> = management_rows(&probe)
        .iter()
        .map(|(operation, ..)| (*operation).to_owned())
        .collect();
    assert_eq!(
        covered, documented,
        "every management operation needs a row"
    );

    let mut failures = Vec::new();
    for index in 0..management_rows(&probe).len() {
        let w = world(&store).await;
        let (operation, path, body, expect) = management_rows(&w).swap_remove(index);
        let method: reqwest::Method = operation.split(' ').next().unwrap().parse().unwrap();
        for (who, expected) in KEY_COLUMNS.into_iter().zip(expect) {
            let before = fingerprint(&store, &w).await;
            let mut request = client.request(method.clone(), format!("{base}{path}"));
            request = match who {
                KeyWho::NoKey => request,
                KeyWho::VendorSession => request.header(
                    "cookie",
                    format!("keyport_session={}", w.cookie(Who::Vendor).unwrap()),
                ),
                KeyWho::RevokedKey => request.bearer_auth(&w.keys.revoked),
                KeyWho::OtherTenantKey => request.bearer_auth(&w.keys.other_tenant),
                KeyWho::OwnKey => request.bearer_auth(&w.keys.own),
            };
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = request.send().await.expect("request");
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            if status != expected {
                failures.push(format!(
                    "{path} ({operation}) as {who:?}: expected {expected}, got {status}: {text}"
                ));
            }
            if expected >= 400 && fingerprint(&store, &w).await != before {
                failures.push(format!(
                    "{path} as {who:?} was refused but changed the database"
                ));
            }
            if who != KeyWho::OwnKey
                && (text.contains(&w.license)
                    || text.contains(&w.customer_id)
                    || text.contains("Acme"))
            {
                failures.push(format!("{path} as {who:?} shows Acme's data: {text}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
