//! Activation: by login or license key, the device limit, and what each answer says.

use super::*;

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
