//! Write-behind for devices' `last_seen_at`: a check-in answers from its one read and leaves the
//! time it saw here, and the times go to the database together, in one transaction a second.
//!
//! A device checking in for the first time in a minute used to write on the request path: one
//! more round trip, and on SQLite the database's one write lock and a commit (an fsync) for every
//! such check-in. A fleet that checks in every hour makes nearly every check-in that kind.
//! `last_seen_at` is shown to the minute, so a second's delay changes nothing anyone reads; a
//! server killed outright loses at most that second of times, which the devices' next check-ins
//! write again (their stored time is still old). A reset never waits for this: the check-in's
//! read decides, and the write only touches a device still active.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::Store;
use crate::Millis;

/// How long a seen time waits to be written with the others.
const FLUSH_AFTER: Duration = Duration::from_secs(1);

/// The most devices one transaction writes: on SQLite it holds the database's one write lock,
/// and a very large fleet's second must not keep activations waiting behind it.
const BATCH: usize = 500;

/// Device ids and the latest time each was seen, not yet written.
#[derive(Debug, Default)]
pub(super) struct Pending {
    times: Mutex<HashMap<String, Millis>>,
    /// A flush is on its way: the next seen time rides along with it.
    scheduled: AtomicBool,
}

impl Pending {
    fn take(&self) -> HashMap<String, Millis> {
        std::mem::take(&mut *self.times.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Store {
    /// Notes that an active device was seen at `at`; it is written within a second (see the
    /// module). Needs the tokio runtime the store runs on.
    pub fn note_seen(&self, device_id: &str, at: Millis) {
        {
            let mut times = self.seen.times.lock().unwrap_or_else(|e| e.into_inner());
            let time = times.entry(device_id.to_owned()).or_insert(at);
            *time = (*time).max(at);
        }
        if self.seen.scheduled.swap(true, Ordering::AcqRel) {
            return;
        }
        let store = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(FLUSH_AFTER).await;
            store.seen.scheduled.store(false, Ordering::Release);
            store.flush_seen().await;
        });
    }

    /// Writes every seen time noted so far, in transactions of up to [`BATCH`] devices; a device
    /// reset or deactivated in the meantime keeps its row as it is. On failure the times are
    /// dropped and logged: the devices' next check-ins note them again.
    pub async fn flush_seen(&self) {
        let times: Vec<_> = self.seen.take().into_iter().collect();
        for batch in times.chunks(BATCH) {
            let written = async {
                let mut tx = self.begin().await?;
                // One statement per device, so each keeps its own time.
                for (device_id, at) in batch {
                    super::devices::seen_if_later(&mut tx, device_id, *at).await?;
                }
                tx.commit().await?;
                Ok::<_, crate::error::AppError>(())
            };
            if let Err(err) = written.await {
                tracing::warn!(error = %err, devices = batch.len(), "could not write when devices were last seen");
            }
        }
    }
}
