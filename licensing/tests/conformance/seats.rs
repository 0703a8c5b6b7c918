//! The Users tab: assigning and unassigning license users, and the rule that a license keeps a
//! manager.

use super::*;

fn already_seated() -> AppError {
    AppError::conflict(ConflictReason::AlreadyAssigned)
}

#[tokio::test]
async fn assign_and_unassign_users() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let customer_id = a.manager.customer_id.clone().unwrap();
    let extra = new_customer_account(
        store,
        &a.manager.tenant_id,
        &customer_id,
        "extra@acme.example",
    )
    .await;
    let assigned_before = audit_count(store, lic, "user.assigned").await;

    // Assigning takes a seat.
    assert_eq!(
        users::assign(
            store,
            &Actor::new(a.manager.clone(), "198.51.100.4"),
            lic,
            &extra
        )
        .await,
        Ok(users::UserChange {
            license_id: lic.clone(),
            account_id: extra.clone(),
            name: "Extra Person".into(),
            devices_deactivated: 0,
        })
    );
    let view = users_of(store, &a.manager, lic).await;
    assert_eq!(view.seats_used, 3);
    assert!(view.candidates.is_empty());
    let row = view.users.iter().find(|u| u.account_id == extra).unwrap();
    assert_eq!((row.role, row.devices_active), (LicenseRole::User, 0));
    assert_eq!(
        audit_count(store, lic, "user.assigned").await,
        assigned_before + 1
    );
    assert_eq!(
        audit_rows(store, lic, "user.assigned").await.last(),
        Some(&(
            Some(a.manager.account_id.clone()),
            AuditSubject::Account {
                name: "Extra Person".into(),
                email: "extra@acme.example".into(),
                assigned: false
            },
            Some("198.51.100.4".to_owned())
        ))
    );
    let extra_p = principal(store, &a.company, "extra@acme.example").await;
    assert_eq!(
        licenses::get(store, &extra_p, lic).await.unwrap().my_role,
        LicenseRole::User
    );

    // Assigning anyone already seated is a conflict and changes nothing.
    let before = users_state(store, &a.manager, lic).await;
    for seated in [&extra, &a.user.account_id, &a.manager.account_id] {
        assert_eq!(
            users::assign(store, &as_actor(&a.manager), lic, seated).await,
            Err(already_seated())
        );
    }
    assert_eq!(users_state(store, &a.manager, lic).await, before);

    // Unassigning Uma frees her seat and deactivates her two devices, without touching the
    // deactivation budget.
    let (l0, _) = snapshot(store, &a.manager, lic).await;
    assert_eq!(
        users::unassign(
            store,
            &Actor::new(a.manager.clone(), "198.51.100.5"),
            lic,
            &a.user.account_id
        )
        .await,
        Ok(users::UserChange {
            license_id: lic.clone(),
            account_id: a.user.account_id.clone(),
            name: "Uma User".into(),
            devices_deactivated: 2,
        })
    );
    let (l1, devs) = snapshot(store, &a.manager, lic).await;
    assert_eq!(l1.devices_active, l0.devices_active - 2);
    assert_eq!(l1.deactivations_used, l0.deactivations_used);
    assert_eq!(l1.deactivations_used, 0);
    assert_eq!(l1.seats_used, l0.seats_used - 1);
    assert_eq!(
        names(&devs),
        set(&["Morgan's MacBook", "Morgan's workstation"])
    );
    let reason: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND account_id = $2 \
         AND deactivated_reason = 'unassigned' AND deactivated_by = $3",
    )
    .bind(lic)
    .bind(&a.user.account_id)
    .bind(&a.manager.account_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(reason, 2);
    assert_eq!(
        licenses::get(store, &a.user, lic).await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(
        devices::list(store, &as_actor(&a.user), lic).await,
        Err(AppError::not_found(Thing::License))
    );
    assert!(licenses::list(store, &a.user).await.unwrap().is_empty());
    assert_eq!(
        licenses::dashboard(store, &a.user).await.unwrap().role,
        None
    );
    let view = users_of(store, &a.manager, lic).await;
    assert!(view.users.iter().all(|u| u.account_id != a.user.account_id));
    assert_eq!(
        view.candidates
            .iter()
            .map(|c| c.account_id.as_str())
            .collect::<Vec<_>>(),
        vec![a.user.account_id.as_str()]
    );
    assert_eq!(
        audit_rows(store, lic, "user.unassigned").await,
        vec![(
            Some(a.manager.account_id.clone()),
            AuditSubject::Unassigned {
                name: "Uma User".into(),
                email: "user@acme.example".into(),
                devices: 2
            },
            Some("198.51.100.5".to_owned())
        )]
    );

    // Unassigning her again finds no seat and changes nothing.
    let before = users_state(store, &a.manager, lic).await;
    assert_eq!(
        users::unassign(store, &as_actor(&a.manager), lic, &a.user.account_id).await,
        Err(AppError::not_found(Thing::User))
    );
    assert_eq!(users_state(store, &a.manager, lic).await, before);

    // Assigned again, she gets a seat but not her devices back.
    users::assign(store, &as_actor(&a.manager), lic, &a.user.account_id)
        .await
        .expect("assign again");
    let view = users_of(store, &a.manager, lic).await;
    let uma = view
        .users
        .iter()
        .find(|u| u.account_id == a.user.account_id)
        .unwrap();
    assert_eq!((uma.role, uma.devices_active), (LicenseRole::User, 0));
    let (l2, _) = snapshot(store, &a.manager, lic).await;
    assert_eq!(
        (l2.seats_used, l2.devices_active, l2.deactivations_used),
        (3, 2, 0)
    );
    assert!(devices::list(store, &as_actor(&a.user), lic)
        .await
        .unwrap()
        .is_empty());
}

/// Unassigning someone from one license leaves their other licenses and devices alone.
#[tokio::test]
async fn unassigning_leaves_other_licenses_alone() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let now = licensing::now_millis();
    let pro = licenses::create(
        store,
        &licenses::NewLicense {
            tenant_id: a.manager.tenant_id.clone(),
            customer_id: a.manager.customer_id.clone().unwrap(),
            product: "CodeGlass Pro".into(),
            license_type: LicenseType::Organisation,
            subscriptions: 1,
            seats_per_subscription: 5,
            max_activations: 10,
            max_deactivations: 3,
            valid_from: now,
            valid_until: now + 1_000_000,
            owner_account_id: a.manager.account_id.clone(),
        },
        None,
    )
    .await
    .unwrap();
    users::assign(store, &as_actor(&a.manager), &pro, &a.user.account_id)
        .await
        .unwrap();
    activate(store, &pro, &a.user.account_id, "uma-pro")
        .await
        .unwrap();
    let pro_before = users_state(store, &a.manager, &pro).await;

    let change = users::unassign(
        store,
        &as_actor(&a.manager),
        &a.license_id,
        &a.user.account_id,
    )
    .await
    .unwrap();
    assert_eq!(change.devices_deactivated, 2);
    let pro_after = users_state(store, &a.manager, &pro).await;
    assert_eq!(pro_after.license, pro_before.license);
    assert_eq!(pro_after.users, pro_before.users);
    assert_eq!(
        names(
            &devices::list(store, &as_actor(&a.user), &pro)
                .await
                .unwrap()
        ),
        set(&["Device uma-pro"])
    );
    let left = licenses::list(store, &a.user).await.unwrap();
    assert_eq!(
        left.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        vec![pro.as_str()]
    );
}

#[tokio::test]
async fn unassigned_users_devices_stop_checking_in() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let created = users::create(
        store,
        &as_actor(&a.manager),
        lic,
        &new_user(
            "Dora Device",
            "dora@acme.example",
            Some("dora-password"),
            true,
        ),
        &portal(),
    )
    .await
    .unwrap();
    let auth = devices::ActivationAuth::Credentials(creds(
        &a.company,
        "dora@acme.example",
        "dora-password",
    ));
    let target = devices::activation_target(store, &auth, IP, &THROTTLE)
        .await
        .expect("the new user activates");
    assert_eq!(target.license_id, *lic);
    assert_eq!(target.account_id.as_deref(), created.account_id.as_deref());
    let activation = devices::activate_device(
        store,
        &target,
        &DeviceInfo {
            hardware_id: "dora-laptop",
            name: "Dora's laptop",
            os: "Linux",
        },
        IP,
    )
    .await
    .expect("activate the device");
    assert!(activation.created);
    let status = devices::check_in(store, &activation.token)
        .await
        .expect("check in");
    assert_eq!(status.device_id, activation.status.device_id);
    let view = users_of(store, &a.manager, lic).await;
    let dora = view
        .users
        .iter()
        .find(|u| Some(&u.account_id) == created.account_id.as_ref())
        .unwrap();
    assert_eq!(dora.devices_active, 1);

    let change = users::unassign(
        store,
        &as_actor(&a.manager),
        lic,
        created.account_id.as_deref().unwrap(),
    )
    .await
    .expect("unassign");
    assert_eq!(change.devices_deactivated, 1);
    assert_eq!(
        devices::check_in(store, &activation.token).await,
        Err(AppError::DeviceDeactivated)
    );
    // The app cannot deactivate it again (and spend a deactivation), nor activate anew.
    assert_eq!(
        devices::deactivate_by_token(store, &activation.token, IP).await,
        Err(AppError::DeviceDeactivated)
    );
    assert_eq!(
        devices::activation_target(store, &auth, IP, &THROTTLE).await,
        Err(AppError::NoLicense)
    );
    let l = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!((l.devices_active, l.deactivations_used), (4, 0));
}

#[tokio::test]
async fn a_license_keeps_a_manager() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let (morgan, uma) = (&a.manager, &a.user);

    // The only manager can neither leave nor step down; a role already held is a conflict.
    let before = users_state(store, morgan, lic).await;
    assert_eq!(
        users::unassign(store, &as_actor(morgan), lic, &morgan.account_id).await,
        Err(last_manager())
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(morgan),
            lic,
            &morgan.account_id,
            LicenseRole::User
        )
        .await,
        Err(last_manager())
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(morgan),
            lic,
            &morgan.account_id,
            LicenseRole::Manager
        )
        .await,
        Err(AppError::conflict(ConflictReason::AlreadyManager {
            name: "Morgan Manager".into()
        }))
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(morgan),
            lic,
            &uma.account_id,
            LicenseRole::User
        )
        .await,
        Err(AppError::conflict(ConflictReason::AlreadyUser {
            name: "Uma User".into()
        }))
    );
    assert_eq!(users_state(store, morgan, lic).await, before);
    assert_eq!(audit_count(store, lic, "user.role_changed").await, 0);

    // Uma becomes a manager and can manage the users.
    assert_eq!(
        users::set_role(
            store,
            &as_actor(morgan),
            lic,
            &uma.account_id,
            LicenseRole::Manager
        )
        .await,
        Ok(users::UserChange {
            license_id: lic.clone(),
            account_id: uma.account_id.clone(),
            name: "Uma User".into(),
            devices_deactivated: 0,
        })
    );
    assert_eq!(
        audit_rows(store, lic, "user.role_changed").await,
        vec![(
            Some(morgan.account_id.clone()),
            AuditSubject::RoleChanged {
                name: "Uma User".into(),
                email: "user@acme.example".into(),
                role: LicenseRole::Manager
            },
            Some(IP.to_owned())
        )]
    );
    let seen_by_uma = users::list(store, uma, lic)
        .await
        .expect("a new manager lists users");
    assert_eq!(seen_by_uma, users_of(store, morgan, lic).await);
    assert_eq!(seen_by_uma.managers(), 2);
    assert_eq!(
        licenses::get(store, uma, lic).await.unwrap().my_role,
        LicenseRole::Manager
    );
    assert_eq!(
        licenses::dashboard(store, uma).await.unwrap().role,
        Some(LicenseRole::Manager)
    );

    // With two managers, Morgan may step down; then he manages nothing.
    users::set_role(
        store,
        &as_actor(morgan),
        lic,
        &morgan.account_id,
        LicenseRole::User,
    )
    .await
    .expect("step down");
    assert_eq!(
        users::list(store, morgan, lic).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        licenses::get(store, morgan, lic).await.unwrap().my_role,
        LicenseRole::User
    );
    let view = users_of(store, uma, lic).await;
    assert_eq!(view.managers(), 1);
    let roles: Vec<_> = view
        .users
        .iter()
        .map(|u| (u.name.as_str(), u.role))
        .collect();
    assert_eq!(
        roles,
        vec![
            ("Morgan Manager", LicenseRole::User),
            ("Uma User", LicenseRole::Manager)
        ]
    );

    // Now Uma is the last manager; Morgan cannot take the role back himself.
    let before = users_state(store, uma, lic).await;
    assert_eq!(
        users::set_role(
            store,
            &as_actor(uma),
            lic,
            &uma.account_id,
            LicenseRole::User
        )
        .await,
        Err(last_manager())
    );
    assert_eq!(
        users::unassign(store, &as_actor(uma), lic, &uma.account_id).await,
        Err(last_manager())
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(morgan),
            lic,
            &morgan.account_id,
            LicenseRole::Manager
        )
        .await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::unassign(store, &as_actor(morgan), lic, &uma.account_id).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(users_state(store, uma, lic).await, before);
    assert_eq!(audit_count(store, lic, "user.role_changed").await, 2);

    // Uma may unassign Morgan, a plain user now; his devices go with him.
    let change = users::unassign(store, &as_actor(uma), lic, &morgan.account_id)
        .await
        .expect("unassign Morgan");
    assert_eq!(change.devices_deactivated, 2);
    let view = users_of(store, uma, lic).await;
    assert_eq!(view.users.len(), 1);
    assert_eq!(view.managers(), 1);
}

#[tokio::test]
async fn two_managers_may_remove_each_other_but_not_the_last() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let (morgan, uma) = (&a.manager, &a.user);
    users::set_role(
        store,
        &as_actor(morgan),
        lic,
        &uma.account_id,
        LicenseRole::Manager,
    )
    .await
    .unwrap();
    // A manager may unassign another manager while one remains.
    let change = users::unassign(store, &as_actor(uma), lic, &morgan.account_id)
        .await
        .expect("unassign the other manager");
    assert_eq!(change.devices_deactivated, 2);
    assert_eq!(
        licenses::get(store, morgan, lic).await,
        Err(AppError::not_found(Thing::License))
    );
    let before = users_state(store, uma, lic).await;
    assert_eq!(before.users.managers(), 1);
    assert_eq!(
        users::unassign(store, &as_actor(uma), lic, &uma.account_id).await,
        Err(last_manager())
    );
    assert_eq!(users_state(store, uma, lic).await, before);
}
