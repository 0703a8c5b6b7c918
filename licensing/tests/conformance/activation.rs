//! Activation, the seat limit and the audit event of a reset.

use super::*;

#[tokio::test]
async fn activation_is_idempotent_and_limited() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let uid = &a.user.account_id;

    let first = activate(store, lic, uid, "hw-new").await.expect("activate");
    assert!(first.created);
    let (l, all) = snapshot(store, &a.manager, lic).await;
    assert_eq!(l.devices_active, 5);
    let dev = all
        .iter()
        .find(|d| d.id == first.device_id)
        .expect("listed");
    assert_eq!(dev.name, "Device hw-new");
    assert_eq!(dev.activated_by.as_deref(), Some("Uma User"));
    assert_eq!(
        devices::list(store, &as_actor(&a.user), lic)
            .await
            .unwrap()
            .len(),
        3
    );

    // The same hardware again takes no new slot.
    let again = activate(store, lic, uid, "hw-new")
        .await
        .expect("activate again");
    assert_eq!(
        again,
        Activation {
            device_id: first.device_id.clone(),
            created: false,
        }
    );
    // Surrounding whitespace is not a different machine.
    let spaced = activate(store, lic, uid, "  hw-new ")
        .await
        .expect("activate spaced");
    assert_eq!(spaced, again);
    assert_eq!(
        licenses::get(store, &a.manager, lic)
            .await
            .unwrap()
            .devices_active,
        5
    );

    // Fill every slot.
    for i in 0..5 {
        let act = activate(store, lic, uid, &format!("hw-fill-{i}"))
            .await
            .expect("fill");
        assert!(act.created);
    }
    let full = snapshot(store, &a.manager, lic).await;
    assert_eq!((full.0.devices_active, full.0.max_activations), (10, 10));

    // One more is refused, and nothing changes.
    assert_eq!(
        activate(store, lic, uid, "hw-one-too-many").await,
        Err(AppError::TooManyDevices { allowed: 10 })
    );
    assert_eq!(snapshot(store, &a.manager, lic).await, full);
    // An already active device still checks in on a full license.
    let again = activate(store, lic, uid, "hw-new")
        .await
        .expect("idempotent when full");
    assert!(!again.created);
    assert_eq!(again.device_id, first.device_id);
    assert_eq!(
        licenses::get(store, &a.manager, lic)
            .await
            .unwrap()
            .devices_active,
        10
    );
    assert_eq!(audit_count(store, lic, "device.activated").await, 4 + 6);

    // A license that does not exist is not found, and nothing is written.
    let before = snapshot(store, &a.manager, lic).await;
    let events = audit_count(store, lic, "device.activated").await;
    assert_eq!(
        activate(store, &licensing::store::new_id(), uid, "hw-nowhere").await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(snapshot(store, &a.manager, lic).await, before);
    assert_eq!(audit_count(store, lic, "device.activated").await, events);

    // A blank hardware id is a form error.
    assert_eq!(
        activate(store, lic, uid, "  ").await,
        Err(AppError::invalid(
            Field::HardwareId,
            InvalidReason::Required
        ))
    );

    // A reset frees a slot; the reset hardware may then activate again as a new device.
    devices::reset(store, &as_actor(&a.manager), &first.device_id)
        .await
        .expect("reset");
    let back = activate(store, lic, uid, "hw-new")
        .await
        .expect("reactivate");
    assert!(back.created);
    assert_ne!(back.device_id, first.device_id);
    assert_eq!(
        licenses::get(store, &a.manager, lic)
            .await
            .unwrap()
            .devices_active,
        10
    );
}

// ---------------------------------------------------------------------------------------------
// 9. Seat limit
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn seat_limit_and_foreign_accounts() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let tenant_id = &a.manager.tenant_id;
    let customer_id = a
        .manager
        .customer_id
        .clone()
        .expect("manager has a customer");

    // An account of another customer of the same tenant is not assignable.
    let other_customer = tenants::create_customer(store, tenant_id, "Initech")
        .await
        .unwrap();
    let outsider =
        new_customer_account(store, tenant_id, &other_customer, "peter@initech.example").await;
    let before = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        users::grant_seat(store, lic, &outsider, LicenseRole::User, None).await,
        Err(AppError::not_found(Thing::Account))
    );
    assert_eq!(
        users::grant_seat(store, lic, "no-such-account", LicenseRole::User, None).await,
        Err(AppError::not_found(Thing::Account))
    );
    // Assigning someone twice is a conflict.
    assert!(matches!(
        users::grant_seat(store, lic, &a.user.account_id, LicenseRole::User, None).await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(licenses::get(store, &a.manager, lic).await.unwrap(), before);

    // Up to the seat limit every assignment works.
    for i in 0..3 {
        let acct = new_customer_account(
            store,
            tenant_id,
            &customer_id,
            &format!("extra{i}@acme.example"),
        )
        .await;
        users::grant_seat(
            store,
            lic,
            &acct,
            LicenseRole::User,
            Some(&a.manager.account_id),
        )
        .await
        .unwrap_or_else(|e| panic!("assign seat {}: {e:?}", i + 3));
    }
    let full = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!((full.seats_used, full.max_users), (5, 5));
    assert_eq!(audit_count(store, lic, "user.assigned").await, 1 + 3);

    // One more is refused and takes no seat.
    let late = new_customer_account(store, tenant_id, &customer_id, "late@acme.example").await;
    assert_eq!(
        users::grant_seat(store, lic, &late, LicenseRole::User, None).await,
        Err(AppError::SeatLimitReached { allowed: 5 })
    );
    assert_eq!(licenses::get(store, &a.manager, lic).await.unwrap(), full);
    let late_p = principal(store, &a.company, "late@acme.example").await;
    assert_eq!(
        licenses::dashboard(store, &late_p).await.unwrap().role,
        None
    );
    assert!(licenses::list(store, &late_p).await.unwrap().is_empty());
    assert_eq!(
        licenses::get(store, &late_p, lic).await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(audit_count(store, lic, "user.assigned").await, 4);
}

// ---------------------------------------------------------------------------------------------
// 10. Audit
// ---------------------------------------------------------------------------------------------

/// tenant_id, actor_id, subject, ip, at
type AuditRow = (String, Option<String>, String, Option<String>, i64);

#[tokio::test]
async fn reset_writes_one_audit_event() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let (_, all) = snapshot(store, &a.manager, &a.license_id).await;
    let laptop = named(&all, "Uma's laptop").id.clone();
    let mbp = named(&all, "Morgan's MacBook").id.clone();
    assert_eq!(audit_count(store, &a.license_id, "device.reset").await, 0);

    devices::reset(store, &Actor::new(a.user.clone(), "203.0.113.7"), &laptop)
        .await
        .expect("reset");

    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT tenant_id, actor_id, subject, ip, at FROM audit_events \
         WHERE license_id = $1 AND action = 'device.reset'",
    )
    .bind(&a.license_id)
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    let (tenant, actor, subject, ip, at) = rows[0].clone();
    assert_eq!(tenant, a.user.tenant_id);
    assert_eq!(actor.as_deref(), Some(a.user.account_id.as_str()));
    assert_eq!(
        AuditSubject::from_stored(&subject),
        device_subject("Uma's laptop")
    );
    assert_eq!(ip.as_deref(), Some("203.0.113.7"));
    assert!(
        (licensing::now_millis() - at).abs() < 60_000,
        "timestamp is UTC millis"
    );

    // Refused resets write nothing.
    assert_eq!(
        devices::reset(store, &as_actor(&a.user), &mbp).await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        devices::reset(store, &as_actor(&a.user), &laptop).await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(audit_count(store, &a.license_id, "device.reset").await, 1);
}
