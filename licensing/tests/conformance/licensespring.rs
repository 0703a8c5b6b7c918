//! The LicenseSpring-compatible API's credentials: per-tenant keys that never cross tenants, one
//! set per tenant however many processes make it at once, a rotatable shared key, and products'
//! short codes.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use licensing::licensespring::credentials;
use licensing::products;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use rsa::RsaPublicKey;
use sha2::Sha256;

use super::*;

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
    let after = credentials::rotate_shared_key(store, ta).await.unwrap();
    assert_ne!(after.shared_key(), before.shared_key());
    assert_eq!(after.api_key(), before.api_key());
    assert_eq!(after.public_key_pem(), before.public_key_pem());

    // The other tenant's credentials are untouched.
    let b_after = credentials::for_tenant(store, &b.manager.tenant_id)
        .await
        .unwrap();
    assert_eq!(b_after.shared_key(), b_before.shared_key());
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
