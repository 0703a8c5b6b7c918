//! The session cookie's name and flags, and the session lifetimes the server enforces.

use super::*;

#[tokio::test]
async fn the_session_cookie_is_host_prefixed_and_secure_over_https() {
    let (url, _dir) = test_database("cookie");
    let store = Store::connect(&url).await.unwrap();
    let t = tenant(&store, "Cookie").await;
    let http = client();

    let server = App::start(&url).await;
    let r = login_form(
        &http,
        &server,
        &t.company_id,
        "manager@acme.example",
        DEMO_PASSWORD,
        &[],
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
    let cookie = set_cookie(&r);
    assert!(cookie.starts_with("keyport_session="), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    drop(server);

    let server = App::start_with(&url, &[("KEYPORT_SECURE_COOKIES", "true")]).await;
    let r = login_form(
        &http,
        &server,
        &t.company_id,
        "manager@acme.example",
        DEMO_PASSWORD,
        &[],
    )
    .await;
    let cookie = set_cookie(&r);
    assert!(cookie.starts_with("__Host-keyport_session="), "{cookie}");
    for part in ["; Secure", "; Path=/;", "; HttpOnly", "; SameSite=Lax"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let call = |cookie: String| {
        http.post(format!("{}/api/list_licenses", server.base))
            .header("accept", "application/json")
            .header("cookie", cookie)
            .send()
    };
    assert_eq!(
        call(format!("__Host-keyport_session={token}"))
            .await
            .unwrap()
            .status(),
        200
    );
    // Over HTTPS a cookie without the prefix (one a sibling subdomain could set) is not read.
    assert_eq!(
        call(format!("keyport_session={token}"))
            .await
            .unwrap()
            .status(),
        401
    );
}

/// `KEYPORT_SESSION_IDLE_MINUTES` and `KEYPORT_SESSION_HOURS` are what the server enforces (time
/// is moved by ageing the session in the database).
#[tokio::test]
async fn session_timeouts_follow_the_configuration() {
    let (url, _dir) = test_database("lifetime");
    let store = Store::connect(&url).await.unwrap();
    let t = tenant(&store, "Lifetime").await;
    let server = App::start_with(
        &url,
        &[
            ("KEYPORT_SESSION_IDLE_MINUTES", "5"),
            ("KEYPORT_SESSION_HOURS", "2"),
        ],
    )
    .await;
    let http = client();
    let login = || async {
        let r = login_form(
            &http,
            &server,
            &t.company_id,
            "manager@acme.example",
            DEMO_PASSWORD,
            &[],
        )
        .await;
        let cookie = set_cookie(&r);
        assert!(cookie.contains("Max-Age=7200"), "{cookie}");
        cookie.split(';').next().unwrap().to_owned()
    };
    let works = |cookie: String| async {
        http.post(format!("{}/api/list_licenses", server.base))
            .header("accept", "application/json")
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    // Only this tenant's sessions: on a shared Postgres other tests have theirs.
    let age = |column: &'static str, ms: i64| {
        let (store, tenant) = (store.clone(), t.tenant_id.clone());
        async move {
            sqlx::query(&format!(
                "UPDATE sessions SET {column} = {column} - $1 \
                 WHERE account_id IN (SELECT id FROM accounts WHERE tenant_id = $2)"
            ))
            .bind(ms)
            .bind(tenant)
            .execute(store.pool())
            .await
            .unwrap();
        }
    };
    let lifetime: i64 = {
        let cookie = login().await;
        let (created, expires): (i64, i64) = sqlx::query_as(
            "SELECT s.created_at, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE a.tenant_id = $1 ORDER BY s.created_at DESC LIMIT 1",
        )
        .bind(&t.tenant_id)
        .fetch_one(store.pool())
        .await
        .unwrap();
        // Idle for 4 of 5 minutes: still fine (and that use counts as activity); then idle for
        // 5 minutes and a bit: ended.
        age("last_seen_at", 4 * 60_000).await;
        assert_eq!(works(cookie.clone()).await, 200);
        age("last_seen_at", 5 * 60_000 + 1_000).await;
        assert_eq!(works(cookie).await, 401);
        expires - created
    };
    assert_eq!(lifetime, 2 * 3_600_000);
    // Past the absolute lifetime, however recently used.
    let cookie = login().await;
    assert_eq!(works(cookie.clone()).await, 200);
    age("expires_at", 2 * 3_600_000).await;
    assert_eq!(works(cookie).await, 401);
}
