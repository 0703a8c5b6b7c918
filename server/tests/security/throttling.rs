//! Failed logins and activations throttled per account and per client address, with
//! `X-Forwarded-For` believed only from trusted proxies.

use super::*;

#[tokio::test]
async fn failed_logins_are_throttled_per_account() {
    let (url, _dir) = test_database("throttle");
    let store = Store::connect(&url).await.unwrap();
    let t = tenant(&store, "Throttle").await;
    let server = App::start(&url).await;
    let http = client();
    let manager = "manager@acme.example";

    for i in 1..=5 {
        let r = login_form(
            &http,
            &server,
            &t.company_id,
            manager,
            "wrong-password",
            &[],
        )
        .await;
        assert_eq!(r.status(), 401, "failure {i}");
    }
    // Sixth attempt: refused before the password is looked at, the right one included.
    for password in ["wrong-password", DEMO_PASSWORD] {
        let r = login_form(&http, &server, &t.company_id, manager, password, &[]).await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().get("set-cookie").is_none());
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["too_many_attempts"]["minutes"], 15, "{body}");
    }
    // The same account however its email and company are typed.
    let r = login_form(
        &http,
        &server,
        &t.company_id.to_uppercase(),
        " MANAGER@acme.example ",
        DEMO_PASSWORD,
        &[],
    )
    .await;
    assert_eq!(r.status(), 429);
    // The app's activation by login is the same account.
    let r = http
        .post(server.url("/activations"))
        .json(
            &serde_json::json!({"company": t.company_id, "email": manager,
            "password": DEMO_PASSWORD, "hardware_id": "hw-1", "device_name": "PC", "os": "Linux"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "900");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "too_many_attempts");
    assert_eq!(
        body["message"],
        "Too many failed attempts. Try again in 15 minutes."
    );
    let failures: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM auth_failures WHERE throttle_key LIKE 'account:%' AND throttle_key LIKE $1",
    )
    .bind(format!("%{}%", t.company_id.to_lowercase()))
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(failures, 5, "refused attempts count nothing");

    // Other accounts are not affected; a success clears that account's count.
    let user = "user@acme.example";
    for _ in 0..4 {
        login_form(&http, &server, &t.company_id, user, "wrong-password", &[]).await;
    }
    let r = login_form(&http, &server, &t.company_id, user, DEMO_PASSWORD, &[]).await;
    assert!(r.status().is_success(), "{}", r.status());
    for _ in 0..5 {
        let r = login_form(&http, &server, &t.company_id, user, "wrong-password", &[]).await;
        assert_eq!(
            r.status(),
            401,
            "the count started afresh after the success"
        );
    }
}

#[tokio::test]
async fn failures_are_throttled_per_address_and_forwarded_for_only_from_trusted_proxies() {
    let (url, _dir) = test_database("throttle-ip");
    let store = Store::connect(&url).await.unwrap();
    let t = tenant(&store, "ThrottleIp").await;
    let http = client();
    let limits = [
        ("KEYPORT_THROTTLE_ADDRESS_FAILURES", "3"),
        ("KEYPORT_THROTTLE_ACCOUNT_FAILURES", "100"),
    ];
    let activate = |server: &App, key: &str, xff: &str| {
        http.post(server.url("/activations"))
            .header("x-forwarded-for", xff)
            .json(
                &serde_json::json!({"license_key": key, "hardware_id": "hw-ip",
                                      "device_name": "PC", "os": "Linux"}),
            )
            .send()
    };

    // An untrusted peer: X-Forwarded-For is ignored, so changing it does not dodge the limit.
    let server = App::start_with(&url, &limits).await;
    let xff = format!("198.51.100.{}", rand_octet());
    let first = format!("203.0.113.{}", rand_octet());
    for i in 0..3 {
        let r = login_form(
            &http,
            &server,
            &t.company_id,
            &format!("nobody{i}@acme.example"),
            "wrong-password",
            &[("x-forwarded-for", &format!("{first}, 10.0.0.{i}"))],
        )
        .await;
        assert_eq!(r.status(), 401);
    }
    let r = activate(&server, "KP-not-a-key", &xff).await.unwrap();
    assert_eq!(r.status(), 429, "the peer's address is over its limit");
    let r = login_form(
        &http,
        &server,
        &t.company_id,
        "manager@acme.example",
        DEMO_PASSWORD,
        &[],
    )
    .await;
    assert_eq!(r.status(), 429, "every account from that address");
    drop(server);

    // Behind a trusted proxy each forwarded client has a count of its own; a license key that
    // does not exist counts as a failure like a wrong password.
    let mut limits = limits.to_vec();
    limits.push(("KEYPORT_TRUSTED_PROXIES", "127.0.0.0/8,::1"));
    let server = App::start_with(&url, &limits).await;
    let attacker = format!("198.51.100.{}", rand_octet());
    for _ in 0..3 {
        let r = activate(&server, "KP-not-a-key", &format!("6.6.6.6, {attacker}"))
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = activate(&server, &t.license_key, &attacker).await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let other = format!("192.0.2.{}", rand_octet());
    let r = activate(&server, &t.license_key, &other).await.unwrap();
    assert!(r.status().is_success(), "another client: {}", r.status());
    let r = login_form(
        &http,
        &server,
        &t.company_id,
        "manager@acme.example",
        DEMO_PASSWORD,
        &[("x-forwarded-for", &other)],
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
}
