//! Purchases raise one license; concurrent step-downs, link redemptions and first purchases.

use super::*;

#[tokio::test]
async fn purchases_raise_the_same_license() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let tenant_id = a.manager.tenant_id.clone();
    let customer_id = a.manager.customer_id.clone().unwrap();
    let now = licensing::now_millis();
    let order = |license_type: LicenseType, subscriptions: i64| licenses::NewLicense {
        tenant_id: tenant_id.clone(),
        customer_id: customer_id.clone(),
        product: "CodeGlass".into(),
        license_type,
        subscriptions,
        seats_per_subscription: 5,
        max_activations: 10 * subscriptions,
        max_deactivations: 3,
        valid_from: now,
        valid_until: now + 1_000_000,
        owner_account_id: a.manager.account_id.clone(),
    };
    let l0 = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        (l0.subscriptions, l0.max_users, l0.max_activations),
        (1, 5, 10)
    );

    // Two more subscriptions of the same product and type raise the one license.
    assert_eq!(
        licenses::purchase(store, &order(LicenseType::Organisation, 2), None).await,
        Ok(licenses::Purchase {
            license_id: lic.clone(),
            created: false,
        })
    );
    let l1 = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        (l1.subscriptions, l1.max_users, l1.max_activations),
        (3, 15, 30)
    );
    assert_eq!(
        License {
            subscriptions: l0.subscriptions,
            max_users: l0.max_users,
            max_activations: l0.max_activations,
            ..l1.clone()
        },
        l0,
        "nothing else changes"
    );
    for who in [&a.manager, &a.user] {
        let listed = licenses::list(store, who).await.unwrap();
        assert_eq!(listed.len(), 1, "{}", who.email);
        assert_eq!(listed[0].id, *lic);
    }
    assert_eq!(
        audit_rows(store, lic, "license.subscriptions_added").await,
        vec![(None, AuditSubject::SubscriptionsAdded { count: 2 }, None)]
    );
    assert_eq!(audit_count(store, lic, "license.created").await, 1);
    assert_eq!(users_of(store, &a.manager, lic).await.max_users, 15);

    // add_subscriptions directly, once more.
    licenses::add_subscriptions(store, lic, 1, Some(&a.manager.account_id))
        .await
        .unwrap();
    let l2 = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        (l2.subscriptions, l2.max_users, l2.max_activations),
        (4, 20, 40)
    );

    // Refused: another type of the same product, no subscription at all, a second license of
    // the same product. None changes anything.
    let before = users_state(store, &a.manager, lic).await;
    for other in [LicenseType::Experimental, LicenseType::Personal] {
        let refused = licenses::purchase(store, &order(other, 1), None).await;
        match &refused {
            Err(AppError::Conflict { reason }) => assert_eq!(
                reason,
                &ConflictReason::OtherLicenseType {
                    product: "CodeGlass".into(),
                    license_type: LicenseType::Organisation
                }
            ),
            other => panic!("expected a conflict, got {other:?}"),
        }
    }
    assert_eq!(
        licenses::purchase(store, &order(LicenseType::Organisation, 0), None).await,
        Err(AppError::invalid(
            Field::Subscriptions,
            InvalidReason::AtLeast { min: 1 }
        ))
    );
    assert_eq!(
        licenses::add_subscriptions(store, lic, 0, None).await,
        Err(AppError::invalid(
            Field::Subscriptions,
            InvalidReason::AtLeast { min: 1 }
        ))
    );
    assert_eq!(
        licenses::add_subscriptions(store, "no-such-license", 1, None).await,
        Err(AppError::not_found(Thing::License))
    );
    assert!(matches!(
        licenses::create(store, &order(LicenseType::Organisation, 1), None).await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(users_state(store, &a.manager, lic).await, before);
    assert_eq!(licenses::list(store, &a.manager).await.unwrap().len(), 1);

    // Another customer's first purchase of the product creates their own license.
    let initech = tenants::create_customer(store, &tenant_id, "Initech")
        .await
        .unwrap();
    let boss = new_customer_account(store, &tenant_id, &initech, "boss@initech.example").await;
    let first = licenses::purchase(
        store,
        &licenses::NewLicense {
            customer_id: initech.clone(),
            owner_account_id: boss.clone(),
            ..order(LicenseType::Experimental, 1)
        },
        None,
    )
    .await
    .unwrap();
    assert!(first.created);
    assert_ne!(first.license_id, *lic);
    assert_eq!(
        users_state(store, &a.manager, lic).await.license,
        before.license
    );

    // A Personal license keeps its one user however many subscriptions are bought.
    let solo_customer = tenants::create_customer(store, &tenant_id, "Solo Dev")
        .await
        .unwrap();
    let solo_id =
        new_customer_account(store, &tenant_id, &solo_customer, "solo@solo.example").await;
    let personal = |subscriptions: i64| licenses::NewLicense {
        customer_id: solo_customer.clone(),
        owner_account_id: solo_id.clone(),
        seats_per_subscription: 1,
        max_activations: 3 * subscriptions,
        ..order(LicenseType::Personal, subscriptions)
    };
    let bought = licenses::purchase(store, &personal(1), None).await.unwrap();
    assert!(bought.created);
    let solo = principal(store, &a.company, "solo@solo.example").await;
    let p0 = licenses::get(store, &solo, &bought.license_id)
        .await
        .unwrap();
    assert_eq!(
        (
            p0.subscriptions,
            p0.max_users,
            p0.max_activations,
            p0.my_role
        ),
        (1, 1, 3, LicenseRole::User)
    );
    assert_eq!(
        licenses::purchase(store, &personal(2), None).await,
        Ok(licenses::Purchase {
            license_id: bought.license_id.clone(),
            created: false,
        })
    );
    let p1 = licenses::get(store, &solo, &bought.license_id)
        .await
        .unwrap();
    assert_eq!(
        (
            p1.subscriptions,
            p1.max_users,
            p1.max_activations,
            p1.seats_used
        ),
        (3, 1, 9, 1)
    );
    assert_eq!(licenses::list(store, &solo).await.unwrap().len(), 1);

    // Its owner is its user, not a manager: there is no Users tab to use.
    let extra =
        new_customer_account(store, &tenant_id, &solo_customer, "friend@solo.example").await;
    let solo_audit = tenant_audit_count(store, &tenant_id).await;
    let solo_accounts = account_count(store, &tenant_id).await;
    let pl = &bought.license_id;
    assert_eq!(
        users::list(store, &solo, pl).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::create(
            store,
            &as_actor(&solo),
            pl,
            &new_user(
                "Friend Two",
                "friend2@solo.example",
                Some("friend-password"),
                true
            ),
            &portal()
        )
        .await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::assign(store, &as_actor(&solo), pl, &extra).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::unassign(store, &as_actor(&solo), pl, &solo.account_id).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(&solo),
            pl,
            &solo.account_id,
            LicenseRole::Manager
        )
        .await,
        Err(AppError::Forbidden)
    );
    // Not even the vendor's staff manage users on it.
    tenants::create_account(
        store,
        &NewAccount {
            tenant_id: &tenant_id,
            customer_id: None,
            kind: AccountKind::VendorAdmin,
            email: "support@codeglass.example",
            name: "Vendor Support",
            password: DEMO_PASSWORD,
        },
    )
    .await
    .unwrap();
    let support = principal(store, &a.company, "support@codeglass.example").await;
    let personal_refused = AppError::conflict(ConflictReason::PersonalHasNoUsers);
    assert_eq!(
        users::list(store, &support, pl).await,
        Err(personal_refused.clone())
    );
    assert_eq!(
        users::assign(store, &as_actor(&support), pl, &extra).await,
        Err(personal_refused)
    );
    assert_eq!(
        licenses::get(store, &solo, pl).await.unwrap(),
        p1,
        "nothing changed"
    );
    assert_eq!(tenant_audit_count(store, &tenant_id).await, solo_audit);
    assert_eq!(account_count(store, &tenant_id).await, solo_accounts + 1);
    login_fails(store, &a.company, "friend2@solo.example", "friend-password").await;
}

/// Two managers stepping down at the same moment (through two pools): one of them stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_step_downs_keep_a_manager() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let second = Store::connect(&w.url).await.expect("second pool");
    users::set_role(
        store,
        &as_actor(&a.manager),
        lic,
        &a.user.account_id,
        LicenseRole::Manager,
    )
    .await
    .unwrap();
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let tasks: Vec<_> = [(store.clone(), a.manager.clone()), (second, a.user.clone())]
        .into_iter()
        .map(|(store, who)| {
            let (lic, barrier) = (lic.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                users::set_role(
                    &store,
                    &as_actor(&who),
                    &lic,
                    &who.account_id,
                    LicenseRole::User,
                )
                .await
            })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.expect("task"));
    }
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert_eq!(
        results
            .iter()
            .filter(|r| **r == Err(last_manager()))
            .count(),
        1,
        "{results:?}"
    );
    let roles: Vec<String> =
        sqlx::query_scalar("SELECT role FROM license_users WHERE license_id = $1")
            .bind(lic)
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(roles.iter().filter(|r| *r == "manager").count(), 1);
    assert_eq!(audit_count(store, lic, "user.role_changed").await, 2);
}

/// One set-password link redeemed many times at once (through two pools): it sets exactly one
/// password, and every other attempt is told the link is used.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_link_redemptions_set_one_password() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let second = Store::connect(&w.url).await.expect("second pool");
    let created = users::create(
        store,
        &as_actor(&a.manager),
        &a.license_id,
        &new_user("Rita Race", "rita@acme.example", None, true),
        &portal(),
    )
    .await
    .unwrap();
    let token = created.set_password_token.unwrap();
    let n = 8;
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let store = if i % 2 == 0 {
                store.clone()
            } else {
                second.clone()
            };
            let (token, barrier) = (token.clone(), barrier.clone());
            tokio::spawn(async move {
                let password = format!("rita-password-{i}");
                barrier.wait().await;
                let result =
                    users::set_password_with_link(&store, &token, &password, &password, IP).await;
                (password, result)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for t in tasks {
        let (password, result) = t.await.expect("task");
        match result {
            Ok(link) => {
                assert_eq!(link.email, "rita@acme.example");
                winners.push(password);
            }
            Err(e) => assert_eq!(e, link_refused(), "{password}"),
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let rita = principal_with(store, &a.company, "rita@acme.example", &winners[0]).await;
    assert_eq!(Some(&rita.account_id), created.account_id.as_ref());
    for i in 0..n {
        let password = format!("rita-password-{i}");
        if password != winners[0] {
            login_fails(store, &a.company, "rita@acme.example", &password).await;
        }
    }
    let set: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'user.password_set' AND actor_id = $1",
    )
    .bind(&created.account_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(set, 1);
}

/// Simultaneous first purchases of a product by one customer (through two pools): one creates
/// the license, every other raises it, and no subscription is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_purchases_make_one_license() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let second = Store::connect(&w.url).await.expect("second pool");
    let tenant_id = a.manager.tenant_id.clone();
    let initech = tenants::create_customer(store, &tenant_id, "Initech")
        .await
        .unwrap();
    let boss = new_customer_account(store, &tenant_id, &initech, "boss@initech.example").await;
    let now = licensing::now_millis();
    let order = licenses::NewLicense {
        tenant_id: tenant_id.clone(),
        customer_id: initech.clone(),
        product: "CodeGlass".into(),
        license_type: LicenseType::Organisation,
        subscriptions: 1,
        seats_per_subscription: 5,
        max_activations: 10,
        max_deactivations: 3,
        valid_from: now,
        valid_until: now + 1_000_000,
        owner_account_id: boss,
    };
    let n = 6;
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let store = if i % 2 == 0 {
                store.clone()
            } else {
                second.clone()
            };
            let (order, barrier) = (order.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                licenses::purchase(&store, &order, None).await
            })
        })
        .collect();
    let mut bought = Vec::new();
    for t in tasks {
        bought.push(t.await.expect("task").expect("every purchase succeeds"));
    }
    assert_eq!(bought.iter().filter(|p| p.created).count(), 1, "{bought:?}");
    assert!(bought.iter().all(|p| p.license_id == bought[0].license_id));
    let boss = principal(store, &a.company, "boss@initech.example").await;
    let listed = licenses::list(store, &boss).await.unwrap();
    assert_eq!(listed.len(), 1);
    let n = n as i64;
    assert_eq!(
        (
            listed[0].subscriptions,
            listed[0].max_users,
            listed[0].max_activations
        ),
        (n, 5 * n, 10 * n)
    );
    assert_eq!(
        audit_count(store, &listed[0].id, "license.subscriptions_added").await,
        n - 1
    );
    assert_eq!(
        audit_count(store, &listed[0].id, "license.created").await,
        1
    );
}
