//! The LicenseSpring-compatible API's credentials and request authentication: per-tenant keys
//! that never cross tenants, one set per tenant however many processes make it at once, a
//! rotatable shared key, the HMAC's clock-skew window, and products' short codes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use licensing::licensespring::auth::authorization_header;
use licensing::licensespring::{authenticate, credentials, RequestAuth, V4Error, MAX_CLOCK_SKEW};
use licensing::products;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use rsa::RsaPublicKey;
use sha2::Sha256;

use super::*;

/// The server's clock for a test, to whole seconds (HTTP dates carry no fraction).
fn now() -> SystemTime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// Authenticates a request as the SDK would send it at `sent`, checked by the server at `now`.
async fn auth_as(
    store: &Store,
    api_key: &str,
    shared_key: &str,
    sent: SystemTime,
    now: SystemTime,
) -> Result<String, V4Error> {
    let date = httpdate::fmt_http_date(sent);
    let header = authorization_header(api_key, shared_key, &date);
    let request = RequestAuth {
        authorization: Some(&header),
        date: Some(&date),
    };
    authenticate(store, request, now)
        .await
        .map(|ok| ok.tenant_id().to_owned())
}

/// The tenant's LicenseSpring credential events, oldest first: (action, actor, subject's key).
async fn tenant_actions(store: &Store, tenant_id: &str) -> Vec<(String, Option<String>, String)> {
    let rows: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT action, actor_id, subject FROM audit_events \
         WHERE tenant_id = $1 AND action LIKE 'signing_key.licensespring%' ORDER BY at, action",
    )
    .bind(tenant_id)
    .fetch_all(store.pool())
    .await
    .expect("read audit events");
    rows.into_iter()
        .map(|(action, actor, subject)| {
            let key = match AuditSubject::from_stored(&subject) {
                AuditSubject::SigningKey { key_id } => key_id,
                other => panic!("subject {other:?}"),
            };
            (action, actor, key)
        })
        .collect()
}

fn verifies(public_pem: &str, body: &[u8], signature: &str) -> bool {
    let public = RsaPublicKey::from_public_key_pem(public_pem).expect("SPKI PEM");
    let Ok(sig) = BASE64.decode(signature) else {
        return false;
    };
    let Ok(sig) = Signature::try_from(sig.as_slice()) else {
        return false;
    };
    VerifyingKey::<Sha256>::new(public)
        .verify(body, &sig)
        .is_ok()
}

#[tokio::test]
async fn each_tenant_has_its_own_credentials_and_they_never_cross() {
    let w = world().await;
    let store = &w.store;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let (ta, tb) = (&w.a.manager.tenant_id, &b.manager.tenant_id);
    let a_creds = credentials::for_tenant(store, ta).await.unwrap();
    let b_creds = credentials::for_tenant(store, tb).await.unwrap();
    assert_eq!(a_creds.tenant_id(), ta);
    assert_ne!(a_creds.api_key(), b_creds.api_key());
    assert_ne!(a_creds.shared_key(), b_creds.shared_key());
    assert_ne!(a_creds.public_key_pem(), b_creds.public_key_pem());
    assert!(a_creds
        .public_key_pem()
        .starts_with("-----BEGIN PUBLIC KEY-----\n"));

    // Made once: asking again gives the same keys.
    let again = credentials::for_tenant(store, ta).await.unwrap();
    assert_eq!(again.api_key(), a_creds.api_key());
    assert_eq!(again.shared_key(), a_creds.shared_key());
    assert_eq!(again.public_key_pem(), a_creds.public_key_pem());

    let t = now();
    // Each tenant's own pair authenticates as that tenant, and only as it.
    assert_eq!(
        auth_as(store, a_creds.api_key(), a_creds.shared_key(), t, t).await,
        Ok(ta.clone())
    );
    assert_eq!(
        auth_as(store, b_creds.api_key(), b_creds.shared_key(), t, t).await,
        Ok(tb.clone())
    );
    // One tenant's API key with the other's shared key is refused, both ways.
    assert_eq!(
        auth_as(store, a_creds.api_key(), b_creds.shared_key(), t, t).await,
        Err(V4Error::SignatureMismatch)
    );
    assert_eq!(
        auth_as(store, b_creds.api_key(), a_creds.shared_key(), t, t).await,
        Err(V4Error::SignatureMismatch)
    );
    assert_eq!(
        auth_as(store, "no-such-key", a_creds.shared_key(), t, t).await,
        Err(V4Error::InvalidApiKey)
    );

    // A response signed for one tenant verifies with its public key only.
    let body = br#"{"id":1,"license_type":"perpetual"}"#;
    let signature = a_creds.sign(body);
    assert!(verifies(a_creds.public_key_pem(), body, &signature));
    assert!(!verifies(b_creds.public_key_pem(), body, &signature));
    assert!(!verifies(a_creds.public_key_pem(), b"{}", &signature));
}

#[tokio::test]
async fn concurrent_first_uses_in_two_processes_agree_on_one_set() {
    let w = world().await;
    let tenant = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let tenant_id = &tenant.manager.tenant_id;
    // A second pool on the same database stands for a second server process.
    let other = Store::connect(&w.url).await.expect("second pool");
    let (one, two) = tokio::join!(
        credentials::for_tenant(&w.store, tenant_id),
        credentials::for_tenant(&other, tenant_id)
    );
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one.api_key(), two.api_key());
    assert_eq!(one.shared_key(), two.shared_key());
    assert_eq!(one.public_key_pem(), two.public_key_pem());
    let body = b"same key";
    assert!(verifies(two.public_key_pem(), body, &one.sign(body)));
}

#[tokio::test]
async fn a_rotated_shared_key_replaces_the_old_one_and_nothing_else() {
    let w = world().await;
    let store = &w.store;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let ta = &w.a.manager.tenant_id;
    let before = credentials::for_tenant(store, ta).await.unwrap();
    let b_before = credentials::for_tenant(store, &b.manager.tenant_id)
        .await
        .unwrap();
    let created = "signing_key.licensespring_created";
    let rotated = "signing_key.licensespring_rotated";
    assert_eq!(
        tenant_actions(store, ta).await,
        vec![(created.to_owned(), None, before.api_key().to_owned())]
    );

    // Only the tenant's vendor staff rotate it; a customer's manager is refused, changing nothing.
    assert_eq!(
        credentials::rotate_shared_key(store, &as_actor(&w.a.manager))
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let support = vendor_admin(store, &w.a, "support@codeglass.example").await;
    let after = credentials::rotate_shared_key(store, &as_actor(&support))
        .await
        .unwrap();
    assert_eq!(
        tenant_actions(store, ta).await,
        vec![
            (created.to_owned(), None, before.api_key().to_owned()),
            (
                rotated.to_owned(),
                Some(support.account_id.clone()),
                before.api_key().to_owned()
            ),
        ]
    );
    assert_ne!(after.shared_key(), before.shared_key());
    assert_eq!(after.api_key(), before.api_key());
    assert_eq!(after.public_key_pem(), before.public_key_pem());

    let t = now();
    assert_eq!(
        auth_as(store, after.api_key(), before.shared_key(), t, t).await,
        Err(V4Error::SignatureMismatch)
    );
    assert_eq!(
        auth_as(store, after.api_key(), after.shared_key(), t, t).await,
        Ok(ta.clone())
    );
    // The other tenant's credentials are untouched.
    let b_after = credentials::for_tenant(store, &b.manager.tenant_id)
        .await
        .unwrap();
    assert_eq!(b_after.shared_key(), b_before.shared_key());
}

/// The console's view of the keys: the caller's own tenant's, vendor staff only. A customer is
/// refused before anything is read or made (no credentials, no audit event appear).
#[tokio::test]
async fn the_console_shows_vendor_staff_their_own_tenants_keys_only() {
    let w = world().await;
    let store = &w.store;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let ta = &w.a.manager.tenant_id;
    assert_eq!(
        credentials::for_vendor(store, &w.a.manager)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(tenant_actions(store, ta).await, vec![]);

    let support = vendor_admin(store, &w.a, "support@codeglass.example").await;
    let other_support = vendor_admin(store, &b, "support@othersoft.example").await;
    let own = credentials::for_vendor(store, &support).await.unwrap();
    let a = credentials::for_tenant(store, ta).await.unwrap();
    assert_eq!(
        own,
        credentials::ClientConfig {
            api_key: a.api_key().to_owned(),
            shared_key: a.shared_key().to_owned(),
            products: vec!["codeglass".into()],
            public_key_pem: a.public_key_pem().to_owned(),
        }
    );
    assert_eq!(
        own,
        credentials::client_config(store, &w.a.company)
            .await
            .unwrap()
    );
    let other = credentials::for_vendor(store, &other_support)
        .await
        .unwrap();
    assert_ne!(other.api_key, own.api_key);
    assert_ne!(other.shared_key, own.shared_key);
    assert_ne!(other.public_key_pem, own.public_key_pem);
}

/// The signed date may be up to [`MAX_CLOCK_SKEW`] (15 minutes) from the server's clock either
/// way; past that the request is refused even with the right key, so a captured header soon
/// stops working.
#[tokio::test]
async fn the_signed_date_must_be_within_the_clock_skew() {
    let w = world().await;
    let store = &w.store;
    let creds = credentials::for_tenant(store, &w.a.manager.tenant_id)
        .await
        .unwrap();
    let (key, shared) = (creds.api_key(), creds.shared_key());
    let t = now();
    let minute = Duration::from_secs(60);
    assert_eq!(MAX_CLOCK_SKEW, 15 * minute);
    for sent in [t - 14 * minute, t + 14 * minute, t - MAX_CLOCK_SKEW] {
        assert!(auth_as(store, key, shared, sent, t).await.is_ok());
    }
    for sent in [t - 16 * minute, t + 16 * minute, t - 24 * 60 * minute] {
        assert_eq!(
            auth_as(store, key, shared, sent, t).await,
            Err(V4Error::DateOutsideWindow)
        );
    }
    // A stale request is refused before its key is even looked up.
    assert_eq!(
        auth_as(store, "no-such-key", shared, t - 16 * minute, t).await,
        Err(V4Error::DateOutsideWindow)
    );
}

#[tokio::test]
async fn missing_headers_are_refused_with_the_contract_codes() {
    let w = world().await;
    let store = &w.store;
    let creds = credentials::for_tenant(store, &w.a.manager.tenant_id)
        .await
        .unwrap();
    let date = httpdate::fmt_http_date(now());
    let header = authorization_header(creds.api_key(), creds.shared_key(), &date);
    let cases = [
        (None, Some(date.as_str()), "missing_headers"),
        (Some(header.as_str()), None, "missing_headers"),
        (
            Some("algorithm=\"hmac-sha256\",headers=\"date\""),
            Some(date.as_str()),
            "authorization_missing_params",
        ),
        (
            Some(header.as_str()),
            Some("not a date"),
            "authorization_invalid_headers",
        ),
    ];
    for (authorization, date, code) in cases {
        let request = RequestAuth {
            authorization,
            date,
        };
        let err = authenticate(store, request, now()).await.unwrap_err();
        assert_eq!(err.body().code, code, "{authorization:?} {date:?}");
        assert_eq!(err.http_status(), 400);
    }
}

/// Each product has one short code per tenant: the demo's "CodeGlass" is `codeglass`, in every
/// tenant that sells it, and a code only names a product of the tenant that asks.
#[tokio::test]
async fn products_are_named_by_short_codes_per_tenant() {
    let w = world().await;
    let store = &w.store;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let ta = &w.a.manager.tenant_id;
    let codeglass = products::Product {
        short_code: "codeglass".into(),
        name: "CodeGlass".into(),
    };
    assert_eq!(
        products::list(store, ta).await.unwrap(),
        vec![codeglass.clone()]
    );
    assert_eq!(
        products::by_code(store, ta, "codeglass").await.unwrap(),
        Some(codeglass.clone())
    );
    assert_eq!(
        products::by_code(store, ta, "CODEGLASS").await.unwrap(),
        None
    );
    assert_eq!(products::by_code(store, ta, "other").await.unwrap(), None);

    // A second product whose name suggests a code already taken gets a numbered one.
    let now = licensing::now_millis();
    licenses::create(
        store,
        &licenses::NewLicense {
            tenant_id: ta.clone(),
            customer_id: w.a.manager.customer_id.clone().unwrap(),
            product: "Code Glass".into(),
            license_type: LicenseType::Organisation,
            subscriptions: 1,
            seats_per_subscription: 1,
            max_activations: 1,
            max_deactivations: 1,
            valid_from: now,
            valid_until: now + 1_000_000,
            owner_account_id: w.a.manager.account_id.clone(),
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        products::by_code(store, ta, "code-glass").await.unwrap(),
        Some(products::Product {
            short_code: "code-glass".into(),
            name: "Code Glass".into(),
        })
    );

    // A license older than the products table gets its code when the tenant's products are read.
    sqlx::query("DELETE FROM products WHERE tenant_id = $1")
        .bind(&b.manager.tenant_id)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(
        products::by_code(store, &b.manager.tenant_id, "codeglass")
            .await
            .unwrap(),
        Some(codeglass)
    );
}
