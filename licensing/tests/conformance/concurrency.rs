//! Limits under concurrent requests.

use super::*;

/// Twenty simultaneous resets against a budget of three, split over two pools (two "server
/// processes" on one database): exactly three succeed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_resets_respect_the_budget() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    set_max_activations(store, &a.license_id, 20).await;
    for i in 0..16 {
        let act = activate(
            store,
            &a.license_id,
            &a.manager.account_id,
            &format!("hw-{i}"),
        )
        .await
        .expect("activate");
        assert!(act.created);
    }
    let (l, all) = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!((l.devices_active, l.max_activations), (20, 20));
    assert_eq!((l.deactivations_used, l.max_deactivations), (0, 3));
    assert_eq!(all.len(), 20);

    let second = Store::connect(&w.url).await.expect("second pool");
    let barrier = Arc::new(tokio::sync::Barrier::new(all.len()));
    let mut tasks = Vec::new();
    for (i, device) in all.iter().enumerate() {
        let store = if i % 2 == 0 {
            store.clone()
        } else {
            second.clone()
        };
        let who = a.manager.clone();
        let id = device.id.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            devices::reset(&store, &as_actor(&who), &id).await
        }));
    }
    let mut ok = Vec::new();
    let mut refused = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(outcome) => ok.push(outcome.deactivations_left),
            Err(AppError::DeactivationLimitReached { allowed: 3 }) => refused += 1,
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    ok.sort_unstable();
    assert_eq!(ok, vec![0, 1, 2]);
    assert_eq!(refused, 17);

    let (l, left) = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(l.deactivations_used, 3);
    assert_eq!(l.devices_active, 17);
    assert_eq!(left.len(), 17);
    assert_eq!(audit_count(store, &a.license_id, "device.reset").await, 3);
}

/// Simultaneous activations: one hardware id activated many times at once takes one slot, and
/// many new machines at once never exceed the activation limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_activations_respect_the_limit() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let second = Store::connect(&w.url).await.expect("second pool");

    async fn race(
        stores: [&Store; 2],
        license_id: &str,
        account_id: &str,
        hardware: Vec<String>,
    ) -> Vec<Result<Activation, AppError>> {
        let barrier = Arc::new(tokio::sync::Barrier::new(hardware.len()));
        let tasks: Vec<_> = hardware
            .into_iter()
            .enumerate()
            .map(|(i, hw)| {
                let store = stores[i % 2].clone();
                let (lic, acct, barrier) = (
                    license_id.to_owned(),
                    account_id.to_owned(),
                    barrier.clone(),
                );
                tokio::spawn(async move {
                    barrier.wait().await;
                    activate(&store, &lic, &acct, &hw).await
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("task"));
        }
        out
    }

    // Eight activations of one new machine: one slot, one device id.
    let same = race(
        [store, &second],
        &a.license_id,
        &a.user.account_id,
        vec!["hw-same".to_owned(); 8],
    )
    .await;
    let same: Vec<Activation> = same
        .into_iter()
        .map(|r| r.expect("activate same"))
        .collect();
    assert_eq!(same.iter().filter(|x| x.created).count(), 1);
    assert!(same.iter().all(|x| x.device_id == same[0].device_id));
    assert_eq!(
        licenses::get(store, &a.manager, &a.license_id)
            .await
            .unwrap()
            .devices_active,
        5
    );

    // Ten new machines for five free slots.
    let many = race(
        [store, &second],
        &a.license_id,
        &a.user.account_id,
        (0..10).map(|i| format!("hw-many-{i}")).collect(),
    )
    .await;
    let created = many
        .iter()
        .filter(|r| matches!(r, Ok(x) if x.created))
        .count();
    let refused = many
        .iter()
        .filter(|r| **r == Err(AppError::TooManyDevices { allowed: 10 }))
        .count();
    assert_eq!((created, refused), (5, 5), "{many:?}");
    let l = licenses::get(store, &a.manager, &a.license_id)
        .await
        .unwrap();
    assert_eq!(l.devices_active, 10);
}

/// Thirty simultaneous "Assign license user" requests by the manager, split over two pools (two
/// "server processes" on one database), for exactly five free seats: five succeed, the rest are
/// refused, and the license ends exactly full.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_assignments_respect_the_seat_limit() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let second = Store::connect(&w.url).await.expect("second pool");
    let customer_id = a.manager.customer_id.clone().unwrap();
    let mut accounts = Vec::new();
    for i in 0..30 {
        accounts.push(
            new_customer_account(
                store,
                &a.manager.tenant_id,
                &customer_id,
                &format!("c{i}@acme.example"),
            )
            .await,
        );
    }
    let seats_used = licenses::get(store, &a.manager, lic)
        .await
        .unwrap()
        .seats_used;
    set_max_users(store, lic, seats_used + 5).await;
    let allowed = seats_used + 5;
    let assigned_before = audit_count(store, lic, "user.assigned").await;

    let barrier = Arc::new(tokio::sync::Barrier::new(accounts.len()));
    let tasks: Vec<_> = accounts
        .iter()
        .enumerate()
        .map(|(i, acct)| {
            let store = if i % 2 == 0 {
                store.clone()
            } else {
                second.clone()
            };
            let (who, lic, acct, barrier) = (
                a.manager.clone(),
                lic.clone(),
                acct.clone(),
                barrier.clone(),
            );
            tokio::spawn(async move {
                barrier.wait().await;
                users::assign(&store, &as_actor(&who), &lic, &acct).await
            })
        })
        .collect();
    let (mut ok, mut refused) = (BTreeSet::new(), 0);
    for t in tasks {
        match t.await.expect("task") {
            Ok(change) => {
                assert_eq!(change.devices_deactivated, 0);
                ok.insert(change.account_id);
            }
            Err(AppError::SeatLimitReached { allowed: n }) if n == allowed => refused += 1,
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!((ok.len(), refused), (5, 25));

    let l = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!((l.seats_used, l.max_users), (allowed, allowed));
    assert_eq!(
        audit_count(store, lic, "user.assigned").await,
        assigned_before + 5
    );
    // Exactly the five that were told "assigned" hold a seat; the others are still candidates.
    let view = users_of(store, &a.manager, lic).await;
    assert_eq!((view.seats_used, view.max_users), (allowed, allowed));
    let seated: BTreeSet<String> = view
        .users
        .iter()
        .map(|u| u.account_id.clone())
        .filter(|id| accounts.contains(id))
        .collect();
    assert_eq!(seated, ok);
    assert_eq!(view.candidates.len(), 25);
}

/// Activations that arrive together share one SQLite transaction (`store::batch`; on Postgres
/// each has its own). One refused in it, here for a suspended license, gets its own error, and
/// every other one is still written and answered. (How the batch treats a write that fails
/// halfway is `store::batch`'s own test.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refused_activation_among_simultaneous_ones_is_refused_alone() {
    let w = world().await;
    let store = &w.store;
    let b = w.add_tenant("Batch Vendor", "Beta Corp", "beta").await;
    sqlx::query("UPDATE licenses SET status = 'suspended' WHERE id = $1")
        .bind(&b.license_id)
        .execute(store.pool())
        .await
        .expect("suspend b's license");
    set_max_activations(store, &w.a.license_id, 100).await;
    let before = licenses::get(store, &w.a.manager, &w.a.license_id)
        .await
        .unwrap()
        .devices_active;
    let activated_before = audit_count(store, &w.a.license_id, "device.activated").await;
    let b_activated_before = audit_count(store, &b.license_id, "device.activated").await;

    let barrier = Arc::new(tokio::sync::Barrier::new(16));
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let store = store.clone();
            let barrier = barrier.clone();
            let (license, account) = if i % 4 == 1 {
                (b.license_id.clone(), b.user.account_id.clone())
            } else {
                (w.a.license_id.clone(), w.a.user.account_id.clone())
            };
            tokio::spawn(async move {
                barrier.wait().await;
                activate(&store, &license, &account, &format!("batched-{i}")).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    for (i, answer) in answers.iter().enumerate() {
        if i % 4 == 1 {
            assert_eq!(answer, &Err(AppError::LicenseInactive), "activation {i}");
        } else {
            assert!(
                matches!(answer, Ok(a) if a.created),
                "activation {i}: {answer:?}"
            );
        }
    }
    let after = licenses::get(store, &w.a.manager, &w.a.license_id)
        .await
        .unwrap()
        .devices_active;
    assert_eq!(after, before + 12);
    // Written once each: a rolled-back batch's writes are gone before its jobs run again alone.
    assert_eq!(
        audit_count(store, &w.a.license_id, "device.activated").await,
        activated_before + 12
    );
    assert_eq!(
        audit_count(store, &b.license_id, "device.activated").await,
        b_activated_before
    );
}
