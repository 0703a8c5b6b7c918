//! Management API keys: only vendor staff make, list and revoke them, for their own tenant; a key
//! is shown once and kept as a hash; an unknown, revoked or malformed key is one refusal.

use super::*;
use licensing::manage;

#[tokio::test]
async fn vendor_staff_make_list_and_revoke_their_own_tenants_keys() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let other = vendor_admin(store, &b, "support@othersoft.example").await;

    for who in [&a.manager, &a.user] {
        assert_eq!(
            manage::create_key(store, &as_actor(who), "Shop").await,
            Err(AppError::Forbidden)
        );
        assert_eq!(
            manage::list_keys(store, who).await,
            Err(AppError::Forbidden)
        );
    }
    for (name, refused) in [
        (
            "  ",
            AppError::invalid(Field::Name, InvalidReason::Required),
        ),
        (
            &"n".repeat(101)[..],
            AppError::invalid(Field::Name, InvalidReason::TooLong { max: 100 }),
        ),
    ] {
        assert_eq!(
            manage::create_key(store, &as_actor(&support), name).await,
            Err(refused)
        );
    }

    let key = manage::create_key(store, &as_actor(&support), " Web shop ")
        .await
        .expect("make a key");
    assert_eq!(key.name, "Web shop");
    assert!(key.key.starts_with(manage::KEY_START) && key.key.len() > 60);
    assert_eq!(key.prefix, key.key[..manage::PREFIX_LEN]);
    // Kept as a hash only.
    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT key_hash, prefix FROM api_keys WHERE id = $1")
            .bind(&key.id)
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(
        stored,
        [(licensing::secret::hash(&key.key), key.prefix.clone())]
    );

    let holder = manage::authenticate_key(store, &format!(" {} ", key.key))
        .await
        .expect("the key works");
    // The key acts as vendor staff of its tenant, under its own name, with no customer.
    let acting = &holder.principal;
    assert_eq!(acting.tenant_id, a.manager.tenant_id);
    assert_eq!(acting.name, "API key Web shop");
    assert_eq!(acting.kind, licensing::auth::AccountKind::VendorAdmin);
    assert_eq!(acting.customer_id, None);
    // Its account never logs in, whatever password is tried.
    for password in ["", "!", "x"] {
        assert_eq!(
            licensing::auth::check_credentials(
                store,
                &creds(&a.company, &acting.email, password),
                IP
            )
            .await
            .err(),
            Some(if password.is_empty() {
                AppError::invalid(Field::Password, InvalidReason::Required)
            } else {
                AppError::InvalidCredentials
            })
        );
    }
    let listed = manage::list_keys(store, &support).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].created_by.as_deref(), Some("Vendor Support"));
    assert!(listed[0].last_used_at.is_some() && listed[0].revoked_at.is_none());
    assert!(manage::list_keys(store, &other).await.unwrap().is_empty());

    // One refusal for everything that is not a live key.
    let mut forged = key.key.clone();
    forged.replace_range(20..21, if &key.key[20..21] == "0" { "1" } else { "0" });
    for wrong in [
        "",
        "kp_",
        forged.as_str(),
        &key.key[manage::KEY_START.len()..],
        &"kp_0".repeat(100),
    ] {
        assert_eq!(
            manage::authenticate_key(store, wrong).await,
            Err(AppError::Unauthenticated),
            "{wrong}"
        );
    }

    // Another tenant cannot revoke it; its own vendor can, once.
    assert_eq!(
        manage::revoke_key(store, &as_actor(&other), &key.id).await,
        Err(AppError::not_found(Thing::ApiKey))
    );
    manage::authenticate_key(store, &key.key).await.unwrap();
    manage::revoke_key(store, &as_actor(&support), &key.id)
        .await
        .expect("revoke");
    assert_eq!(
        manage::authenticate_key(store, &key.key).await,
        Err(AppError::Unauthenticated)
    );
    assert_eq!(
        manage::revoke_key(store, &as_actor(&support), &key.id).await,
        Err(AppError::not_found(Thing::ApiKey))
    );
    assert!(manage::list_keys(store, &support).await.unwrap()[0]
        .revoked_at
        .is_some());

    // Both changes are in the tenant's log, naming the key by name and prefix, never the key.
    let events: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, subject FROM audit_events WHERE tenant_id = $1 \
         AND action LIKE 'signing_key.api_key%' ORDER BY at",
    )
    .bind(&a.manager.tenant_id)
    .fetch_all(store.pool())
    .await
    .unwrap();
    let actions: Vec<&str> = events.iter().map(|(action, _)| action.as_str()).collect();
    assert_eq!(
        actions,
        ["signing_key.api_key_created", "signing_key.api_key_revoked"]
    );
    assert!(events
        .iter()
        .all(|(_, subject)| subject.contains(&key.prefix) && !subject.contains(&key.key)));
}
