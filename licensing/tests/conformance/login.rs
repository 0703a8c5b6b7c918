//! Login: company ID, email and password, and the throttle on failures.

use super::*;

#[tokio::test]
async fn login_checks_company_email_and_password() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);

    let ok = auth::check_credentials(
        store,
        &creds(&a.company, &a.manager_email(), DEMO_PASSWORD),
        IP,
    )
    .await
    .expect("right credentials log in");
    assert_eq!(ok.email, a.manager_email());
    assert_eq!(ok.name, "Morgan Manager");
    assert_eq!(ok.kind, AccountKind::Customer);
    assert_eq!(ok.tenant_name, a.vendor);
    assert!(ok.customer_id.is_some());
    assert_eq!(ok, a.manager);

    // The company ID is matched case-insensitively (and trimmed); so is the email.
    for company in [
        a.company.to_uppercase(),
        a.company.to_lowercase(),
        format!("  {}  ", a.company),
    ] {
        let p =
            auth::check_credentials(store, &creds(&company, &a.user_email(), DEMO_PASSWORD), IP)
                .await
                .unwrap_or_else(|e| panic!("company {company:?} should log in: {e:?}"));
        assert_eq!(p.account_id, a.user.account_id);
    }
    let p = auth::check_credentials(
        store,
        &creds(&a.company, &a.user_email().to_uppercase(), DEMO_PASSWORD),
        IP,
    )
    .await
    .expect("email is case-insensitive");
    assert_eq!(p.account_id, a.user.account_id);

    // Every wrong part gives the same error, so nobody can probe for accounts.
    let wrong = [
        creds(&a.company, &a.manager_email(), "not-the-password"),
        creds(
            &a.company,
            &a.manager_email(),
            &DEMO_PASSWORD.to_uppercase(),
        ),
        creds(&a.company, "nobody@acme.example", DEMO_PASSWORD),
        creds(&fresh_company(), &a.manager_email(), DEMO_PASSWORD),
    ];
    for c in &wrong {
        assert_eq!(
            auth::check_credentials(store, c, IP).await,
            Err(AppError::InvalidCredentials),
            "{c:?}"
        );
    }

    // Empty (or blank) fields are a form error, named after the field.
    let cases = [
        (
            creds("", &a.manager_email(), DEMO_PASSWORD),
            Field::CompanyId,
        ),
        (creds(&a.company, "   ", DEMO_PASSWORD), Field::Email),
        (creds(&a.company, &a.manager_email(), ""), Field::Password),
    ];
    for (c, field) in &cases {
        assert_eq!(
            auth::check_credentials(store, c, IP).await,
            Err(AppError::invalid(field.clone(), InvalidReason::Required)),
            "{c:?}"
        );
    }

    // `login` refuses the same way and opens no session.
    let before = session_count(store, &a.manager.account_id).await;
    assert_eq!(before, 0);
    let refused = auth::login(
        store,
        &wrong[0],
        None,
        SessionPolicy::default(),
        &THROTTLE,
        IP,
    )
    .await;
    assert_eq!(refused.err(), Some(AppError::InvalidCredentials));
    assert_eq!(session_count(store, &a.manager.account_id).await, 0);
}

async fn throttle_rows(store: &Store, key: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM auth_failures WHERE throttle_key = $1")
        .bind(key)
        .fetch_one(store.pool())
        .await
        .expect("count failures")
}

/// Moves every failure of these keys back in time, as if that much time had passed.
async fn age_failures(store: &Store, keys: &[&str], ms: i64) {
    for key in keys {
        sqlx::query("UPDATE auth_failures SET at = at - $1 WHERE throttle_key = $2")
            .bind(ms)
            .bind(*key)
            .execute(store.pool())
            .await
            .expect("age failures");
    }
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_in_the_database() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = ThrottlePolicy {
        account_failures: 3,
        address_failures: 100,
        window_ms: 10 * 60 * 1000,
    };
    let (ip, other_ip) = (fresh_ip(), fresh_ip());
    let manager = a.manager_email();
    let login = |company: &str, email: &str, password: &str, ip: &str| {
        let c = creds(company, email, password);
        let ip = ip.to_owned();
        async move {
            auth::login(store, &c, None, SessionPolicy::default(), &policy, &ip)
                .await
                .map(|s| s.principal.email)
        }
    };
    for _ in 0..3 {
        assert_eq!(
            login(&a.company, &manager, "wrong-password", &ip).await,
            Err(AppError::InvalidCredentials)
        );
    }
    let key = auth::throttle::account_key(&a.company, &manager);
    assert_eq!(throttle_rows(store, &key).await, 3);

    // The fourth attempt is refused before the password is checked: the right password too,
    // from another address too, however the account is typed, and through the device API.
    let refused = Err(AppError::TooManyAttempts { minutes: 10 });
    for (company, email, password, ip) in [
        (a.company.clone(), manager.clone(), "wrong-password", &ip),
        (a.company.clone(), manager.clone(), DEMO_PASSWORD, &ip),
        (a.company.clone(), manager.clone(), DEMO_PASSWORD, &other_ip),
        (
            a.company.to_uppercase(),
            format!(" {} ", manager.to_uppercase()),
            DEMO_PASSWORD,
            &ip,
        ),
    ] {
        assert_eq!(login(&company, &email, password, ip).await, refused);
    }
    let by_login = devices::ActivationAuth::Credentials(creds(&a.company, &manager, DEMO_PASSWORD));
    assert_eq!(
        devices::activation_target(store, &by_login, &other_ip, &policy).await,
        Err(AppError::TooManyAttempts { minutes: 10 })
    );
    // Refused attempts change nothing: no session, no extra failure, no longer lockout.
    assert_eq!(session_count(store, &a.manager.account_id).await, 0);
    assert_eq!(throttle_rows(store, &key).await, 3);

    // A second server process on the same database sees the same count.
    let second = Store::connect(&w.url).await.expect("second pool");
    assert_eq!(
        auth::login(
            &second,
            &creds(&a.company, &manager, DEMO_PASSWORD),
            None,
            SessionPolicy::default(),
            &policy,
            &other_ip
        )
        .await
        .err(),
        Some(AppError::TooManyAttempts { minutes: 10 })
    );

    // Other accounts are not affected.
    assert_eq!(
        login(&a.company, &a.user_email(), DEMO_PASSWORD, &ip).await,
        Ok(a.user_email())
    );

    // The wait shrinks as the failures age (the portal says "1 minute", app::error_text).
    age_failures(store, &[&key], 9 * 60 * 1000 + 30_000).await;
    let almost = login(&a.company, &manager, DEMO_PASSWORD, &ip).await;
    assert_eq!(almost, Err(AppError::TooManyAttempts { minutes: 1 }));

    // Once the window has passed, the right password logs in and clears the count.
    age_failures(store, &[&key], 60_000).await;
    login(&a.company, &manager, "wrong-password", &ip)
        .await
        .unwrap_err();
    assert_eq!(
        login(&a.company, &manager, DEMO_PASSWORD, &ip).await,
        Ok(manager.clone())
    );
    assert_eq!(throttle_rows(store, &key).await, 0);
}

#[tokio::test]
async fn failed_attempts_are_throttled_per_address_license_keys_included() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = ThrottlePolicy {
        account_failures: 100,
        address_failures: 4,
        window_ms: 15 * 60 * 1000,
    };
    let ip = fresh_ip();
    let by_key = |key: &str| devices::ActivationAuth::LicenseKey(key.into());
    // Unknown accounts count like wrong passwords (no enumeration through the throttle), and so
    // do unknown license keys.
    for email in ["nobody@acme.example", "ghost@acme.example"] {
        assert_eq!(
            auth::login(
                store,
                &creds(&a.company, email, "wrong-password"),
                None,
                SessionPolicy::default(),
                &policy,
                &ip
            )
            .await
            .err(),
            Some(AppError::InvalidCredentials)
        );
    }
    for _ in 0..2 {
        assert_eq!(
            devices::activation_target(store, &by_key("KP-not-a-key"), &ip, &policy).await,
            Err(AppError::InvalidCredentials)
        );
    }
    // Bad input is no attempt: it is not counted.
    assert!(matches!(
        auth::login(
            store,
            &creds(&a.company, "", "x"),
            None,
            SessionPolicy::default(),
            &policy,
            &ip
        )
        .await,
        Err(AppError::Invalid { .. })
    ));
    let address = format!("address:{ip}");
    assert_eq!(throttle_rows(store, &address).await, 4);
    // Every account from that address is refused now; other addresses are not.
    let refused = Some(AppError::TooManyAttempts { minutes: 15 });
    assert_eq!(
        auth::login(
            store,
            &creds(&a.company, &a.user_email(), DEMO_PASSWORD),
            None,
            SessionPolicy::default(),
            &policy,
            &ip
        )
        .await
        .err(),
        refused
    );
    assert_eq!(
        devices::activation_target(store, &by_key("KP-not-a-key"), &ip, &policy)
            .await
            .err(),
        refused
    );
    assert_eq!(throttle_rows(store, &address).await, 4);
    assert!(auth::login(
        store,
        &creds(&a.company, &a.user_email(), DEMO_PASSWORD),
        None,
        SessionPolicy::default(),
        &policy,
        &fresh_ip()
    )
    .await
    .is_ok());
}

/// A burst of simultaneous guesses cannot slip past the limit while the password hashes run.
#[tokio::test]
async fn concurrent_guesses_stay_within_the_limit() {
    let w = world().await;
    let store = w.store.clone();
    let policy = ThrottlePolicy {
        account_failures: 3,
        address_failures: 100,
        window_ms: 15 * 60 * 1000,
    };
    let ip = fresh_ip();
    let guesses = (0..8).map(|i| {
        let (store, ip) = (store.clone(), ip.clone());
        let c = creds(
            &w.a.company,
            &w.a.manager_email(),
            &format!("guess-{i}-password"),
        );
        tokio::spawn(async move {
            auth::login(&store, &c, None, SessionPolicy::default(), &policy, &ip)
                .await
                .err()
        })
    });
    let mut checked = 0;
    for guess in guesses.collect::<Vec<_>>() {
        match guess.await.unwrap() {
            Some(AppError::InvalidCredentials) => checked += 1,
            Some(AppError::TooManyAttempts { .. }) => {}
            other => panic!("{other:?}"),
        }
    }
    // Exactly the limit: the guesses past it waited for the verdicts in flight, then were refused.
    assert_eq!(checked, 3, "{checked} passwords checked");
}

/// A correct password is never refused because other checks of the account are in flight: only
/// settled failures count, also when one failure is all the account has left.
#[tokio::test]
async fn simultaneous_correct_logins_are_never_refused() {
    let w = world().await;
    let store = w.store.clone();
    let policy = ThrottlePolicy {
        account_failures: 3,
        address_failures: 100,
        window_ms: 15 * 60 * 1000,
    };
    let ip = fresh_ip();
    let manager = w.a.manager_email();
    for _ in 0..2 {
        let wrong = creds(&w.a.company, &manager, "wrong-password");
        let refused = auth::login(&store, &wrong, None, SessionPolicy::default(), &policy, &ip);
        assert_eq!(refused.await.err(), Some(AppError::InvalidCredentials));
    }
    let logins = (0..12).map(|_| {
        let (store, ip) = (store.clone(), ip.clone());
        let c = creds(&w.a.company, &manager, DEMO_PASSWORD);
        tokio::spawn(async move {
            auth::login(&store, &c, None, SessionPolicy::default(), &policy, &ip)
                .await
                .map(|s| s.principal.email)
        })
    });
    for login in logins.collect::<Vec<_>>() {
        assert_eq!(login.await.unwrap(), Ok(manager.clone()));
    }
    let key = auth::throttle::account_key(&w.a.company, &manager);
    assert_eq!(
        throttle_rows(&store, &key).await,
        0,
        "the successes cleared the count"
    );
}

/// A check whose server process died before its verdict is taken for a failure once it is stale,
/// so killing processes mid-check cannot be used to guess past the limit.
#[tokio::test]
async fn a_check_abandoned_in_flight_counts_as_a_failure_once_stale() {
    let w = world().await;
    let store = &w.store;
    let policy = ThrottlePolicy {
        account_failures: 2,
        address_failures: 100,
        window_ms: 15 * 60 * 1000,
    };
    let ip = fresh_ip();
    let key = auth::throttle::account_key(&w.a.company, &w.a.manager_email());
    for _ in 0..2 {
        // Admitted, then never settled: the process "died".
        let abandoned = auth::throttle::admit(store, &policy, Some(key.clone()), &ip).await;
        assert!(abandoned.is_ok());
    }
    age_failures(store, &[&key], auth::throttle::STALE_MS).await;
    assert_eq!(
        auth::throttle::admit(store, &policy, Some(key.clone()), &ip)
            .await
            .err(),
        // The rows were aged by the minute that made them stale.
        Some(AppError::TooManyAttempts { minutes: 14 })
    );
}
