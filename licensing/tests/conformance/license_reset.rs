//! Reset license and the activity log.

use super::*;

#[tokio::test]
async fn reset_license_clears_devices_and_users_for_one_deactivation() {
    let w = world().await;
    let store = &w.store;
    let a = &w.a;
    let other = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let before = snapshot(store, &a.manager, &a.license_id).await;

    // A license user, and a manager of another tenant, may not; nothing changes.
    assert_eq!(
        licenses::reset_license(store, &as_actor(&a.user), &a.license_id).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        licenses::reset_license(store, &as_actor(&other.manager), &a.license_id).await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);
    assert_eq!(audit_count(store, &a.license_id, "license.reset").await, 0);

    let outcome = licenses::reset_license(store, &as_actor(&a.manager), &a.license_id)
        .await
        .expect("manager resets the license");
    assert_eq!(outcome.devices_reset, 4);
    assert_eq!(outcome.users_removed, 1);
    assert_eq!(outcome.deactivations_left, 2);
    let (license, devices) = snapshot(store, &a.manager, &a.license_id).await;
    assert!(devices.is_empty());
    assert_eq!(license.devices_active, 0);
    assert_eq!(license.seats_used, 1, "the manager keeps their seat");
    assert_eq!(license.deactivations_used, 1);
    assert!(licenses::list(store, &a.user).await.unwrap().is_empty());
    assert_eq!(audit_count(store, &a.license_id, "license.reset").await, 1);

    // Nothing left to reset: refused without spending a deactivation.
    assert!(matches!(
        licenses::reset_license(store, &as_actor(&a.manager), &a.license_id).await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(
        licenses::get(store, &a.manager, &a.license_id)
            .await
            .unwrap()
            .deactivations_used,
        1
    );
}

#[tokio::test]
async fn reset_license_is_refused_when_the_budget_is_spent() {
    let w = world().await;
    let store = &w.store;
    let a = &w.a;
    sqlx::query("UPDATE licenses SET deactivations_used = max_deactivations WHERE id = $1")
        .bind(&a.license_id)
        .execute(store.pool())
        .await
        .unwrap();
    let before = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(
        licenses::reset_license(store, &as_actor(&a.manager), &a.license_id).await,
        Err(AppError::DeactivationLimitReached { allowed: 3 })
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);
    assert_eq!(licenses::list(store, &a.user).await.unwrap().len(), 1);
    assert_eq!(audit_count(store, &a.license_id, "license.reset").await, 0);
}

#[tokio::test]
async fn activity_is_for_managers_newest_first_and_paged() {
    let w = world().await;
    let store = &w.store;
    let a = &w.a;
    let other = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let device = named(
        &snapshot(store, &a.manager, &a.license_id).await.1,
        "Uma's laptop",
    )
    .id
    .clone();
    devices::reset(store, &Actor::new(a.user.clone(), "10.1.2.3"), &device)
        .await
        .unwrap();

    let first = audit::list_for_license(store, &a.manager, &a.license_id, 1)
        .await
        .expect("manager reads the log");
    let newest = &first.entries[0];
    assert_eq!(newest.action, AuditAction::DeviceReset);
    assert_eq!(newest.subject, device_subject("Uma's laptop"));
    assert_eq!(newest.actor.as_deref(), Some("Uma User"));
    assert_eq!(newest.ip.as_deref(), Some("10.1.2.3"));
    assert!(
        first.entries.windows(2).all(|p| p[0].at >= p[1].at),
        "newest first"
    );

    assert_eq!(
        audit::list_for_license(store, &a.user, &a.license_id, 1).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        audit::list_for_license(store, &other.manager, &a.license_id, 1).await,
        Err(AppError::not_found(Thing::License))
    );

    // Enough events for a second page.
    set_max_activations(store, &a.license_id, 100).await;
    let total_before = first.entries.len() as u32;
    let extra = audit::PAGE_SIZE + 3 - total_before;
    for i in 0..extra {
        activate(
            store,
            &a.license_id,
            &a.manager.account_id,
            &format!("hw-{i}"),
        )
        .await
        .unwrap();
    }
    let page1 = audit::list_for_license(store, &a.manager, &a.license_id, 1)
        .await
        .unwrap();
    let page2 = audit::list_for_license(store, &a.manager, &a.license_id, 2)
        .await
        .unwrap();
    assert_eq!(page1.entries.len(), audit::PAGE_SIZE as usize);
    assert!(page1.has_more);
    assert_eq!(page2.entries.len(), 3);
    assert!(!page2.has_more);
    assert_eq!(page2.page, 2);
}

/// The license's active devices as its row keeps them, and as counted from the devices.
async fn devices_active_kept_and_counted(store: &Store, license_id: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT l.devices_active, \
                (SELECT COUNT(*) FROM devices d WHERE d.license_id = l.id AND d.deactivated_at IS NULL) \
         FROM licenses l WHERE l.id = $1",
    )
    .bind(license_id)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

/// The count a license keeps of its active devices follows every way a device comes and goes:
/// activation (new and again), a reset, the app's own deactivation, a vendor's removal, a user
/// unassigned, *Reset license*, and a row changed or deleted by hand.
#[tokio::test]
async fn the_kept_count_of_active_devices_follows_every_change() {
    let w = world().await;
    let store = &w.store;
    let a = &w.a;
    let lic = a.license_id.as_str();
    set_max_activations(store, lic, 20).await;
    let expect = |n: i64| async move {
        let (kept, counted) = devices_active_kept_and_counted(store, lic).await;
        assert_eq!((kept, counted), (n, n));
    };
    expect(4).await;
    activate(store, lic, &a.user.account_id, "hw-k1")
        .await
        .unwrap();
    activate(store, lic, &a.user.account_id, "hw-k2")
        .await
        .unwrap();
    activate(store, lic, &a.user.account_id, "hw-k1")
        .await
        .unwrap();
    expect(6).await;

    let list = devices::list(store, &as_actor(&a.manager), lic)
        .await
        .unwrap();
    devices::reset(
        store,
        &as_actor(&a.manager),
        &named(&list, "Device hw-k1").id,
    )
    .await
    .unwrap();
    expect(5).await;
    let admin = vendor_admin(store, a, "support@vendor.example").await;
    devices::remove_by_vendor(store, &as_actor(&admin), &named(&list, "Device hw-k2").id)
        .await
        .unwrap();
    expect(4).await;

    // A refused activation counts nothing.
    set_max_activations(store, lic, 4).await;
    assert!(activate(store, lic, &a.user.account_id, "hw-k3")
        .await
        .is_err());
    expect(4).await;
    set_max_activations(store, lic, 20).await;

    let user_devices = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND account_id = $2 \
         AND deactivated_at IS NULL",
    )
    .bind(lic)
    .bind(&a.user.account_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    users::unassign(store, &as_actor(&a.manager), lic, &a.user.account_id)
        .await
        .unwrap();
    expect(4 - user_devices).await;

    activate(store, lic, &a.manager.account_id, "hw-k4")
        .await
        .unwrap();
    licenses::reset_license(store, &as_actor(&a.manager), lic)
        .await
        .unwrap();
    expect(0).await;

    // By hand: a device brought back, one moved away, one deleted.
    let any: String = sqlx::query_scalar("SELECT id FROM devices WHERE license_id = $1 LIMIT 1")
        .bind(lic)
        .fetch_one(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE devices SET deactivated_at = NULL WHERE id = $1")
        .bind(&any)
        .execute(store.pool())
        .await
        .unwrap();
    expect(1).await;
    sqlx::query("UPDATE devices SET last_seen_at = last_seen_at + 1 WHERE id = $1")
        .bind(&any)
        .execute(store.pool())
        .await
        .unwrap();
    expect(1).await;
    sqlx::query("DELETE FROM devices WHERE id = $1")
        .bind(&any)
        .execute(store.pool())
        .await
        .unwrap();
    expect(0).await;
}

/// A license id that names no license is `NotFound` for every write that locks a license, the
/// same on both databases: Postgres finds it missing as it locks the row, SQLite (whose lock is
/// the whole database's) by the write's own first read. Nothing is written.
#[tokio::test]
async fn locked_writes_refuse_a_license_that_does_not_exist() {
    let w = world().await;
    let store = &w.store;
    let a = &w.a;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let missing = "00000000-0000-4000-8000-000000000000";
    let before = snapshot(store, &a.manager, &a.license_id).await;
    let not_found = Err(AppError::not_found(Thing::License));
    assert_eq!(
        licenses::reset_license(store, &as_actor(&a.manager), missing)
            .await
            .map(|_| ()),
        not_found
    );
    assert_eq!(
        users::assign(store, &as_actor(&a.manager), missing, &a.user.account_id)
            .await
            .map(|_| ()),
        not_found
    );
    assert_eq!(
        licenses::add_subscriptions(store, missing, 1, None)
            .await
            .map(|_| ()),
        not_found
    );
    assert_eq!(
        licenses::reset_deactivation_limit(store, &as_actor(&support), missing, "goodwill").await,
        not_found
    );
    assert_eq!(
        licenses::issue_key(store, missing).await.map(|_| ()),
        not_found
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);
}
