//! Signatures: every answer signed with the tenant's key, and the key published.

use super::*;

#[tokio::test]
async fn answers_are_signed_with_the_tenants_key() {
    let w = world().await;
    let published = w.public_key().await;
    assert_eq!(published["algorithm"], "Ed25519");
    assert_eq!(published["company"], w.company.as_str());
    let key = verifying_key(published["public_key"].as_str().unwrap());

    // The same key as PEM (SubjectPublicKeyInfo).
    let pem = published["public_key_pem"].as_str().unwrap();
    let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = BASE64.decode(der).unwrap();
    assert_eq!(der.len(), 44);
    assert_eq!(&der[12..], key.as_bytes());

    let r = w.activate(w.by_key("sig-1")).await;
    assert_eq!(r.status, 201);
    assert!(
        verifies(&key, &r),
        "activation signed with the published key"
    );
    assert_eq!(
        r.key_id.as_deref(),
        published["key_id"].as_str(),
        "Keyport-Key-Id names the key"
    );
    let c = w.check_in(&r.token()).await;
    assert!(verifies(&key, &c));

    // A changed body does not verify.
    let mut forged = c.clone();
    let text = String::from_utf8(forged.body.clone()).unwrap();
    forged.body = text.replace("\"active\"", "\"activf\"").into_bytes();
    assert_ne!(forged.body, c.body);
    assert!(!verifies(&key, &forged));

    // Company IDs are case-insensitive; an unknown one is 404, a missing one 422.
    let upper = Reply::read(
        w.client
            .get(w.server.url("/public-key"))
            .query(&[("company", w.company.to_uppercase())])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(upper.json()["public_key"], published["public_key"]);
    let unknown = Reply::read(
        w.client
            .get(w.server.url("/public-key?company=no-such-company-x"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(unknown.status, 404);
    let missing = Reply::read(
        w.client
            .get(w.server.url("/public-key"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.json()["field"], "company");

    // Another tenant has another key: its signature does not verify with this one.
    let other = format!("api-{}", random_hex(12));
    let out = Command::new(BIN)
        .current_dir(workspace_root())
        .env("DATABASE_URL", &w.url)
        .env("RUST_LOG", "warn")
        .args(["demo-tenant", "--company", &other])
        .output()
        .unwrap();
    assert!(out.status.success());
    let other_key = Reply::read(
        w.client
            .get(w.server.url("/public-key"))
            .query(&[("company", &other)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(other_key.status, 200);
    assert_ne!(other_key.json()["public_key"], published["public_key"]);
    assert!(!verifies(&key, &other_key));
}

#[tokio::test]
async fn signatures_verify_with_the_key_stored_in_the_database() {
    let w = world().await;
    // The first signed answer creates the tenant's key; read it from the table, not from any
    // server, and verify the exact body bytes.
    let r = w.activate(w.login("manager@acme.example", "db-key")).await;
    assert_eq!(r.status, 201);
    let stored = w.stored_public_key().await;
    assert!(verifies(&stored, &r));
    let c = w.check_in(&r.token()).await;
    assert!(verifies(&stored, &c));

    // One key per tenant, kept: a second server process signs with the same stored key, and its
    // creation was logged once.
    let second = Server::start(&w.url).await;
    let c2 = Reply::read(
        w.client
            .get(second.url("/device"))
            .bearer_auth(r.token())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(c2.status, 200);
    assert!(verifies(&stored, &c2));
    let keys: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM signing_keys k JOIN licenses l ON l.tenant_id = k.tenant_id \
         WHERE l.id = $1",
    )
    .bind(&w.license_id)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    assert_eq!(keys, 1);
    let created: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events e JOIN licenses l ON l.tenant_id = e.tenant_id \
         WHERE l.id = $1 AND e.action = 'signing_key.created'",
    )
    .bind(&w.license_id)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    assert_eq!(created, 1);
}
