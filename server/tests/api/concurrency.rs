//! Concurrency: simultaneous activations on one or two servers take exactly the free slots.

use super::*;

/// 50 distinct machines at once against 10 free slots, spread over the given servers.
/// How the racing apps authenticate.
#[derive(Clone, Copy)]
enum By {
    LicenseKey,
    /// The manager's email and correct password: every one of the 50 checks is a success, so
    /// none may be refused by the throttle (429) while the others are in flight.
    Login,
}

async fn race(w: &World, servers: &[&Server], free: i64, by: By) {
    // 4 devices are active.
    w.set_max_activations(4 + free).await;
    // Make the tenant's key before the race, so the race is about slots only.
    w.public_key().await;
    let audit0 = w.audit().await;
    let barrier = Arc::new(tokio::sync::Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let url = servers[i % servers.len()].url("/activations");
            let hardware_id = format!("race-{i}");
            let body = match by {
                By::LicenseKey => w.by_key(&hardware_id),
                By::Login => w.login("manager@acme.example", &hardware_id),
            };
            let client = w.client.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let r = client
                    .post(url)
                    .json(&body)
                    .send()
                    .await
                    .expect("activation");
                let status = r.status().as_u16();
                (status, r.text().await.unwrap_or_default())
            })
        })
        .collect();
    let mut by_status = BTreeMap::<u16, usize>::new();
    for t in tasks {
        let (status, body) = t.await.expect("task");
        assert!(status == 201 || status == 409, "{status}: {body}");
        *by_status.entry(status).or_default() += 1;
    }
    let (taken, refused) = (free as usize, 50 - free as usize);
    assert_eq!(by_status, BTreeMap::from([(201, taken), (409, refused)]));
    assert_eq!(w.active_devices().await, 4 + free);
    assert_eq!(
        audit_diff(&audit0, &w.audit().await),
        diff(&[
            ("device.activated", taken as i64),
            ("device.limit_refused", refused as i64)
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_activations_take_exactly_the_free_slots() {
    let w = world().await;
    race(&w, &[&w.server], 10, By::LicenseKey).await;
}

/// The same across two server processes sharing one database (Postgres, or one SQLite file).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_hold_the_limit_together() {
    let w = world().await;
    let second = Server::start(&w.url).await;
    race(&w, &[&w.server, &second], 10, By::LicenseKey).await;
}

/// Fifty apps activating with one account's correct password at once: a correct password is
/// never refused for the others in flight, so exactly the free slots are taken and the rest are
/// told the license is full.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_logins_take_exactly_the_free_slots() {
    let w = world().await;
    race(&w, &[&w.server], 6, By::Login).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_logins_on_two_servers_take_exactly_the_free_slots() {
    let w = world().await;
    let second = Server::start(&w.url).await;
    race(&w, &[&w.server, &second], 6, By::Login).await;
}
