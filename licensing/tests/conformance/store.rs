//! The store's own behaviour, apart from any rule: lending connections (never starving
//! transactions or shutdown, never lending a dead one), SQLite's commit durability, devices' seen
//! times written behind the check-in, and reads that take no write turn.

use super::*;

/// Connections lent for reads ([`Store::conn`]) never starve what needs the pool: with as many
/// borrowers as the pool has connections, all holding on, a transaction still begins and commits;
/// the borrowers left waiting get their turn once the others let go; and the store still closes
/// (this process keeps idle connections apart from sqlx's pool, which waits for them at close),
/// with a connection still lent until after the close began.
#[tokio::test]
async fn lent_connections_never_starve_transactions_or_shutdown() {
    use std::time::Duration;
    let w = world().await;
    let store = &w.store;
    let pool_size = store.pool().options().get_max_connections();
    let (release, hold) = tokio::sync::watch::channel(false);
    let borrowers: Vec<_> = (0..pool_size)
        .map(|_| {
            let (store, mut hold) = (store.clone(), hold.clone());
            tokio::spawn(async move {
                let conn = store.conn().await?;
                let _ = hold.wait_for(|go| *go).await;
                drop(conn);
                Ok::<_, AppError>(())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let wrote = tokio::time::timeout(Duration::from_secs(10), async {
        let mut tx = store.begin().await?;
        sqlx::query("UPDATE licenses SET status = status WHERE id = $1")
            .bind(&w.a.license_id)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    })
    .await
    .expect("a transaction begins while every lendable connection is lent");
    assert_eq!(wrote, Ok(()));
    release.send(true).expect("borrowers listening");
    for borrower in borrowers {
        let lent = tokio::time::timeout(Duration::from_secs(10), borrower)
            .await
            .expect("every borrower gets a connection in turn")
            .expect("borrower");
        assert_eq!(lent, Ok(()));
    }
    let mut conn = store.conn().await.expect("a connection once all are back");
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(&mut *conn)
        .await
        .expect("a read");
    assert!(customers >= 1);
    let closing = tokio::spawn({
        let store = store.clone();
        async move { store.close().await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(conn);
    tokio::time::timeout(Duration::from_secs(10), closing)
        .await
        .expect("the store closes once the last lent connection is back")
        .expect("close");
    assert!(store.pool().is_closed());
    assert_eq!(
        store.conn().await.err(),
        Some(AppError::Unavailable),
        "a closed store lends nothing"
    );
}

/// A kept Postgres connection that died while idle (the server ended it) is found dead before
/// it is lent again, and the borrower gets a live one instead of an error.
#[tokio::test]
async fn a_dead_kept_connection_is_not_lent_again() {
    let Some(w) = world_on(Backend::Postgres).await else {
        return;
    };
    let backend_pid = |store: Store| async move {
        let mut conn = store.conn().await?;
        sqlx::query_scalar::<_, i32>("SELECT pg_backend_pid()")
            .fetch_one(&mut *conn)
            .await
            .map_err(AppError::from)
    };
    let first = backend_pid(w.store.clone()).await.expect("a connection");
    let ended: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(first)
        .fetch_one(w.store.pool())
        .await
        .expect("pg_terminate_backend");
    assert!(ended);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let next = backend_pid(w.store.clone())
        .await
        .expect("a live connection after the kept one died");
    assert_ne!(next, first);
}

/// SQLite acknowledges a commit only once it is on disk (`synchronous = FULL`), unless the
/// operator chose the faster mode; Postgres syncs every commit by its own default.
#[tokio::test]
async fn sqlite_commits_are_durable_unless_the_operator_chooses_otherwise() {
    use licensing::store::{SqliteSync, StoreOptions};
    let Some(w) = world_on(Backend::Sqlite).await else {
        return;
    };
    let synchronous = |store: Store| async move {
        let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(store.pool())
            .await
            .expect("PRAGMA synchronous");
        level
    };
    // SQLite's numbers: 1 NORMAL, 2 FULL.
    assert_eq!(synchronous(w.store.clone()).await, 2);
    let normal = StoreOptions {
        sqlite_sync: SqliteSync::Normal,
    };
    let fast = Store::connect_with(&w.url, normal).await.expect("reopen");
    assert_eq!(synchronous(fast).await, 1);
}

/// SQLite's WAL is folded into the database file by the store's own checkpoint shortly after a
/// write, not left for a request's commit to do (`store::checkpoint`): a copy of the database
/// file alone, without its WAL, soon holds what was written.
#[tokio::test]
async fn sqlite_folds_writes_into_the_database_file_in_the_background() {
    use std::time::{Duration, Instant};
    let Some(w) = world_on(Backend::Sqlite).await else {
        return;
    };
    let dir = w
        .dir
        .as_ref()
        .expect("a SQLite world has its scratch directory");
    let file = dir.path().join("keyport.db");
    let copy = dir.path().join("copy.db");
    let later = w
        .add_tenant("Folded Ltd", "Folded Customer", "folded")
        .await;
    // A copy taken while a checkpoint writes the file can be torn: such a read counts as "not
    // yet", and the next copy decides.
    let in_copy = |company: String| {
        let (file, copy) = (file.clone(), copy.clone());
        async move {
            std::fs::copy(&file, &copy).expect("copy the database file");
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
            }
            let pool = sqlx::AnyPool::connect(&format!("sqlite://{}", copy.display())).await?;
            let found: sqlx::Result<i64> =
                sqlx::query_scalar("SELECT COUNT(*) FROM tenants WHERE lower(company_key) = $1")
                    .bind(company.to_lowercase())
                    .fetch_one(&pool)
                    .await;
            pool.close().await;
            found
        }
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = in_copy(later.company.clone()).await;
        if matches!(found, Ok(1)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the write is still only in the WAL after 10 s (last read of the file: {found:?})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A check-in's seen time is written behind it ([`Store::note_seen`]): by a flush about a second
/// later that nobody asks for, at once by `close`, and never onto a device reset in between.
#[tokio::test]
async fn seen_times_are_written_behind_the_check_in_and_at_close() {
    use std::time::Duration;
    let w = world().await;
    let store = &w.store;
    let mut apps = Vec::new();
    for hardware_id in ["seen-flushed", "seen-reset", "seen-closing"] {
        apps.push(key_app(store, &w, hardware_id).await);
    }
    let [flushed, reset, closing] = &apps[..] else {
        unreachable!()
    };
    sqlx::query("UPDATE devices SET last_seen_at = 1 WHERE license_id = $1")
        .bind(&w.a.license_id)
        .execute(store.pool())
        .await
        .expect("age the devices");
    let seen_at = |store: Store, id: String| async move {
        let at: i64 = sqlx::query_scalar("SELECT last_seen_at FROM devices WHERE id = $1")
            .bind(id)
            .fetch_one(store.pool())
            .await
            .expect("read last_seen_at");
        at
    };
    let before = licensing::now_millis();

    devices::check_in(store, &flushed.1)
        .await
        .expect("check in");
    let written = tokio::time::timeout(Duration::from_secs(10), async {
        while seen_at(store.clone(), flushed.0.clone()).await < before {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(
        written.is_ok(),
        "the seen time is written without a flush being asked for"
    );

    devices::check_in(store, &reset.1).await.expect("check in");
    devices::reset(store, &as_actor(&w.a.manager), &reset.0)
        .await
        .expect("reset the device");
    store.flush_seen().await;
    assert_eq!(
        seen_at(store.clone(), reset.0.clone()).await,
        1,
        "a reset device stays as the reset left it"
    );
    assert_eq!(
        devices::check_in(store, &reset.1)
            .await
            .map(|s| s.device_id),
        Err(AppError::DeviceDeactivated)
    );

    devices::check_in(store, &closing.1)
        .await
        .expect("check in");
    store.close().await;
    let reopened = Store::connect(&w.url).await.expect("reopen");
    assert!(
        seen_at(reopened.clone(), closing.0.clone()).await >= before,
        "close writes the seen times still waiting"
    );
    reopened.close().await;
}

/// However many devices were seen in a second, every time noted is written: more devices than
/// one transaction takes go in several.
#[tokio::test]
async fn every_noted_seen_time_is_written_however_many() {
    let w = world().await;
    let store = &w.store;
    let devices = 1_201;
    let mut tx = store.begin().await.expect("begin");
    for i in 0..devices {
        sqlx::query(
            "INSERT INTO devices (id, license_id, hardware_id, name, os, first_activated_at, \
             last_seen_at) VALUES ($1, $2, $3, $3, 'Linux', 1, 1)",
        )
        .bind(format!("seen-many-{i}"))
        .bind(&w.a.license_id)
        .bind(format!("hw-many-{i}"))
        .execute(&mut **tx)
        .await
        .expect("insert a device");
    }
    tx.commit().await.expect("commit");
    let at = licensing::now_millis();
    for i in 0..devices {
        store.note_seen(&format!("seen-many-{i}"), at);
    }
    store.flush_seen().await;
    let written: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM devices WHERE id LIKE 'seen-many-%' AND last_seen_at = $1",
    )
    .bind(at)
    .fetch_one(store.pool())
    .await
    .expect("count");
    assert_eq!(written, devices);
}

/// SQLite: writes outside a transaction wait for this process's turn at the write lock before
/// they take a connection, so writers held up by the lock never starve readers. With a
/// transaction holding the lock, as many refused license keys as the pool has connections (each
/// refusal writes a failure) wait, a read still gets a connection at once, and every refusal is
/// answered once the transaction ends.
#[tokio::test]
async fn writers_waiting_for_the_lock_leave_connections_to_readers() {
    use std::time::Duration;
    let Some(w) = world_on(Backend::Sqlite).await else {
        return;
    };
    let store = &w.store;
    let mut tx = store.begin().await.expect("begin");
    sqlx::query("UPDATE licenses SET status = status WHERE id = $1")
        .bind(&w.a.license_id)
        .execute(&mut **tx)
        .await
        .expect("take the write lock");
    let pool_size = store.pool().options().get_max_connections();
    let writers: Vec<_> = (0..pool_size)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let key = devices::ActivationAuth::LicenseKey(format!("KP-NOT-A-KEY-{i}"));
                let ip = format!("198.51.100.{i}");
                devices::activation_target(&store, &key, &ip, &THROTTLE)
                    .await
                    .map(|target| target.license_id)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let read = tokio::time::timeout(Duration::from_secs(3), store.conn()).await;
    assert!(
        matches!(read, Ok(Ok(_))),
        "a read gets a connection while the writers wait for the lock"
    );
    drop(read);
    tx.commit().await.expect("commit");
    for writer in writers {
        let refused = tokio::time::timeout(Duration::from_secs(10), writer)
            .await
            .expect("every writer gets its turn")
            .expect("writer");
        assert_eq!(refused, Err(AppError::InvalidCredentials));
    }
}

/// An installation secret is made once, whoever asks first, and a stored one is read without a
/// write: it is had while a transaction holds SQLite's write lock (every webhook round and every
/// server start ask for one, and should not queue behind every license's writes for it).
#[tokio::test]
async fn installation_secrets_are_made_once_and_read_without_a_write_turn() {
    use licensing::secret::installation_secret;
    use std::time::Duration;
    let w = world().await;
    let store = &w.store;
    let (first, second) = tokio::join!(
        installation_secret(store, "conformance"),
        installation_secret(store, "conformance")
    );
    let secret = first.expect("made");
    assert_eq!(second.expect("made"), secret);
    assert!(!secret.is_empty());
    let tx = store.begin().await.expect("begin");
    let again = tokio::time::timeout(
        Duration::from_secs(3),
        installation_secret(store, "conformance"),
    )
    .await
    .expect("a stored secret waited for the write lock")
    .expect("read");
    assert_eq!(again, secret);
    tx.rollback().await.expect("rollback");
}
