//! Sessions: opened, ended and rotated.

use super::*;

/// A session of `email`'s, by logging in with the demo password.
async fn open_session(store: &Store, a: &Tenant, email: String, policy: SessionPolicy) -> String {
    auth::login(
        store,
        &creds(&a.company, &email, DEMO_PASSWORD),
        None,
        policy,
        &THROTTLE,
        &fresh_ip(),
    )
    .await
    .expect("login")
    .token
}

/// Losing the seat ends every session of that account: unassigning the person, or resetting the
/// license (which unassigns every license user).
#[tokio::test]
async fn unassigning_ends_every_session_of_the_account() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = SessionPolicy::default();
    let open = |email: String| open_session(store, a, email, policy);
    let user_sessions = [open(a.user_email()).await, open(a.user_email()).await];
    let manager_session = open(a.manager_email()).await;
    users::unassign(
        store,
        &as_actor(&a.manager),
        &a.license_id,
        &a.user.account_id,
    )
    .await
    .expect("unassign");
    for token in &user_sessions {
        assert_eq!(
            auth::principal_for_session(store, token, policy).await,
            Err(AppError::Unauthenticated)
        );
    }
    assert_eq!(session_count(store, &a.user.account_id).await, 0);
    assert!(auth::principal_for_session(store, &manager_session, policy)
        .await
        .is_ok());

    // Reset license: the license users lose their seats and sessions, the managers keep theirs.
    users::assign(
        store,
        &as_actor(&a.manager),
        &a.license_id,
        &a.user.account_id,
    )
    .await
    .expect("assign again");
    let user_session = open(a.user_email()).await;
    licenses::reset_license(store, &as_actor(&a.manager), &a.license_id)
        .await
        .expect("reset license");
    assert_eq!(
        auth::principal_for_session(store, &user_session, policy).await,
        Err(AppError::Unauthenticated)
    );
    assert!(auth::principal_for_session(store, &manager_session, policy)
        .await
        .is_ok());
}

#[tokio::test]
async fn sessions_open_end_and_rotate() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = SessionPolicy::default();
    let c = creds(&a.company, &a.manager_email(), DEMO_PASSWORD);

    let s1 = auth::login(store, &c, None, policy, &THROTTLE, IP)
        .await
        .expect("login");
    assert_eq!(s1.principal, a.manager);
    assert_eq!(s1.token.len(), 64, "32 random bytes, hex");
    assert!(s1.expires_at > licensing::now_millis());
    assert_eq!(
        auth::principal_for_session(store, &s1.token, policy).await,
        Ok(a.manager.clone())
    );
    assert_eq!(session_count(store, &a.manager.account_id).await, 1);

    // An unknown token is not a session.
    assert_eq!(
        auth::principal_for_session(store, &"0".repeat(64), policy).await,
        Err(AppError::Unauthenticated)
    );

    // Logout ends it; logging out twice is fine.
    auth::logout(store, &s1.token).await.expect("logout");
    assert_eq!(
        auth::principal_for_session(store, &s1.token, policy).await,
        Err(AppError::Unauthenticated)
    );
    auth::logout(store, &s1.token)
        .await
        .expect("second logout is not an error");
    assert_eq!(session_count(store, &a.manager.account_id).await, 0);

    // Logging in again with the previous token ends the previous session: the id always changes.
    let s2 = auth::login(store, &c, None, policy, &THROTTLE, IP)
        .await
        .expect("login");
    let s3 = auth::login(store, &c, Some(&s2.token), policy, &THROTTLE, IP)
        .await
        .expect("login again");
    assert_ne!(s2.token, s3.token);
    assert_eq!(
        auth::principal_for_session(store, &s2.token, policy).await,
        Err(AppError::Unauthenticated)
    );
    assert_eq!(
        auth::principal_for_session(store, &s3.token, policy).await,
        Ok(a.manager.clone())
    );
    assert_eq!(session_count(store, &a.manager.account_id).await, 1);

    // A second person's session is independent of the first's.
    let u = auth::login(
        store,
        &creds(&a.company, &a.user_email(), DEMO_PASSWORD),
        None,
        policy,
        &THROTTLE,
        IP,
    )
    .await
    .expect("user login");
    assert_eq!(
        auth::principal_for_session(store, &u.token, policy).await,
        Ok(a.user.clone())
    );
    // Logging out ends every session of the account (a browser left open elsewhere too), and
    // nobody else's.
    let elsewhere = auth::login(store, &c, None, policy, &THROTTLE, IP)
        .await
        .expect("login elsewhere");
    auth::logout(store, &s3.token).await.expect("logout");
    for token in [&s3.token, &elsewhere.token] {
        assert_eq!(
            auth::principal_for_session(store, token, policy).await,
            Err(AppError::Unauthenticated)
        );
    }
    assert_eq!(
        auth::principal_for_session(store, &u.token, policy).await,
        Ok(a.user.clone())
    );

    // Sessions past their idle or absolute lifetime are refused.
    let idle = SessionPolicy {
        idle_ms: 0,
        ..policy
    };
    assert_eq!(
        auth::principal_for_session(store, &u.token, idle).await,
        Err(AppError::Unauthenticated)
    );
    let short = SessionPolicy {
        absolute_ms: 0,
        ..policy
    };
    let s4 = auth::login(store, &c, None, short, &THROTTLE, IP)
        .await
        .expect("login");
    assert_eq!(
        auth::principal_for_session(store, &s4.token, policy).await,
        Err(AppError::Unauthenticated)
    );
}

/// A session's look-up says whether a one-time note waits for one of its pages, so a page with
/// none skips looking for its own: none at first, yes once a change kept one (for any page of
/// that session only), none again once its page took it.
#[tokio::test]
async fn the_session_says_whether_a_note_waits() {
    use licensing::flash::{self, Flash};
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = SessionPolicy::default();
    let open = || open_session(store, a, a.manager_email(), policy);
    let (mine, other) = (open().await, open().await);
    let waiting = |token: String| async move {
        auth::session(store, &token, policy)
            .await
            .expect("live session")
            .notes_waiting
    };
    assert!(!waiting(mine.clone()).await);
    let page = format!("/licenses/{}/devices", a.license_id);
    let note = Flash::DeviceReset {
        device: "Build box".into(),
        deactivations_left: 2,
    };
    flash::put(store, &mine, &page, &note).await.expect("put");
    assert!(waiting(mine.clone()).await);
    assert!(!waiting(other.clone()).await);
    assert_eq!(flash::take(store, &mine, &page).await, Ok(Some(note)));
    assert!(!waiting(mine).await);
}
