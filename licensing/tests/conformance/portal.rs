//! The dashboard, the license list, the device list and the reset rules.

use super::*;

#[tokio::test]
async fn dashboard_shows_the_role() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);

    let m = licenses::dashboard(store, &a.manager)
        .await
        .expect("manager dashboard");
    assert_eq!(m.role, Some(LicenseRole::Manager));
    assert_eq!(m.license_count, 1);
    assert_eq!(m.name, "Morgan Manager");
    assert_eq!(m.email, a.manager_email());
    assert_eq!(m.company, a.vendor);
    assert_eq!(m.customer_name.as_deref(), Some(a.customer.as_str()));

    let u = licenses::dashboard(store, &a.user)
        .await
        .expect("user dashboard");
    assert_eq!(u.role, Some(LicenseRole::User));
    assert_eq!(u.license_count, 1);
    assert_eq!(u.name, "Uma User");
    assert_eq!(u.email, a.user_email());
}

// ---------------------------------------------------------------------------------------------
// 4. License list and counters
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn license_list_has_one_entry_with_its_counters() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);

    let ml = licenses::list(store, &a.manager)
        .await
        .expect("manager list");
    assert_eq!(ml.len(), 1);
    assert_eq!(ml[0].id, a.license_id);
    assert_eq!(ml[0].my_role, LicenseRole::Manager);
    let ul = licenses::list(store, &a.user).await.expect("user list");
    assert_eq!(ul.len(), 1);
    assert_eq!(ul[0].id, a.license_id);
    assert_eq!(ul[0].my_role, LicenseRole::User);

    let l = licenses::get(store, &a.manager, &a.license_id)
        .await
        .expect("get");
    assert_eq!(l.customer_name, a.customer);
    assert_eq!(l.product, "CodeGlass");
    assert_eq!(l.license_type, LicenseType::Organisation);
    assert_eq!(l.status, LicenseStatus::Active);
    assert_eq!(l.subscriptions, 1);
    assert_eq!((l.seats_used, l.max_users), (2, 5));
    assert_eq!((l.devices_active, l.max_activations), (4, 10));
    assert_eq!((l.deactivations_used, l.max_deactivations), (0, 3));
    assert_eq!(l.deactivations_left(), 3);
    assert!(l.valid_from < l.valid_until);
    assert_eq!(l.my_role, LicenseRole::Manager);
    // The list shows the same values as `get`.
    assert_eq!(ml[0], l);

    let lu = licenses::get(store, &a.user, &a.license_id)
        .await
        .expect("user get");
    assert_eq!(lu.my_role, LicenseRole::User);
    assert_eq!(
        License {
            my_role: LicenseRole::Manager,
            ..lu
        },
        l
    );

    assert_eq!(
        licenses::get(store, &a.manager, "no-such-license").await,
        Err(AppError::not_found(Thing::License))
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Device list
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn device_list_manager_sees_all_user_sees_own() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);

    let all = devices::list(store, &as_actor(&a.manager), &a.license_id)
        .await
        .expect("manager devices");
    assert_eq!(all.len(), 4);
    assert_eq!(
        names(&all),
        set(&[
            "Uma's laptop",
            "Uma's desktop",
            "Morgan's MacBook",
            "Morgan's workstation"
        ])
    );
    assert_eq!(
        named(&all, "Uma's laptop").activated_by.as_deref(),
        Some("Uma User")
    );
    assert_eq!(named(&all, "Uma's laptop").os, "Windows 11");
    assert_eq!(
        named(&all, "Morgan's MacBook").activated_by.as_deref(),
        Some("Morgan Manager")
    );

    let own = devices::list(store, &as_actor(&a.user), &a.license_id)
        .await
        .expect("user devices");
    assert_eq!(own.len(), 2);
    assert_eq!(names(&own), set(&["Uma's laptop", "Uma's desktop"]));
    assert!(own
        .iter()
        .all(|d| d.activated_by.as_deref() == Some("Uma User")));
}

/// A license with many devices shows them a page at a time, in order of first activation, and a
/// search (part of a name or of a hardware id, any case, wildcards as plain text) narrows every
/// page; a user's pages hold their own devices only; another tenant's license is not found.
#[tokio::test]
async fn device_pages_and_search() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    set_max_activations(store, &a.license_id, 200).await;
    for n in 0..116 {
        let who = if n % 2 == 0 { &a.manager } else { &a.user };
        activate(store, &a.license_id, &who.account_id, &format!("HW-{n:03}"))
            .await
            .unwrap();
    }
    let manager = as_actor(&a.manager);
    let page = |actor: Actor, search: &'static str, n: u32| {
        let license_id = a.license_id.clone();
        async move {
            devices::page(store, &actor, &license_id, search, n)
                .await
                .unwrap()
        }
    };

    let first = page(manager.clone(), "", 1).await;
    assert_eq!((first.total, first.page, first.has_more), (120, 1, true));
    assert_eq!(first.devices.len(), devices::PAGE_SIZE as usize);
    let third = page(manager.clone(), "", 3).await;
    assert_eq!((third.devices.len(), third.has_more), (20, false));
    assert_eq!(third.devices.last().unwrap().name, "Device HW-115");
    let mut seen = BTreeSet::new();
    for n in 1..=3 {
        for d in page(manager.clone(), "", n).await.devices {
            assert!(seen.insert(d.id), "a device on two pages");
        }
    }
    assert_eq!(seen.len(), 120);
    let past = page(manager.clone(), "", 4_000_000_000).await;
    assert!(past.devices.is_empty() && !past.has_more);
    assert_eq!(past.total, 120);
    assert_eq!(page(manager.clone(), "", 0).await.page, 1);

    // By name, any case; by hardware id; wildcards are literal.
    let by_name = page(manager.clone(), "device hw-10", 1).await;
    assert_eq!(by_name.total, 10);
    assert_eq!(page(manager.clone(), "hw-011", 1).await.total, 1);
    assert_eq!(page(manager.clone(), "uma's", 1).await.total, 2);
    assert_eq!(page(manager.clone(), "%", 1).await.total, 0);
    assert_eq!(page(manager.clone(), "_", 1).await.total, 0);
    assert_eq!(page(manager.clone(), "nothing like it", 1).await.total, 0);

    // A user: their own two demo devices and the 58 they activated here.
    let own = page(as_actor(&a.user), "", 1).await;
    assert_eq!(own.total, 60);
    assert_eq!(page(as_actor(&a.user), "hw-000", 1).await.total, 0);

    let other = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    assert_eq!(
        devices::page(store, &as_actor(&other.manager), &a.license_id, "", 1).await,
        Err(AppError::not_found(Thing::License))
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Reset rules
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn reset_rules_ownership_conflict_and_budget() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let (_, all) = snapshot(store, &a.manager, &a.license_id).await;
    let laptop = named(&all, "Uma's laptop").id.clone();
    let desktop = named(&all, "Uma's desktop").id.clone();
    let mbp = named(&all, "Morgan's MacBook").id.clone();
    let ws = named(&all, "Morgan's workstation").id.clone();

    // A user resets their own device.
    assert_eq!(
        devices::reset(store, &as_actor(&a.user), &laptop).await,
        Ok(ResetOutcome {
            license_id: a.license_id.clone(),
            device_name: "Uma's laptop".into(),
            deactivations_left: 2,
        })
    );
    let (l, all) = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(l.deactivations_used, 1);
    assert_eq!(l.deactivations_left(), 2);
    assert_eq!(l.devices_active, 3);
    assert!(all.iter().all(|d| d.id != laptop));
    let own = devices::list(store, &as_actor(&a.user), &a.license_id)
        .await
        .unwrap();
    assert_eq!(names(&own), set(&["Uma's desktop"]));

    // A user may not reset the manager's device; nothing changes.
    let before = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(
        devices::reset(store, &as_actor(&a.user), &mbp).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);

    // A manager resets any device of the license, including a user's.
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &desktop).await,
        Ok(ResetOutcome {
            license_id: a.license_id.clone(),
            device_name: "Uma's desktop".into(),
            deactivations_left: 1,
        })
    );
    assert!(devices::list(store, &as_actor(&a.user), &a.license_id)
        .await
        .unwrap()
        .is_empty());

    // Resetting a device that is already reset is a conflict and uses no deactivation.
    let before = snapshot(store, &a.manager, &a.license_id).await;
    let already = AppError::conflict(ConflictReason::DeviceAlreadyReset {
        name: "Uma's laptop".into(),
    });
    assert_eq!(
        devices::reset(store, &as_actor(&a.user), &laptop).await,
        Err(already.clone())
    );
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &laptop).await,
        Err(already)
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);
    assert_eq!(before.0.deactivations_used, 2);

    // An unknown device is not found.
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), "no-such-device").await,
        Err(AppError::not_found(Thing::Device))
    );

    // The third reset uses the last deactivation.
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &mbp).await,
        Ok(ResetOutcome {
            license_id: a.license_id.clone(),
            device_name: "Morgan's MacBook".into(),
            deactivations_left: 0,
        })
    );

    // With the budget spent the next reset is refused and the device stays active.
    let before = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(before.0.deactivations_used, 3);
    assert_eq!(before.0.devices_active, 1);
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &ws).await,
        Err(AppError::DeactivationLimitReached { allowed: 3 })
    );
    let after = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(after, before);
    assert_eq!(after.0.deactivations_used, 3);
    assert_eq!(names(&after.1), set(&["Morgan's workstation"]));
    assert_eq!(audit_count(store, &a.license_id, "device.reset").await, 3);
}
