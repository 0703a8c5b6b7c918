//! Check-ins answered from memory (`store/check_ins.rs`): a busy process answers from what it
//! read before, and still never for a device or license changed since, by any process or by hand.

use std::time::Duration;

use super::*;

/// Checks in until `store` answers from memory, as a busy server does after its first rounds.
/// Waits up to a minute: on the shared Postgres database another test's long transaction
/// (`a_long_transaction_sets_the_memory_aside…`) rightly sets every process's memory aside for
/// 10 s at a time.
async fn until_answered_from_memory(store: &Store, token: &str) {
    until_checked_from_memory(store, Checks::Token(token)).await;
}

/// How an app checks in: the device API's token, or a LicenseSpring app's license and hardware id.
#[derive(Clone, Copy)]
enum Checks<'a> {
    Token(&'a str),
    Hardware(&'a str, &'a str),
}

async fn check(store: &Store, by: Checks<'_>) -> Result<devices::DeviceStatus, AppError> {
    match by {
        Checks::Token(token) => devices::check_in(store, token).await,
        Checks::Hardware(license, hardware) => {
            devices::check_in_hardware(store, license, hardware).await
        }
    }
}

async fn until_checked_from_memory(store: &Store, by: Checks<'_>) {
    let before = store.check_ins_from_memory();
    let answered = tokio::time::timeout(Duration::from_secs(60), async {
        while store.check_ins_from_memory() == before {
            check(store, by).await.expect("check in");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(
        answered.is_ok(),
        "check-ins come to be answered from memory"
    );
}

/// A second pool on the world's database (another "process"), and an app on the license that
/// it answers from memory: the app's device id and token.
async fn remembered_elsewhere(w: &World, hardware_id: &str) -> (Store, String, String) {
    let server = Store::connect(&w.url).await.expect("second pool");
    let (device_id, token) = key_app(&w.store, w, hardware_id).await;
    until_answered_from_memory(&server, &token).await;
    (server, device_id, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_reset_in_another_process_is_refused_at_its_next_check_in() {
    let w = world().await;
    let (portal, a) = (&w.store, &w.a);
    let (server, device_id, token) = remembered_elsewhere(&w, "remembered").await;
    let (_, neighbour) = key_app(portal, &w, "neighbour").await;
    until_answered_from_memory(&server, &neighbour).await;

    devices::reset(portal, &as_actor(&a.manager), &device_id)
        .await
        .expect("reset in the portal");
    assert_eq!(
        devices::check_in(&server, &token)
            .await
            .map(|s| s.device_id),
        Err(AppError::DeviceDeactivated)
    );
    // The license's other device still checks in, and sees one device fewer.
    let status = devices::check_in(&server, &neighbour)
        .await
        .expect("the other device checks in");
    let (license, _) = snapshot(portal, &a.manager, &a.license_id).await;
    assert_eq!(status.license.devices_active, license.devices_active);
    until_answered_from_memory(&server, &neighbour).await;
}

/// A LicenseSpring app's check (by license and hardware id) is answered from memory too, and as
/// surely refused at once when its machine was reset elsewhere; a new activation of the same
/// machine is found again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_by_hardware_id_is_refused_at_once_after_a_reset_elsewhere() {
    let w = world().await;
    let (portal, a) = (&w.store, &w.a);
    let server = Store::connect(&w.url).await.expect("second pool");
    let (device_id, _) = key_app(portal, &w, "ls-machine").await;
    let by = Checks::Hardware(&a.license_id, "ls-machine");
    until_checked_from_memory(&server, by).await;
    // The same hardware id on another license is not this machine.
    let other = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    assert_eq!(
        check(&server, Checks::Hardware(&other.license_id, "ls-machine"))
            .await
            .map(|s| s.device_id),
        Err(AppError::not_found(Thing::Device))
    );

    devices::reset(portal, &as_actor(&a.manager), &device_id)
        .await
        .expect("reset in the portal");
    assert_eq!(
        check(&server, by).await.map(|s| s.device_id),
        Err(AppError::not_found(Thing::Device))
    );
    let (again, _) = key_app(portal, &w, "ls-machine").await;
    assert_eq!(check(&server, by).await.map(|s| s.device_id), Ok(again));
    until_checked_from_memory(&server, by).await;
}

/// A change made by hand, outside Keyport, reaches the next check-in too: the log is written by
/// triggers. A new token for the same machine ends the old one at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_by_hand_and_new_tokens_reach_the_next_check_in() {
    let w = world().await;
    let (portal, a) = (&w.store, &w.a);
    let (server, _, token) = remembered_elsewhere(&w, "by-hand").await;

    sqlx::query("UPDATE licenses SET status = 'suspended' WHERE id = $1")
        .bind(&a.license_id)
        .execute(portal.pool())
        .await
        .expect("suspend by hand");
    let status = devices::check_in(&server, &token).await.expect("check in");
    assert_eq!(status.license.status, LicenseStatus::Suspended);
    sqlx::query("UPDATE licenses SET status = 'active' WHERE id = $1")
        .bind(&a.license_id)
        .execute(portal.pool())
        .await
        .expect("lift by hand");
    until_answered_from_memory(&server, &token).await;

    // The same machine activates again: the old token is replaced.
    let (_, new_token) = key_app(portal, &w, "by-hand").await;
    assert_eq!(
        devices::check_in(&server, &token)
            .await
            .map(|s| s.device_id),
        Err(AppError::Unauthenticated)
    );
    devices::check_in(&server, &new_token)
        .await
        .expect("the new token checks in");
}

/// The log keeps what a process may still need and prunes what is old.
#[tokio::test]
async fn the_log_of_changes_is_pruned_by_age() {
    let w = world().await;
    let store = &w.store;
    let logged = || async {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM check_in_changes WHERE license_id = $1")
                .bind(&w.a.license_id)
                .fetch_one(store.pool())
                .await
                .expect("count the log");
        count
    };
    key_app(store, &w, "logged").await;
    let before = logged().await;
    assert!(before > 0, "the activation was logged");
    store.prune_changes(3600).await.expect("prune");
    assert_eq!(
        logged().await,
        before,
        "nothing of this license is an hour old"
    );
    // Everything logged until a few seconds from now is old enough for this call.
    let pruned = store.prune_changes(-5).await.expect("prune");
    assert!(pruned >= before as u64);
    assert_eq!(logged().await, 0);
}

/// Postgres numbers the log's rows when they are written, not when they commit: a change whose
/// transaction commits after a later-numbered one's still reaches the next check-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_that_commits_late_still_reaches_the_next_check_in() {
    let Some(w) = world_on(Backend::Postgres).await else {
        return;
    };
    let (portal, a) = (&w.store, &w.a);
    let other = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let (server, _, token) = remembered_elsewhere(&w, "late").await;

    let mut slow = portal.pool().begin().await.expect("begin");
    sqlx::query("UPDATE licenses SET status = 'suspended' WHERE id = $1")
        .bind(&a.license_id)
        .execute(&mut *slow)
        .await
        .expect("suspend, not committed yet");
    // A later change, numbered after the slow one, commits first and is read by a round.
    sqlx::query("UPDATE licenses SET max_users = max_users WHERE id = $1")
        .bind(&other.license_id)
        .execute(portal.pool())
        .await
        .expect("a change elsewhere");
    until_answered_from_memory(&server, &token).await;
    slow.commit().await.expect("commit the suspension");

    let status = devices::check_in(&server, &token).await.expect("check in");
    assert_eq!(status.license.status, LicenseStatus::Suspended);
}

/// A long transaction anywhere on the database (a `pg_dump`, a `psql` session left open) holds
/// Postgres' xmin back, so each round would read every change since it began. Past a bound the
/// process sets its memory aside and reads devices, and every answer stays right.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_transaction_sets_the_memory_aside_and_answers_stay_right() {
    let Some(w) = world_on(Backend::Postgres).await else {
        return;
    };
    let (portal, a) = (&w.store, &w.a);
    let other = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let (server, _, token) = remembered_elsewhere(&w, "long").await;

    let mut long = portal.pool().begin().await.expect("begin");
    sqlx::query("SELECT pg_current_xact_id()::text")
        .execute(&mut *long)
        .await
        .expect("a transaction id, held open");
    // Uuids, so safe to write into the block, which takes no parameters.
    sqlx::query(&format!(
        "DO $$ BEGIN FOR i IN 1..1100 LOOP \
         UPDATE licenses SET max_users = max_users WHERE id = '{}'; END LOOP; END $$",
        other.license_id
    ))
    .execute(portal.pool())
    .await
    .expect("many changes elsewhere");
    sqlx::query("UPDATE licenses SET status = 'suspended' WHERE id = $1")
        .bind(&a.license_id)
        .execute(portal.pool())
        .await
        .expect("suspend");

    let answered = server.check_ins_from_memory();
    for _ in 0..3 {
        let status = devices::check_in(&server, &token).await.expect("check in");
        assert_eq!(status.license.status, LicenseStatus::Suspended);
    }
    assert_eq!(
        server.check_ins_from_memory(),
        answered,
        "the memory is set aside"
    );
    long.commit().await.expect("end the long transaction");
}
