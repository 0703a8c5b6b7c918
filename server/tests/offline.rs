//! Offline activation over HTTP: the license page's multipart form posted to the server's router
//! (`server::app`, in process) with a portal session, and the downloaded license file verified with nothing but the
//! public key `/api/v1/public-key` serves.

mod common;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use common::{customer_account, random_hex, session, take_flash, test_database, App, ScratchDir};
use ed25519_dalek::{Signature, VerifyingKey};
use licensing::demo::seed_vendor;
use licensing::flash::Flash;
use licensing::licenses::{self, LicenseType, NewLicense};
use licensing::tenants;
use licensing::{now_millis, Store};
use serde_json::{json, Value};

/// A tenant with an Offline Organisation license (2 devices) for Initech, its key, a session of
/// its manager and one of a license user, and a server.
struct World {
    store: Store,
    company: String,
    license_id: String,
    license_key: String,
    valid_until: i64,
    manager_session: String,
    user_session: String,
    server: App,
    client: reqwest::Client,
    _dir: Option<ScratchDir>,
}

async fn world() -> World {
    let (url, dir) = test_database("offline");
    let store = Store::connect(&url).await.expect("open the test database");
    let company = format!("Offline-{}", random_hex(12));
    let tenant = seed_vendor(
        &store,
        &company,
        "CodeGlass",
        "Acme Corp",
        "acme",
        "CodeGlass",
    )
    .await
    .expect("seed a tenant");
    let tenant_id: String = sqlx::query_scalar("SELECT tenant_id FROM licenses WHERE id = $1")
        .bind(&tenant.license_id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    let customer = tenants::create_customer(&store, &tenant_id, "Initech")
        .await
        .unwrap();
    let owner = customer_account(&store, &tenant_id, &customer, "olive@initech.example").await;
    let other = customer_account(&store, &tenant_id, &customer, "otto@initech.example").await;
    let now = now_millis();
    let valid_until = now + 90 * 24 * 60 * 60 * 1000;
    let license_id = licenses::create(
        &store,
        &NewLicense {
            tenant_id: tenant_id.clone(),
            customer_id: customer,
            product: "CodeGlass".into(),
            license_type: LicenseType::OfflineOrganisation,
            subscriptions: 1,
            seats_per_subscription: 5,
            max_activations: 2,
            max_deactivations: 3,
            valid_from: now,
            valid_until,
            owner_account_id: owner,
        },
        None,
    )
    .await
    .unwrap();
    let license_key = licenses::issue_key(&store, &license_id).await.unwrap();
    sqlx::query(
        "INSERT INTO license_users (license_id, account_id, role, assigned_at) VALUES ($1, $2, 'user', $3)",
    )
    .bind(&license_id)
    .bind(&other)
    .bind(now)
    .execute(store.pool())
    .await
    .unwrap();
    let manager_session = session(&store, &company, "olive@initech.example").await;
    let user_session = session(&store, &company, "otto@initech.example").await;
    let server = App::start(&url).await;
    World {
        store,
        company,
        license_id,
        license_key,
        valid_until,
        manager_session,
        user_session,
        server,
        client: common::portal_client().build().unwrap(),
        _dir: dir,
    }
}

/// A `multipart/form-data` body as a browser sends the license page's form.
/// The offline form: the request file (`None`: the file input left empty) and the textarea.
fn multipart(file: Option<&[u8]>, text: &str) -> (String, Vec<u8>) {
    let file_name = if file.is_some() { "request.json" } else { "" };
    common::multipart(&[
        ("request", Some(file_name), file.unwrap_or_default()),
        ("request_text", None, text.as_bytes()),
    ])
}

fn request(license_key: &str, hardware_id: &str) -> Vec<u8> {
    serde_json::to_vec_pretty(&json!({
        "format": "keyport-offline-request/1",
        "license_key": license_key,
        "hardware_id": hardware_id,
        "device_name": "Lab PC",
        "os": "Windows 11",
    }))
    .unwrap()
}

impl World {
    async fn post(
        &self,
        license_id: &str,
        session: Option<&str>,
        file: Option<&[u8]>,
        text: &str,
    ) -> reqwest::Response {
        let (content_type, body) = multipart(file, text);
        let mut req = self
            .client
            .post(format!(
                "{}/licenses/{license_id}/offline-activation",
                self.server.base
            ))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = session {
            req = req.header("cookie", format!("other=1; keyport_session={token}"));
        }
        req.send().await.expect("POST offline-activation")
    }

    async fn devices_active(&self) -> i64 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND deactivated_at IS NULL",
        )
        .bind(&self.license_id)
        .fetch_one(self.store.pool())
        .await
        .unwrap()
    }

    /// The public key as an app embeds it: from the device API, by company ID.
    async fn public_key(&self) -> VerifyingKey {
        let body: Value = self
            .client
            .get(
                self.server
                    .url(&format!("/public-key?company={}", self.company)),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let raw: [u8; 32] = BASE64
            .decode(body["public_key"].as_str().expect("public_key"))
            .unwrap()
            .try_into()
            .expect("32 bytes");
        VerifyingKey::from_bytes(&raw).unwrap()
    }
}

/// The error a refused upload left for the license page: the redirect goes to the bare page, and
/// the page's one-time note (what it takes when it renders) holds the error.
async fn offline_error(
    w: &World,
    response: &reqwest::Response,
    license_id: &str,
    session: &str,
) -> String {
    assert_eq!(response.status(), 303);
    let page = format!("/licenses/{license_id}");
    assert_eq!(response.headers()["location"], page.as_str());
    match take_flash(&w.client, &w.server.base, session, &page).await {
        Some(Flash::OfflineActivationFailed { error }) => {
            app::error_text::error_text_in(app::i18n::Locale::En, &error)
        }
        other => panic!("no offline activation error for {page}: {other:?}"),
    }
}

#[tokio::test]
async fn the_license_page_form_downloads_a_license_file_that_verifies_offline() {
    let w = world().await;
    let lic = w.license_id.clone();

    // Not logged in: to the login page, back here afterwards; nothing is activated.
    let r = w
        .post(&lic, None, Some(&request(&w.license_key, "HW-1")), "")
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/login?next=/licenses/{lic}").as_str()
    );
    let r = w
        .post(
            &lic,
            Some("not-a-session"),
            Some(&request(&w.license_key, "HW-1")),
            "",
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        format!("/login?next=/licenses/{lic}").as_str()
    );
    assert_eq!(w.devices_active().await, 0);

    // The manager uploads the request file and gets the license file as a download.
    let r = w
        .post(
            &lic,
            Some(&w.manager_session),
            Some(&request(&w.license_key, "HW-1")),
            "",
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"keyport-license-HW-1.json\""
    );
    let file: Value = serde_json::from_slice(&r.bytes().await.unwrap()).expect("a JSON file");
    assert_eq!(file["format"], "keyport-offline-license/1");
    assert_eq!(w.devices_active().await, 1);

    // Verified with only the public key.
    let key = w.public_key().await;
    let payload = BASE64.decode(file["payload"].as_str().unwrap()).unwrap();
    let signature =
        Signature::from_slice(&BASE64.decode(file["signature"].as_str().unwrap()).unwrap())
            .unwrap();
    key.verify_strict(&payload, &signature)
        .expect("the signature verifies");
    let license: Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(license["company"], w.company.to_lowercase());
    assert_eq!(license["license_id"], lic.as_str());
    assert_eq!(license["hardware_id"], "HW-1");
    assert_eq!(license["device_name"], "Lab PC");
    assert_eq!(license["license_type"], "offline_organisation");
    assert_eq!(license["valid_until"], w.valid_until);
    let mut tampered = payload.clone();
    tampered[0] ^= 1;
    assert!(key.verify_strict(&tampered, &signature).is_err());

    // Pasted instead of uploaded: the same machine again takes no new slot.
    let text = String::from_utf8(request(&w.license_key, "HW-1")).unwrap();
    let r = w.post(&lic, Some(&w.manager_session), None, &text).await;
    assert_eq!(r.status(), 200);
    let again: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
    let again: Value =
        serde_json::from_slice(&BASE64.decode(again["payload"].as_str().unwrap()).unwrap())
            .unwrap();
    assert_eq!(again["device_id"], license["device_id"]);
    assert_eq!(w.devices_active().await, 1);

    // Refusals come back to the license page with the message, and change nothing.
    let cases: Vec<(Option<&str>, Vec<u8>, String, &str)> = vec![
        (
            Some(&w.manager_session),
            request("KP-SOME-OTHER-KEY", "HW-2"),
            String::new(),
            "license_key: this request is for another license.",
        ),
        (
            Some(&w.manager_session),
            b"{not json".to_vec(),
            String::new(),
            "Activation request: this is not a Keyport activation request (not JSON",
        ),
        (
            Some(&w.manager_session),
            Vec::new(),
            "   ".into(),
            "Activation request: choose the request file the desktop app wrote, or paste its contents.",
        ),
        (
            Some(&w.user_session),
            request(&w.license_key, "HW-2"),
            String::new(),
            "You do not have permission to do that.",
        ),
        (
            Some(&w.manager_session),
            vec![b' '; 40 * 1024]
                .into_iter()
                .chain(request(&w.license_key, "HW-2"))
                .collect(),
            String::new(),
            "Activation request: the file is larger than 16 KiB",
        ),
    ];
    for (session, file, text, message) in &cases {
        let file = (!file.is_empty()).then_some(file.as_slice());
        let r = w.post(&lic, *session, file, text).await;
        let got = offline_error(&w, &r, &lic, session.unwrap()).await;
        assert!(
            got.starts_with(message),
            "{got:?} should start with {message:?}"
        );
    }
    assert_eq!(w.devices_active().await, 1);

    // A second machine fills the license; a third is refused with the limit's message.
    let r = w
        .post(
            &lic,
            Some(&w.manager_session),
            Some(&request(&w.license_key, "HW-2")),
            "",
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = w
        .post(
            &lic,
            Some(&w.manager_session),
            Some(&request(&w.license_key, "HW-3")),
            "",
        )
        .await;
    assert!(offline_error(&w, &r, &lic, &w.manager_session)
        .await
        .starts_with("This license is activated on too many devices"));
    assert_eq!(w.devices_active().await, 2);

    // An unknown license is not found.
    let r = w
        .post(
            "no-such-license",
            Some(&w.manager_session),
            Some(&request(&w.license_key, "HW-4")),
            "",
        )
        .await;
    assert!(offline_error(&w, &r, "no-such-license", &w.manager_session)
        .await
        .starts_with("That license was not found"));
}
