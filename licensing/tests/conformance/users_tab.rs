//! The Users tab: listing license users, creating accounts, passwords and set-password links.

use super::*;

fn email_taken(email: &str) -> AppError {
    AppError::conflict(ConflictReason::EmailTaken {
        email: email.to_owned(),
    })
}

#[tokio::test]
async fn users_tab_lists_users_seats_and_candidates() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let tenant_id = &a.manager.tenant_id;
    let customer_id = a.manager.customer_id.clone().unwrap();
    let extra = new_customer_account(store, tenant_id, &customer_id, "extra@acme.example").await;
    // Not candidates: an account of another customer of the tenant, the vendor's own staff, and
    // anyone of another tenant.
    let (_, other_license, boss) = other_customer_with_license(
        store,
        &a.company,
        tenant_id,
        "Initech",
        "boss@initech.example",
    )
    .await;
    let initech = boss.customer_id.clone().unwrap();
    new_customer_account(store, tenant_id, &initech, "peter@initech.example").await;
    tenants::create_account(
        store,
        &NewAccount {
            tenant_id,
            customer_id: None,
            kind: AccountKind::VendorAdmin,
            email: "support@codeglass.example",
            name: "Vendor Support",
            password: DEMO_PASSWORD,
        },
    )
    .await
    .unwrap();
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;

    let view = users::list(store, &a.manager, lic)
        .await
        .expect("the manager lists the users");
    assert_eq!(view.license_id, *lic);
    let people: Vec<_> = view
        .users
        .iter()
        .map(|u| {
            (
                u.account_id.as_str(),
                u.name.as_str(),
                u.email.as_str(),
                u.role,
                u.devices_active,
            )
        })
        .collect();
    assert_eq!(
        people,
        vec![
            (
                a.manager.account_id.as_str(),
                "Morgan Manager",
                a.manager_email().as_str(),
                LicenseRole::Manager,
                2
            ),
            (
                a.user.account_id.as_str(),
                "Uma User",
                a.user_email().as_str(),
                LicenseRole::User,
                2
            ),
        ]
    );
    assert!(view
        .users
        .iter()
        .all(|u| (licensing::now_millis() - u.assigned_at).abs() < 60_000));
    assert_eq!((view.seats_used, view.max_users), (2, 5));
    assert_eq!((view.seats_left(), view.managers()), (3, 1));
    assert_eq!(
        view.candidates,
        vec![users::Candidate {
            account_id: extra.clone(),
            name: "Extra Person".into(),
            email: "extra@acme.example".into(),
            invitation_pending: false,
        }]
    );
    // The tab counts seats as the license does.
    let l = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        (view.seats_used, view.max_users),
        (l.seats_used, l.max_users)
    );

    // A person's device count follows their devices.
    let laptop = named(&snapshot(store, &a.manager, lic).await.1, "Uma's laptop")
        .id
        .clone();
    devices::reset(store, &as_actor(&a.user), &laptop)
        .await
        .unwrap();
    let view = users_of(store, &a.manager, lic).await;
    let uma = view
        .users
        .iter()
        .find(|u| u.account_id == a.user.account_id)
        .unwrap();
    assert_eq!(uma.devices_active, 1);

    // The vendor's staff see the same tab for their own tenant's licenses, and no other's.
    let support = principal(store, &a.company, "support@codeglass.example").await;
    assert_eq!(users::list(store, &support, lic).await, Ok(view.clone()));
    assert_eq!(
        users::list(store, &support, &b.license_id).await,
        Err(AppError::not_found(Thing::License))
    );

    // Each manager sees their own customer's people only.
    let theirs = users_of(store, &boss, &other_license).await;
    assert_eq!(theirs.users.len(), 1);
    assert_eq!(theirs.users[0].email, "boss@initech.example");
    assert_eq!(theirs.users[0].role, LicenseRole::Manager);
    assert_eq!(
        theirs
            .candidates
            .iter()
            .map(|c| c.email.as_str())
            .collect::<Vec<_>>(),
        vec!["peter@initech.example"]
    );
    let globex = users_of(store, &b.manager, &b.license_id).await;
    assert_eq!(globex.users.len(), 2);
    assert!(globex.candidates.is_empty());
}

#[tokio::test]
async fn users_tab_is_for_the_licenses_managers_only() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let tenant_id = &a.manager.tenant_id;
    let customer_id = a.manager.customer_id.clone().unwrap();
    let extra = new_customer_account(store, tenant_id, &customer_id, "extra@acme.example").await;
    let (_, boss_license, boss) = other_customer_with_license(
        store,
        &a.company,
        tenant_id,
        "Initech",
        "boss@initech.example",
    )
    .await;
    let outsider = new_customer_account(
        store,
        tenant_id,
        boss.customer_id.as_deref().unwrap(),
        "peter@initech.example",
    )
    .await;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;

    let a_before = users_state(store, &a.manager, lic).await;
    let boss_before = users_state(store, &boss, &boss_license).await;
    let b_before = users_state(store, &b.manager, &b.license_id).await;

    // A license user may look at nothing and change nothing; a manager of another customer of
    // the tenant, or of another tenant, does not even learn that the license exists.
    let callers = [
        (&a.user, AppError::Forbidden),
        (&boss, AppError::not_found(Thing::License)),
        (&b.manager, AppError::not_found(Thing::License)),
        (&b.user, AppError::not_found(Thing::License)),
    ];
    for (who, refused) in &callers {
        let why = format!("{} on {}", who.email, a.customer);
        assert_eq!(
            users::list(store, who, lic).await,
            Err(refused.clone()),
            "{why}"
        );
        for (password, assign) in [(Some("new-password"), true), (None, false)] {
            assert_eq!(
                users::create(
                    store,
                    &as_actor(who),
                    lic,
                    &new_user("New Person", "new@acme.example", password, assign),
                    &portal()
                )
                .await,
                Err(refused.clone()),
                "{why}"
            );
        }
        assert_eq!(
            users::assign(store, &as_actor(who), lic, &extra).await,
            Err(refused.clone()),
            "{why}"
        );
        for target in [&a.user.account_id, &a.manager.account_id, &who.account_id] {
            assert_eq!(
                users::unassign(store, &as_actor(who), lic, target).await,
                Err(refused.clone()),
                "{why}"
            );
            for role in [LicenseRole::Manager, LicenseRole::User] {
                assert_eq!(
                    users::set_role(store, &as_actor(who), lic, target, role).await,
                    Err(refused.clone()),
                    "{why}"
                );
            }
        }
    }
    login_fails(store, &a.company, "new@acme.example", "new-password").await;

    // The manager cannot reach people of another customer or tenant through this license.
    let foreign = [
        outsider.as_str(),
        boss.account_id.as_str(),
        b.manager.account_id.as_str(),
        b.user.account_id.as_str(),
        "no-such-account",
    ];
    for id in foreign {
        assert_eq!(
            users::assign(store, &as_actor(&a.manager), lic, id).await,
            Err(AppError::not_found(Thing::Account)),
            "{id}"
        );
        assert_eq!(
            users::unassign(store, &as_actor(&a.manager), lic, id).await,
            Err(AppError::not_found(Thing::User)),
            "{id}"
        );
        for role in [LicenseRole::Manager, LicenseRole::User] {
            assert_eq!(
                users::set_role(store, &as_actor(&a.manager), lic, id, role).await,
                Err(AppError::not_found(Thing::User)),
                "{id}"
            );
        }
    }
    // An account of the customer that holds no seat has no seat to take away or change.
    assert_eq!(
        users::unassign(store, &as_actor(&a.manager), lic, &extra).await,
        Err(AppError::not_found(Thing::User))
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(&a.manager),
            lic,
            &extra,
            LicenseRole::Manager
        )
        .await,
        Err(AppError::not_found(Thing::User))
    );
    // An unknown license is not found.
    assert_eq!(
        users::list(store, &a.manager, "no-such-license").await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(
        users::assign(store, &as_actor(&a.manager), "no-such-license", &extra).await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(
        users::create(
            store,
            &as_actor(&a.manager),
            "no-such-license",
            &new_user(
                "New Person",
                "new@acme.example",
                Some("new-password"),
                false
            ),
            &portal()
        )
        .await,
        Err(AppError::not_found(Thing::License))
    );

    assert_eq!(users_state(store, &a.manager, lic).await, a_before);
    assert_eq!(users_state(store, &boss, &boss_license).await, boss_before);
    assert_eq!(
        users_state(store, &b.manager, &b.license_id).await,
        b_before
    );
    login_fails(store, &a.company, "new@acme.example", "new-password").await;
    assert!(a_before
        .users
        .candidates
        .iter()
        .any(|c| c.account_id == extra));
}

#[tokio::test]
async fn create_user_with_a_password_and_a_seat() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let tenant_id = &a.manager.tenant_id;
    other_customer_with_license(
        store,
        &a.company,
        tenant_id,
        "Initech",
        "boss@initech.example",
    )
    .await;

    let created = users::create(
        store,
        &Actor::new(a.manager.clone(), "203.0.113.9"),
        lic,
        &new_user(
            "  Nora New ",
            " Nora@Acme.Example ",
            Some("nora-password"),
            true,
        ),
        &portal(),
    )
    .await
    .expect("the manager creates a user");
    assert_eq!(
        created,
        users::CreatedUser {
            account_id: created.account_id.clone(),
            name: "Nora New".into(),
            email: "nora@acme.example".into(),
            assigned: true,
            invited: false,
            set_password_token: None,
        }
    );

    // The new person logs in with the password given, as a license user of exactly this license.
    let nora = auth::check_credentials(
        store,
        &creds(&a.company, "nora@acme.example", "nora-password"),
        IP,
    )
    .await
    .expect("the new user logs in");
    assert_eq!(Some(&nora.account_id), created.account_id.as_ref());
    assert_eq!(nora.kind, AccountKind::Customer);
    assert_eq!(nora.customer_id, a.manager.customer_id);
    assert_eq!(nora.name, "Nora New");
    let dash = licenses::dashboard(store, &nora).await.unwrap();
    assert_eq!(
        (dash.role, dash.license_count),
        (Some(LicenseRole::User), 1)
    );
    let theirs = licenses::list(store, &nora).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(
        (theirs[0].id.as_str(), theirs[0].my_role),
        (lic.as_str(), LicenseRole::User)
    );
    let view = users_of(store, &a.manager, lic).await;
    assert_eq!(view.seats_used, 3);
    let row = view
        .users
        .iter()
        .find(|u| Some(&u.account_id) == created.account_id.as_ref())
        .expect("listed");
    assert_eq!(
        (row.name.as_str(), row.role, row.devices_active),
        ("Nora New", LicenseRole::User, 0)
    );
    assert!(view.candidates.is_empty());
    assert_eq!(
        audit_rows(store, lic, "user.created").await,
        vec![(
            Some(a.manager.account_id.clone()),
            AuditSubject::Account {
                name: "Nora New".into(),
                email: "nora@acme.example".into(),
                assigned: true
            },
            Some("203.0.113.9".to_owned())
        )]
    );

    // Refused creations: each is its exact error, and none leaves anything behind.
    let before = users_state(store, &a.manager, lic).await;
    let cases = [
        // An email already used in the tenant, in any case and by any of its customers.
        (
            "Uma Again",
            "USER@acme.example",
            "uma-again-password",
            email_taken(&a.user_email()),
        ),
        (
            "Nora Again",
            "nora@ACME.example",
            "nora-again-password",
            email_taken("nora@acme.example"),
        ),
        (
            "No At",
            "not-an-email",
            "fine-password",
            AppError::invalid(Field::Email, InvalidReason::EmailFormat),
        ),
        (
            "No Dot",
            "person@localhost",
            "fine-password",
            AppError::invalid(Field::Email, InvalidReason::EmailFormat),
        ),
        (
            "Blank",
            "   ",
            "fine-password",
            AppError::invalid(Field::Email, InvalidReason::EmailFormat),
        ),
        (
            "Spaced",
            "two words@acme.example",
            "fine-password",
            AppError::invalid(Field::Email, InvalidReason::EmailFormat),
        ),
        (
            "",
            "noname@acme.example",
            "fine-password",
            AppError::invalid(Field::Name, InvalidReason::Required),
        ),
        (
            "   ",
            "blankname@acme.example",
            "fine-password",
            AppError::invalid(Field::Name, InvalidReason::Required),
        ),
        (
            "Short Password",
            "short@acme.example",
            "seven77",
            AppError::invalid(Field::Password, InvalidReason::TooShort { min: 8 }),
        ),
        (
            &"N".repeat(101),
            "longname@acme.example",
            "fine-password",
            AppError::invalid(Field::Name, InvalidReason::TooLong { max: 100 }),
        ),
        (
            "Long Password",
            "longpassword@acme.example",
            &"p".repeat(257),
            AppError::invalid(Field::Password, InvalidReason::TooLong { max: 256 }),
        ),
        (
            "Common Password",
            "common@acme.example",
            "Password1",
            AppError::invalid(Field::Password, COMMON_PASSWORD),
        ),
    ];
    for (name, email, password, refused) in &cases {
        for assign in [true, false] {
            assert_eq!(
                users::create(
                    store,
                    &as_actor(&a.manager),
                    lic,
                    &new_user(name, email, Some(password), assign),
                    &portal()
                )
                .await,
                Err(refused.clone()),
                "{name:?} <{email}>"
            );
        }
        if !email.trim().is_empty() {
            login_fails(store, &a.company, email, password).await;
        }
    }
    assert_eq!(users_state(store, &a.manager, lic).await, before);
    assert_eq!(audit_count(store, lic, "user.created").await, 1);
    // The existing accounts keep their passwords.
    principal(store, &a.company, &a.user_email()).await;
    principal(store, &a.company, "boss@initech.example").await;

    // Emails are unique per tenant only: another vendor's customer may use the same address.
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let twin = users::create(
        store,
        &as_actor(&a.manager),
        lic,
        &new_user("Globex Twin", &b.user_email(), Some("twin-password"), false),
        &portal(),
    )
    .await
    .expect("an email of another tenant is free here");
    assert_eq!(
        principal_with(store, &a.company, &b.user_email(), "twin-password")
            .await
            .account_id,
        twin.account_id.unwrap()
    );
    principal(store, &b.company, &b.user_email()).await;
}

#[tokio::test]
async fn create_user_on_a_full_license() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    set_max_users(store, lic, 2).await;
    let before = users_state(store, &a.manager, lic).await;
    assert_eq!((before.users.seats_used, before.users.max_users), (2, 2));
    let links_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM password_links")
        .fetch_one(store.pool())
        .await
        .unwrap();

    // Creating with a seat on a full license refuses the whole thing: no account is left behind.
    for password in [Some("full-password"), None] {
        assert_eq!(
            users::create(
                store,
                &as_actor(&a.manager),
                lic,
                &new_user("Fay Full", "fay@acme.example", password, true),
                &portal()
            )
            .await,
            Err(AppError::SeatLimitReached { allowed: 2 })
        );
    }
    assert_eq!(users_state(store, &a.manager, lic).await, before);
    assert_eq!(audit_count(store, lic, "user.created").await, 0);
    login_fails(store, &a.company, "fay@acme.example", "full-password").await;
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM password_links")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(links, links_before);

    // Without a seat it works: the account exists, holds no license and is a candidate.
    let created = users::create(
        store,
        &as_actor(&a.manager),
        lic,
        &new_user("Fay Full", "fay@acme.example", Some("full-password"), false),
        &portal(),
    )
    .await
    .expect("create without a seat");
    assert!(!created.assigned);
    assert_eq!(created.set_password_token, None);
    let fay = principal_with(store, &a.company, "fay@acme.example", "full-password").await;
    assert_eq!(Some(&fay.account_id), created.account_id.as_ref());
    assert_eq!(licenses::dashboard(store, &fay).await.unwrap().role, None);
    assert!(licenses::list(store, &fay).await.unwrap().is_empty());
    let view = users_of(store, &a.manager, lic).await;
    assert_eq!((view.seats_used, view.max_users), (2, 2));
    assert_eq!(
        view.candidates,
        vec![users::Candidate {
            account_id: created.account_id.clone().unwrap(),
            name: "Fay Full".into(),
            email: "fay@acme.example".into(),
            invitation_pending: false,
        }]
    );
    assert_eq!(
        audit_rows(store, lic, "user.created").await,
        vec![(
            Some(a.manager.account_id.clone()),
            AuditSubject::Account {
                name: "Fay Full".into(),
                email: "fay@acme.example".into(),
                assigned: false
            },
            Some(IP.to_owned())
        )]
    );

    // Assigning her is refused until the customer buys another subscription.
    let before = users_state(store, &a.manager, lic).await;
    assert_eq!(
        users::assign(
            store,
            &as_actor(&a.manager),
            lic,
            created.account_id.as_deref().unwrap()
        )
        .await,
        Err(AppError::SeatLimitReached { allowed: 2 })
    );
    assert_eq!(users_state(store, &a.manager, lic).await, before);
    licenses::add_subscriptions(store, lic, 1, None)
        .await
        .expect("add a subscription");
    users::assign(
        store,
        &as_actor(&a.manager),
        lic,
        created.account_id.as_deref().unwrap(),
    )
    .await
    .expect("a seat is free now");
    let view = users_of(store, &a.manager, lic).await;
    assert_eq!((view.seats_used, view.max_users), (3, 7));
    assert!(view.candidates.is_empty());
}

const COMMON_PASSWORD: InvalidReason = InvalidReason::CommonPassword;

/// The password rule wherever a password is set: 8 to 256 characters counted as characters (not
/// bytes), kept exactly as typed, not on the common-password list (whatever the case), and no
/// composition rules.
#[tokio::test]
async fn passwords_are_taken_as_typed_and_common_ones_refused() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let account = |email: &'static str, password: &'static str| NewAccount {
        tenant_id: &a.manager.tenant_id,
        customer_id: a.manager.customer_id.as_deref(),
        kind: AccountKind::Customer,
        email,
        name: "Pat Password",
        password,
    };
    let long_emoji: &'static str = Box::leak("🔑".repeat(256).into_boxed_str());
    for (email, password) in [
        // 8 characters of 2 bytes each, and 256 of 4 bytes: characters count, not bytes.
        ("umlaut@acme.example", "äöüßäöüß"),
        ("emoji@acme.example", long_emoji),
        // Spaces are part of the password; a passphrase needs no digits or capitals.
        ("spaces@acme.example", "  correct horse battery staple  "),
        ("lower@acme.example", "keyport-demo"),
    ] {
        tenants::create_account(store, &account(email, password))
            .await
            .unwrap_or_else(|e| panic!("{email}: {e:?}"));
        principal_with(store, &a.company, email, password).await;
        if password.trim() != password {
            login_fails(store, &a.company, email, password.trim()).await;
        }
    }
    for (email, password, refused) in [
        ("c1@acme.example", "password1", COMMON_PASSWORD),
        ("c2@acme.example", "PASSWORD1", COMMON_PASSWORD),
        ("c3@acme.example", "QwertyUiop", COMMON_PASSWORD),
        (
            "c4@acme.example",
            "äöüßäöü",
            InvalidReason::TooShort { min: 8 },
        ),
    ] {
        assert_eq!(
            tenants::create_account(store, &account(email, password)).await,
            Err(AppError::invalid(Field::Password, refused)),
            "{password}"
        );
        login_fails(store, &a.company, email, password).await;
    }
    // The admin command's first vendor admin follows the same rule.
    assert_eq!(
        tenants::create_tenant_with_admin(
            store,
            &fresh_company(),
            "Weak Vendor",
            "admin@weak.example",
            "Admin",
            "iloveyou1",
        )
        .await
        .err(),
        Some(AppError::invalid(Field::Password, COMMON_PASSWORD))
    );
}

#[tokio::test]
async fn set_password_link_sets_the_password_once() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;

    let created = users::create(
        store,
        &as_actor(&a.manager),
        lic,
        &new_user("Lena Link", "Lena@acme.example", None, true),
        &portal(),
    )
    .await
    .expect("create with a link");
    let token = created
        .set_password_token
        .clone()
        .expect("a set-password token");
    assert_eq!(token.len(), 64, "32 random bytes, hex");
    assert!(created.assigned);
    // Only the hash of the token is stored, and the link lasts PASSWORD_LINK_DAYS.
    let (stored, lifetime): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM password_links WHERE token_hash = $1), \
            (SELECT MAX(expires_at - created_at) FROM password_links WHERE account_id = $2)",
    )
    .bind(&token)
    .bind(&created.account_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(stored, 0);
    assert_eq!(lifetime, users::PASSWORD_LINK_DAYS * 24 * 60 * 60 * 1000);
    // Until the link is used nobody can log in as Lena.
    login_fails(store, &a.company, "lena@acme.example", DEMO_PASSWORD).await;

    let link = users::password_link(store, &token)
        .await
        .expect("the link is usable");
    assert_eq!(
        link,
        users::PasswordLink {
            name: "Lena Link".into(),
            email: "lena@acme.example".into(),
            company_id: a.company.to_lowercase(),
            reset: false,
        }
    );

    // A refused attempt leaves the link usable and sets no password.
    let audit_before = tenant_audit_count(store, &a.manager.tenant_id).await;
    assert_eq!(
        users::set_password_with_link(store, &token, "lena-password", "lena-passw0rd", IP).await,
        Err(AppError::invalid(
            Field::ConfirmPassword,
            InvalidReason::PasswordMismatch
        ))
    );
    assert_eq!(
        users::set_password_with_link(store, &token, "short", "short", IP).await,
        Err(AppError::invalid(
            Field::Password,
            InvalidReason::TooShort { min: 8 }
        ))
    );
    assert_eq!(
        users::set_password_with_link(store, &token, "Sunshine", "Sunshine", IP).await,
        Err(AppError::invalid(Field::Password, COMMON_PASSWORD))
    );
    assert_eq!(users::password_link(store, &token).await, Ok(link.clone()));
    login_fails(store, &a.company, "lena@acme.example", "lena-password").await;
    login_fails(store, &a.company, "lena@acme.example", "lena-passw0rd").await;
    assert_eq!(
        tenant_audit_count(store, &a.manager.tenant_id).await,
        audit_before
    );

    // The link sets the password once.
    assert_eq!(
        users::set_password_with_link(store, &token, "lena-password", "lena-password", IP).await,
        Ok(link.clone())
    );
    let lena = principal_with(store, &link.company_id, &link.email, "lena-password").await;
    assert_eq!(Some(&lena.account_id), created.account_id.as_ref());
    assert_eq!(
        licenses::dashboard(store, &lena).await.unwrap().role,
        Some(LicenseRole::User)
    );
    let set: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND action = 'user.password_set' \
         AND actor_id = $2",
    )
    .bind(&a.manager.tenant_id)
    .bind(&created.account_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(set, 1);

    // A used link is refused, and cannot change the password again.
    assert_eq!(
        users::password_link(store, &token).await,
        Err(link_refused())
    );
    assert_eq!(
        users::set_password_with_link(store, &token, "other-password", "other-password", IP).await,
        Err(link_refused())
    );
    login_fails(store, &a.company, "lena@acme.example", "other-password").await;
    principal_with(store, &a.company, "lena@acme.example", "lena-password").await;

    // An unknown token is refused the same way.
    for unknown in ["0".repeat(64), String::new(), "not-a-token".into()] {
        assert_eq!(
            users::password_link(store, &unknown).await,
            Err(link_refused())
        );
        assert_eq!(
            users::set_password_with_link(store, &unknown, "some-password", "some-password", IP)
                .await,
            Err(link_refused())
        );
    }

    // So is an expired one.
    let late = users::create(
        store,
        &as_actor(&a.manager),
        lic,
        &new_user("Leo Late", "leo@acme.example", None, false),
        &portal(),
    )
    .await
    .unwrap();
    let late_token = late.set_password_token.expect("a token");
    sqlx::query("UPDATE password_links SET expires_at = $1 WHERE account_id = $2")
        .bind(licensing::now_millis() - 1)
        .bind(&late.account_id)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(
        users::password_link(store, &late_token).await,
        Err(link_refused())
    );
    assert_eq!(
        users::set_password_with_link(store, &late_token, "leo-password", "leo-password", IP).await,
        Err(link_refused())
    );
    login_fails(store, &a.company, "leo@acme.example", "leo-password").await;
}
