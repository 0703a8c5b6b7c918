//! Vendor staff: lifting the deactivation limit, limits, suspension, the tenant's licenses.

use super::*;

#[tokio::test]
async fn the_vendor_lifts_the_deactivation_limit_with_a_reason() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let other_support = vendor_admin(store, &b, "support@othersoft.example").await;

    // The customer spends the budget and is refused the next reset.
    let (_, devices) = snapshot(store, &a.manager, &a.license_id).await;
    for d in &devices[..3] {
        devices::reset(store, &as_actor(&a.manager), &d.id)
            .await
            .expect("reset");
    }
    let last = devices[3].id.clone();
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &last).await,
        Err(AppError::DeactivationLimitReached { allowed: 3 })
    );
    let spent = snapshot(store, &a.manager, &a.license_id).await;
    let audit = tenant_audit_count(store, &a.manager.tenant_id).await;

    // Only the tenant's own vendor staff may lift it, and only with a reason; nothing changes.
    for (who, expected) in [
        (&a.manager, AppError::Forbidden),
        (&a.user, AppError::Forbidden),
        (&other_support, AppError::not_found(Thing::License)),
    ] {
        assert_eq!(
            licenses::reset_deactivation_limit(
                store,
                &as_actor(who),
                &a.license_id,
                "asked nicely"
            )
            .await,
            Err(expected)
        );
    }
    for reason in ["", "   "] {
        assert!(matches!(
            licenses::reset_deactivation_limit(store, &as_actor(&support), &a.license_id, reason).await,
            Err(AppError::Invalid { ref field, .. }) if field.name() == "Reason"
        ));
    }
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, spent);
    assert_eq!(tenant_audit_count(store, &a.manager.tenant_id).await, audit);

    licenses::reset_deactivation_limit(
        store,
        &as_actor(&support),
        &a.license_id,
        " Customer replaced three laptops ",
    )
    .await
    .expect("support lifts the limit");
    let lifted = licenses::get(store, &a.manager, &a.license_id)
        .await
        .unwrap();
    assert_eq!(
        (lifted.deactivations_used, lifted.deactivations_left()),
        (0, 3)
    );
    let (actor, subject): (Option<String>, String) = sqlx::query_as(
        "SELECT actor_id, subject FROM audit_events \
         WHERE license_id = $1 AND action = 'license.deactivation_limit_reset'",
    )
    .bind(&a.license_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(actor.as_deref(), Some(support.account_id.as_str()));
    assert_eq!(
        AuditSubject::from_stored(&subject),
        AuditSubject::DeactivationLimitReset {
            used_before: 3,
            reason: "Customer replaced three laptops".into()
        }
    );

    // The customer's reset works again.
    devices::reset(store, &as_actor(&a.manager), &last)
        .await
        .expect("reset after the limit was lifted");
}

#[tokio::test]
async fn limits_never_fall_below_what_is_in_use() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let lic = &a.license_id;
    let before = snapshot(store, &a.manager, lic).await;
    let until = before.0.valid_until;
    devices::reset(store, &as_actor(&a.manager), &before.1[0].id)
        .await
        .unwrap();
    let before = snapshot(store, &a.manager, lic).await;
    let audit = tenant_audit_count(store, &a.manager.tenant_id).await;

    // Seats 2 in use, devices 3 active, 1 deactivation used.
    for (bad, field) in [
        (limits(1, 10, 3, until), "Seats"),
        (limits(0, 10, 3, until), "Seats"),
        (limits(5, 2, 3, until), "Devices"),
        (limits(5, 10, 0, until), "Deactivations"),
        (limits(5, 10, 3, before.0.valid_from), "Valid until"),
    ] {
        match licenses::update_limits(store, &as_actor(&support), lic, &bad).await {
            Err(AppError::Invalid { field: f, .. }) => assert_eq!(f.name(), field, "{bad:?}"),
            other => panic!("{bad:?}: expected Invalid {field}, got {other:?}"),
        }
    }
    assert_eq!(
        licenses::update_limits(store, &as_actor(&a.manager), lic, &limits(9, 9, 9, until)).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(snapshot(store, &a.manager, lic).await, before);
    assert_eq!(tenant_audit_count(store, &a.manager.tenant_id).await, audit);

    // Exactly at what is in use is fine, and so is raising.
    licenses::update_limits(
        store,
        &as_actor(&support),
        lic,
        &limits(2, 3, 1, until + 1000),
    )
    .await
    .expect("limits at what is in use");
    let l = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        (
            l.max_users,
            l.max_activations,
            l.max_deactivations,
            l.valid_until
        ),
        (2, 3, 1, until + 1000)
    );
    assert_eq!(audit_count(store, lic, "license.limits_changed").await, 1);
}

#[tokio::test]
async fn a_suspended_license_refuses_the_desktop_app_until_resumed() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let lic = &a.license_id;
    let login =
        devices::ActivationAuth::Credentials(creds(&a.company, &a.user_email(), DEMO_PASSWORD));

    assert_eq!(
        licenses::set_suspended(store, &as_actor(&a.manager), lic, true).await,
        Err(AppError::Forbidden)
    );
    licenses::set_suspended(store, &as_actor(&support), lic, true)
        .await
        .expect("suspend");
    assert_eq!(
        licenses::get(store, &a.user, lic).await.unwrap().status,
        LicenseStatus::Suspended
    );
    assert_eq!(
        devices::activation_target(store, &login, IP, &THROTTLE).await,
        Err(AppError::LicenseInactive)
    );
    assert!(matches!(
        licenses::set_suspended(store, &as_actor(&support), lic, true).await,
        Err(AppError::Conflict { .. })
    ));
    licenses::set_suspended(store, &as_actor(&support), lic, false)
        .await
        .expect("resume");
    assert_eq!(
        licenses::get(store, &a.user, lic).await.unwrap().status,
        LicenseStatus::Active
    );
    assert!(devices::activation_target(store, &login, IP, &THROTTLE)
        .await
        .is_ok());
    assert_eq!(audit_count(store, lic, "license.suspended").await, 1);
    assert_eq!(audit_count(store, lic, "license.resumed").await, 1);
}

#[tokio::test]
async fn vendor_staff_list_their_own_tenants_licenses() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let (_, initech_license, _) = other_customer_with_license(
        store,
        &a.company,
        &a.manager.tenant_id,
        "Initech",
        "boss@initech.example",
    )
    .await;

    let all = licenses::list_for_tenant(store, &support, None)
        .await
        .unwrap();
    let ids: BTreeSet<String> = all.iter().map(|t| t.license.id.clone()).collect();
    assert_eq!(ids, set(&[&a.license_id, &initech_license]));
    assert!(!ids.contains(&b.license_id));
    let acme = &all
        .iter()
        .find(|t| t.license.id == a.license_id)
        .unwrap()
        .license;
    assert_eq!(
        (
            acme.seats_used,
            acme.max_users,
            acme.devices_active,
            acme.max_activations
        ),
        (2, 5, 4, 10)
    );
    let found = licenses::list_for_tenant(store, &support, Some("ACME"))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].license.id, a.license_id);
    assert!(
        licenses::list_for_tenant(store, &support, Some("no such customer"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        licenses::list_for_tenant(store, &a.manager, None).await,
        Err(AppError::Forbidden)
    );
}

#[tokio::test]
async fn a_tenant_and_its_first_admin_are_created_together_or_not_at_all() {
    let (store, _url, _dir) = database().await;
    let company = fresh_company();
    let tenants_named = |key: String| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tenants WHERE company_key = $1")
                .bind(key)
                .fetch_one(store.pool())
                .await
                .unwrap()
        }
    };
    for (email, name, password, field) in [
        ("not-an-email", "Ada Admin", DEMO_PASSWORD, "Email"),
        ("ada@vendor.example", "", DEMO_PASSWORD, "Name"),
        ("ada@vendor.example", "Ada Admin", "short", "Password"),
    ] {
        match tenants::create_tenant_with_admin(&store, &company, "Vendor", email, name, password)
            .await
        {
            Err(AppError::Invalid { field: f, .. }) => assert_eq!(f.name(), field),
            other => panic!("expected Invalid {field}, got {other:?}"),
        }
    }
    assert!(matches!(
        tenants::create_tenant_with_admin(&store, "bad id!", "Vendor", "ada@vendor.example", "Ada", DEMO_PASSWORD).await,
        Err(AppError::Invalid { ref field, .. }) if field.name() == "Company ID"
    ));
    assert_eq!(tenants_named(company.to_lowercase()).await, 0);

    tenants::create_tenant_with_admin(
        &store,
        &company,
        "Vendor",
        "ada@vendor.example",
        "Ada Admin",
        DEMO_PASSWORD,
    )
    .await
    .expect("create tenant with admin");
    let ada = principal(&store, &company, "ada@vendor.example").await;
    assert_eq!(ada.kind, AccountKind::VendorAdmin);
    assert_eq!(ada.customer_id, None);
    assert!(matches!(
        tenants::create_tenant_with_admin(
            &store,
            &company.to_uppercase(),
            "Vendor",
            "bob@vendor.example",
            "Bob",
            DEMO_PASSWORD
        )
        .await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(tenants_named(company.to_lowercase()).await, 1);
    assert_eq!(account_count(&store, &ada.tenant_id).await, 1);
}

#[tokio::test]
async fn vendor_staff_create_customer_accounts_with_a_link() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let customer = a.manager.customer_id.clone().unwrap();
    let foreign = b.manager.customer_id.clone().unwrap();
    let accounts = account_count(store, &a.manager.tenant_id).await;

    assert_eq!(
        users::create_for_customer(
            store,
            &as_actor(&a.manager),
            &customer,
            ("Ann", "ann@acme.example"),
            Some(&portal())
        )
        .await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::create_for_customer(
            store,
            &as_actor(&support),
            &foreign,
            ("Ann", "ann@acme.example"),
            Some(&portal())
        )
        .await,
        Err(AppError::not_found(Thing::Customer))
    );
    assert_eq!(account_count(store, &a.manager.tenant_id).await, accounts);

    let created = users::create_for_customer(
        store,
        &as_actor(&support),
        &customer,
        ("Ann Owner", "ann@acme.example"),
        Some(&portal()),
    )
    .await
    .expect("create a customer account");
    let token = created.set_password_token.expect("a set-password link");
    users::set_password_with_link(store, &token, "ann-password", "ann-password", IP)
        .await
        .expect("the link sets the password");
    let ann = auth::check_credentials(
        store,
        &creds(&a.company, "ann@acme.example", "ann-password"),
        IP,
    )
    .await
    .expect("Ann logs in");
    assert_eq!(ann.customer_id.as_deref(), Some(customer.as_str()));
}
