//! Tenant and customer isolation.

use super::*;

#[tokio::test]
async fn tenants_are_isolated() {
    let w = world().await;
    let store = &w.store;
    let a = &w.a;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    assert_ne!(a.manager.tenant_id, b.manager.tenant_id);

    let a_before = snapshot(store, &a.manager, &a.license_id).await;
    let a_audit = tenant_audit_count(store, &a.manager.tenant_id).await;
    let a_device = a_before.1[0].id.clone();
    let a_user_device = named(&a_before.1, "Uma's laptop").id.clone();

    for intruder in [&b.manager, &b.user] {
        assert_eq!(
            licenses::get(store, intruder, &a.license_id).await,
            Err(AppError::not_found(Thing::License))
        );
        assert_eq!(
            devices::list(store, &as_actor(intruder), &a.license_id).await,
            Err(AppError::not_found(Thing::License))
        );
        for device in [&a_device, &a_user_device] {
            assert_eq!(
                devices::reset(store, &as_actor(intruder), device).await,
                Err(AppError::not_found(Thing::Device))
            );
        }
        let own = licenses::list(store, intruder).await.unwrap();
        assert_eq!(own.len(), 1);
        assert_eq!(own[0].id, b.license_id);
    }

    // Tenant A's accounts cannot log in under tenant B's company ID, nor the other way round.
    assert_eq!(
        auth::check_credentials(
            store,
            &creds(&b.company, &a.manager_email(), DEMO_PASSWORD),
            IP
        )
        .await,
        Err(AppError::InvalidCredentials)
    );
    assert_eq!(
        auth::check_credentials(
            store,
            &creds(&a.company, &b.user_email(), DEMO_PASSWORD),
            IP
        )
        .await,
        Err(AppError::InvalidCredentials)
    );

    // Tenant B's manager cannot pull a tenant A account onto tenant B's license.
    assert_eq!(
        users::grant_seat(
            store,
            &b.license_id,
            &a.user.account_id,
            LicenseRole::User,
            None
        )
        .await,
        Err(AppError::not_found(Thing::Account))
    );

    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, a_before);
    assert_eq!(
        tenant_audit_count(store, &a.manager.tenant_id).await,
        a_audit
    );
    let b_after = licenses::get(store, &b.manager, &b.license_id)
        .await
        .unwrap();
    assert_eq!((b_after.seats_used, b_after.deactivations_used), (2, 0));
}

/// Within one tenant, the manager of one customer reaches nothing of another customer.
#[tokio::test]
async fn customers_of_one_tenant_are_isolated() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let tenant_id = &a.manager.tenant_id;
    let other_customer = tenants::create_customer(store, tenant_id, "Initech")
        .await
        .unwrap();
    let other_owner =
        new_customer_account(store, tenant_id, &other_customer, "boss@initech.example").await;
    let now = licensing::now_millis();
    let other_license = licenses::create(
        store,
        &licenses::NewLicense {
            tenant_id: tenant_id.clone(),
            customer_id: other_customer.clone(),
            product: "CodeGlass".into(),
            license_type: LicenseType::Organisation,
            subscriptions: 1,
            seats_per_subscription: 5,
            max_activations: 10,
            max_deactivations: 3,
            valid_from: now,
            valid_until: now + 1_000_000,
            owner_account_id: other_owner.clone(),
        },
        None,
    )
    .await
    .unwrap();
    let other_device = activate(store, &other_license, &other_owner, "initech-1")
        .await
        .unwrap();
    let boss = principal(store, &a.company, "boss@initech.example").await;
    let before = snapshot(store, &boss, &other_license).await;

    assert_eq!(
        licenses::get(store, &a.manager, &other_license).await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(
        devices::list(store, &as_actor(&a.manager), &other_license).await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &other_device.device_id).await,
        Err(AppError::not_found(Thing::Device))
    );
    assert_eq!(snapshot(store, &boss, &other_license).await, before);
    assert_eq!(before.1.len(), 1);
}
