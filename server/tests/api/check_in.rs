//! Check-in and deactivation: the app's calls on the device it already has.

use super::*;

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

/// Two server processes on one database: the second, kept busy by an app checking in nonstop,
/// answers check-ins from memory, and still refuses a device at its very next check-in once the
/// first server has deactivated it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_deactivated_on_one_server_is_refused_at_once_by_a_busy_other() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let w = world().await;
    let second = Server::start(&w.url).await;
    let leaving = w
        .activate(w.login("user@acme.example", "hw-leaving"))
        .await
        .token();
    let busy = w
        .activate(w.login("user@acme.example", "hw-busy"))
        .await
        .token();
    let check_in = |token: String| {
        let request = w.client.get(second.url("/device")).bearer_auth(token);
        async move { request.send().await.expect("check in").status().as_u16() }
    };
    let stop = Arc::new(AtomicBool::new(false));
    let background = tokio::spawn({
        let (stop, client, url) = (stop.clone(), w.client.clone(), second.url("/device"));
        async move {
            let mut answers = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let sent = client.get(&url).bearer_auth(&busy).send().await;
                answers.push(sent.expect("check in").status().as_u16());
            }
            answers
        }
    });
    for _ in 0..20 {
        assert_eq!(check_in(leaving.clone()).await, 200);
    }
    assert_eq!(w.deactivate(&leaving).await.status, 200);
    assert_eq!(check_in(leaving.clone()).await, 410);
    stop.store(true, Ordering::Relaxed);
    let answers = background.await.expect("the busy app");
    assert!(!answers.is_empty() && answers.iter().all(|s| *s == 200));
}
