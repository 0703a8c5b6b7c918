//! The flows that email people, on both databases: an invitation instead of a link in the
//! manager's browser (single use, 7 days, resendable, the old link dead); the same answer for an
//! address that belongs elsewhere, with its owner told instead; credentials or a receipt with a
//! sale, in its transaction; forgot password (the same answer either way, throttled, 1 hour, the
//! change told to the account, every session ended).

use super::*;
use licensing::demo::admin_email;
use licensing::mail::{self, Portal};
use licensing::testing::{emails_to, last_email, link_token};
use licensing::users::ResendFrom;

fn tenant_of(t: &Tenant) -> &str {
    &t.manager.tenant_id
}

/// The set-password token of the newest email to `to`, which must be of `kind`.
async fn emailed_token(store: &Store, t: &Tenant, to: &str, kind: &str) -> String {
    let (got, text) = last_email(store, tenant_of(t), to)
        .await
        .unwrap_or_else(|| panic!("no email to {to}"));
    assert_eq!(got, kind, "{text}");
    assert!(
        text.contains("http://keyport.test/set-password?token="),
        "{text}"
    );
    link_token(&text).expect("a set-password link")
}

async fn kinds_to(store: &Store, t: &Tenant, to: &str) -> Vec<String> {
    emails_to(store, tenant_of(t), to)
        .await
        .into_iter()
        .map(|(kind, _)| kind)
        .collect()
}

/// *Create user* by the tenant's manager on its license.
async fn create(
    store: &Store,
    t: &Tenant,
    name: &str,
    email: &str,
    password: Option<&str>,
    assign: bool,
) -> Result<users::CreatedUser, AppError> {
    let new = new_user(name, email, password, assign);
    users::create(store, &as_actor(&t.manager), &t.license_id, &new, &portal()).await
}

async fn logs_in(store: &Store, t: &Tenant, email: &str, password: &str) -> Principal {
    auth::check_credentials(store, &creds(&t.company, email, password), IP)
        .await
        .unwrap_or_else(|e| panic!("{email} logs in: {e:?}"))
}

#[tokio::test]
async fn an_invitation_is_emailed_and_its_link_works_once() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let created = create(store, a, "Ivy Invited", "ivy@acme.example", None, true)
        .await
        .expect("invite Ivy");
    assert!(created.account_id.is_some() && created.assigned);
    let token = emailed_token(store, a, "ivy@acme.example", "invitation").await;
    assert_eq!(created.set_password_token.as_deref(), Some(token.as_str()));
    let (_, text) = last_email(store, tenant_of(a), "ivy@acme.example")
        .await
        .unwrap();
    // Who invited them, to what, and how to log in.
    for part in ["Acme Corp", &a.company.to_lowercase(), "ivy@acme.example"] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    let view = users_of(store, &a.manager, lic).await;
    let ivy = view.users.iter().find(|u| u.email == "ivy@acme.example");
    assert!(ivy.expect("Ivy has a seat").invitation_pending);

    users::set_password_with_link(store, &token, "ivy-password", "ivy-password", IP)
        .await
        .expect("the link sets the password");
    logs_in(store, a, "ivy@acme.example", "ivy-password").await;
    assert_eq!(
        users::set_password_with_link(store, &token, "other-password", "other-password", IP).await,
        Err(link_refused())
    );
    let view = users_of(store, &a.manager, lic).await;
    let ivy = view.users.iter().find(|u| u.email == "ivy@acme.example");
    assert!(!ivy.unwrap().invitation_pending);
    // Setting a first password is no change to tell anyone of.
    assert_eq!(kinds_to(store, a, "ivy@acme.example").await, ["invitation"]);

    // After 7 days an invitation's link no longer works.
    let late = create(store, a, "Leo Late", "leo@acme.example", None, false)
        .await
        .unwrap()
        .set_password_token
        .unwrap();
    sqlx::query("UPDATE password_links SET expires_at = $1 WHERE token_hash = $2")
        .bind(licensing::now_millis() - 1)
        .bind(licensing::secret::hash(&late))
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(
        users::password_link(store, &late).await,
        Err(link_refused())
    );
}

#[tokio::test]
async fn an_address_that_belongs_elsewhere_gets_the_same_answer_and_its_owner_is_told() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let (_, _, boss) = other_customer_with_license(
        store,
        &a.company,
        tenant_of(a),
        "Initech",
        "boss@initech.example",
    )
    .await;
    let admin = admin_email(&a.vendor);
    let before = users_state(store, &a.manager, lic).await;
    let audit = audit_count(store, lic, "user.created").await;
    for (typed, owner) in [
        (" Boss@Initech.Example", "boss@initech.example"),
        (admin.as_str(), admin.as_str()),
    ] {
        for password in [None, Some("guessed-password")] {
            let answer = create(store, a, "Someone", typed, password, true)
                .await
                .expect("the same answer as for a new address");
            assert_eq!((&answer.account_id, answer.assigned), (&None, true));
            assert_eq!(answer.email, owner);
            // "Invitation sent to" without a password, "The account was created" with one.
            assert_eq!(users::Invited::from(&answer).invited, password.is_none());
        }
        // Nothing changed, and the owner heard of it without a link: once a day, however often a
        // manager tries.
        assert_eq!(users_state(store, &a.manager, lic).await, before);
        let told = emails_to(store, tenant_of(a), owner).await;
        assert_eq!(told.len(), 1);
        for (kind, text) in told {
            assert_eq!(kind, "invitation_refused");
            assert!(
                text.contains("Acme Corp") && link_token(&text).is_none(),
                "{text}"
            );
        }
    }
    assert_eq!(audit_count(store, lic, "user.created").await, audit);
    logs_in(store, a, "boss@initech.example", DEMO_PASSWORD).await;
    assert_eq!(boss.email, "boss@initech.example");
    // Another tenant's address is free here: a new account, invited.
    let twin = create(store, a, "Twin", &b.user_email(), None, false)
        .await
        .unwrap();
    assert!(twin.account_id.is_some());
    // A full license refuses it as it would a new address.
    set_max_users(store, lic, before.users.seats_used).await;
    assert!(matches!(
        create(store, a, "Someone", "boss@initech.example", None, true).await,
        Err(AppError::SeatLimitReached { .. })
    ));
    // A line break in the address never reaches a header.
    assert_eq!(
        create(
            store,
            a,
            "Eve",
            "eve@acme.example\r\nBcc: all@acme.example",
            None,
            false
        )
        .await,
        Err(AppError::invalid(Field::Email, InvalidReason::EmailFormat))
    );
}

#[tokio::test]
async fn a_resent_invitation_replaces_the_old_link() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let created = create(store, a, "Rex Resent", "rex@acme.example", None, false)
        .await
        .unwrap();
    let rex = created.account_id.unwrap();
    let first = created.set_password_token.unwrap();
    let customer = a.manager.customer_id.clone().unwrap();

    // Only a manager of the license, or the tenant's vendor staff, may resend.
    for (who, from, refused) in [
        (&a.user, ResendFrom::License(lic), AppError::Forbidden),
        (
            &b.manager,
            ResendFrom::License(lic),
            AppError::not_found(Thing::License),
        ),
        (
            &a.manager,
            ResendFrom::Customer(&customer),
            AppError::Forbidden,
        ),
    ] {
        assert_eq!(
            users::resend_invitation(store, &as_actor(who), from, &rex, &portal()).await,
            Err(refused)
        );
    }
    assert_eq!(
        users::resend_invitation(
            store,
            &as_actor(&a.manager),
            ResendFrom::License(lic),
            &a.user.account_id,
            &portal()
        )
        .await,
        Err(AppError::conflict(ConflictReason::InvitationUsed))
    );
    assert_eq!(kinds_to(store, a, "rex@acme.example").await, ["invitation"]);

    let sent = users::resend_invitation(
        store,
        &as_actor(&a.manager),
        ResendFrom::License(lic),
        &rex,
        &portal(),
    )
    .await
    .expect("resend");
    assert_eq!(sent, "rex@acme.example");
    let second = emailed_token(store, a, "rex@acme.example", "invitation").await;
    assert_ne!(first, second);
    assert_eq!(
        users::password_link(store, &first).await,
        Err(link_refused())
    );
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    users::resend_invitation(
        store,
        &as_actor(&support),
        ResendFrom::Customer(&customer),
        &rex,
        &portal(),
    )
    .await
    .expect("the vendor resends");
    let third = emailed_token(store, a, "rex@acme.example", "invitation").await;
    assert_eq!(
        users::password_link(store, &second).await,
        Err(link_refused())
    );
    users::set_password_with_link(store, &third, "rex-password", "rex-password", IP)
        .await
        .expect("the newest link works");
    assert_eq!(
        users::resend_invitation(
            store,
            &as_actor(&support),
            ResendFrom::Customer(&customer),
            &rex,
            &portal()
        )
        .await,
        Err(AppError::conflict(ConflictReason::InvitationUsed))
    );
}

#[tokio::test]
async fn a_sale_emails_credentials_to_a_new_owner_and_a_receipt_to_a_known_one() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let customer = a.manager.customer_id.clone().unwrap();
    let olga = users::create_for_customer(
        store,
        &as_actor(&support),
        &customer,
        ("Olga Owner", "olga@acme.example"),
        Some(&portal()),
    )
    .await
    .unwrap();
    let invitation = olga.set_password_token.unwrap();
    let sale = |product: &str, owner: &str| licenses::Sale {
        customer_id: customer.clone(),
        product: product.into(),
        license_type: LicenseType::Organisation,
        subscriptions: 2,
        seats_per_subscription: 3,
        devices_per_subscription: 4,
        max_deactivations: 3,
        valid_days: 30,
        owner_account_id: owner.into(),
    };
    let olga_id = olga.account_id.unwrap();
    let (sold, _) = licenses::sell(store, &support, &sale("Designer", &olga_id), &portal())
        .await
        .expect("sell to Olga");
    let token = emailed_token(store, a, "olga@acme.example", "credentials").await;
    let (_, text) = last_email(store, tenant_of(a), "olga@acme.example")
        .await
        .unwrap();
    assert!(
        text.contains("Designer") && text.contains("you manage it"),
        "{text}"
    );
    assert!(!text.contains(DEMO_PASSWORD));
    // The credentials' link replaced the invitation's.
    assert_eq!(
        users::password_link(store, &invitation).await,
        Err(link_refused())
    );
    users::set_password_with_link(store, &token, "olga-password", "olga-password", IP)
        .await
        .unwrap();
    logs_in(store, a, "olga@acme.example", "olga-password").await;

    // More subscriptions: a receipt with the new totals, no link.
    licenses::sell_subscriptions(store, &support, &sold.license_id, 1, &portal())
        .await
        .unwrap();
    let (kind, text) = last_email(store, tenant_of(a), "olga@acme.example")
        .await
        .unwrap();
    assert_eq!(kind, "receipt");
    assert!(
        text.contains("9 seats") && text.contains("12 devices"),
        "{text}"
    );
    assert!(link_token(&text).is_none());
    // An owner who logs in already gets a receipt for a new license too.
    licenses::sell(
        store,
        &support,
        &sale("Viewer", &a.manager.account_id),
        &portal(),
    )
    .await
    .unwrap();
    assert_eq!(kinds_to(store, a, &a.manager_email()).await, ["receipt"]);

    // A sale that fails writes no email.
    let emails = emails_to(store, tenant_of(a), "olga@acme.example")
        .await
        .len();
    let mut personal = sale("Designer", &olga_id);
    personal.license_type = LicenseType::Personal;
    assert!(licenses::sell(store, &support, &personal, &portal())
        .await
        .is_err());
    assert_eq!(
        emails_to(store, tenant_of(a), "olga@acme.example")
            .await
            .len(),
        emails
    );
}

/// Waits for the email the background part of a reset request writes.
async fn reset_email(store: &Store, t: &Tenant, to: &str) -> Option<String> {
    for _ in 0..100 {
        if let Some((kind, text)) = last_email(store, tenant_of(t), to).await {
            if kind == "password_reset" {
                return link_token(&text);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    None
}

#[tokio::test]
async fn forgot_password_emails_a_one_hour_link_and_tells_of_the_change() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = ThrottlePolicy::default();
    let ip = fresh_ip();
    let user = a.user_email();
    let session = auth::login(
        store,
        &creds(&a.company, &user, DEMO_PASSWORD),
        None,
        SessionPolicy::default(),
        &policy,
        IP,
    )
    .await
    .unwrap();

    // No such account: the same answer, and no email.
    let ask = |email: String| {
        let ip = ip.clone();
        async move {
            let company = a.company.to_uppercase();
            users::request_password_reset(store, &policy, &portal(), (&company, &email), &ip).await
        }
    };
    ask("nobody@acme.example".into())
        .await
        .expect("the same answer");
    ask(format!(" {} ", user.to_uppercase()))
        .await
        .expect("asked");
    let token = reset_email(store, a, &user).await.expect("the reset email");
    assert!(emails_to(store, tenant_of(a), "nobody@acme.example")
        .await
        .is_empty());
    let link = users::password_link(store, &token).await.unwrap();
    assert!(link.reset);
    // The old password still works until the link is used.
    logs_in(store, a, &user, DEMO_PASSWORD).await;

    users::set_password_with_link(store, &token, "a-new-password", "a-new-password", IP)
        .await
        .unwrap();
    logs_in(store, a, &user, "a-new-password").await;
    login_fails(store, &a.company, &user, DEMO_PASSWORD).await;
    assert_eq!(
        auth::principal_for_session(store, &session.token, SessionPolicy::default()).await,
        Err(AppError::Unauthenticated)
    );
    assert_eq!(
        kinds_to(store, a, &user).await,
        ["password_reset", "password_changed"]
    );
    assert_eq!(
        users::password_link(store, &token).await,
        Err(link_refused())
    );

    // A reset link lasts an hour.
    ask(user.clone()).await.unwrap();
    let mut token = None;
    for _ in 0..100 {
        let sent = emails_to(store, tenant_of(a), &user).await;
        if sent.len() == 3 {
            token = link_token(&sent[2].1);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let token = token.expect("a second reset email");
    let expires_at: i64 = sqlx::query_scalar(
        "SELECT expires_at - created_at FROM password_links WHERE token_hash = $1",
    )
    .bind(licensing::secret::hash(&token))
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(expires_at, 60 * 60 * 1000);

    // Throttled like logins: the account's allowance is spent, then refused, changing nothing.
    for _ in 2..policy.account_failures {
        ask(user.clone()).await.unwrap();
    }
    assert!(matches!(
        ask(user.clone()).await,
        Err(AppError::TooManyAttempts { .. })
    ));
    // Its own allowance: logins are not throttled by it.
    logs_in(store, a, &user, "a-new-password").await;
    assert_eq!(
        users::request_password_reset(store, &policy, &Portal::new("http://x"), ("", &user), &ip)
            .await,
        Err(AppError::invalid(Field::CompanyId, InvalidReason::Required))
    );
}

#[tokio::test]
async fn the_vendor_sets_the_default_language_and_the_support_address_of_email() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let other = vendor_admin(store, &b, "support@othersoft.example").await;
    let defaults = mail::MailSettings {
        default_language: "en".into(),
        support_email: None,
    };
    assert_eq!(mail::settings(store, &support).await, Ok(defaults.clone()));
    assert_eq!(
        mail::settings(store, &a.manager).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        mail::save_settings(store, &as_actor(&a.manager), "de", "").await,
        Err(AppError::Forbidden)
    );
    for (language, address, refused) in [
        (
            "xx",
            "",
            AppError::invalid(Field::Language, InvalidReason::UnknownLanguage),
        ),
        (
            "de",
            "help@codeglass.example\r\nBcc: all@acme.example",
            AppError::invalid(Field::SupportEmail, InvalidReason::EmailFormat),
        ),
        (
            "de",
            "not an address",
            AppError::invalid(Field::SupportEmail, InvalidReason::EmailFormat),
        ),
    ] {
        assert_eq!(
            mail::save_settings(store, &as_actor(&support), language, address).await,
            Err(refused)
        );
    }
    assert_eq!(mail::settings(store, &support).await, Ok(defaults.clone()));

    let saved = mail::save_settings(store, &as_actor(&support), "de", " Help@CodeGlass.Example ")
        .await
        .expect("save");
    assert_eq!(
        saved.support_email.as_deref(),
        Some("help@codeglass.example")
    );
    assert_eq!(mail::settings(store, &support).await, Ok(saved));
    // Someone who never chose a language gets German now, and replies go to the support address.
    create(store, a, "Gerd", "gerd@acme.example", None, false)
        .await
        .unwrap();
    let (subject, reply_to): (String, Option<String>) = sqlx::query_as(
        "SELECT subject, reply_to FROM outbox WHERE tenant_id = $1 AND recipient = $2",
    )
    .bind(tenant_of(a))
    .bind("gerd@acme.example")
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(
        subject,
        "Morgan Manager hat Ihnen Zugang zu CodeGlass gegeben"
    );
    assert_eq!(reply_to.as_deref(), Some("help@codeglass.example"));
    // Another tenant's settings are its own; empty clears the address.
    assert_eq!(mail::settings(store, &other).await, Ok(defaults));
    let cleared = mail::save_settings(store, &as_actor(&support), "fr", "")
        .await
        .unwrap();
    assert_eq!(cleared.support_email, None);
    // Each save is one event of the tenant's log, by the admin, with what was saved.
    let events: Vec<(Option<String>, String)> = sqlx::query_as(
        "SELECT actor_id, subject FROM audit_events WHERE tenant_id = $1 AND action = $2 \
         ORDER BY at",
    )
    .bind(tenant_of(a))
    .bind("tenant.mail_settings_changed")
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events
        .iter()
        .all(|(by, _)| by.as_deref() == Some(support.account_id.as_str())));
    assert_eq!(
        AuditSubject::from_stored(&events[0].1),
        AuditSubject::MailSettings {
            language: "de".into(),
            support_email: Some("help@codeglass.example".into()),
        }
    );
}
