//! SQLite's WAL checkpoints, run in the background a moment after a write instead of inside the
//! commit that happens to cross SQLite's threshold.
//!
//! SQLite's automatic checkpoint (`wal_autocheckpoint`, 1,000 pages) runs in the connection that
//! commits past the threshold, after its commit and before its answer: that one request copies the
//! whole WAL into the database file and syncs it. An activation writes some ten pages, so about
//! one in a hundred paid for everyone's, and it showed as a p99 some twenty times the p50 with one
//! app and nothing else running (`docs/bench.md`). Here the connections leave the WAL alone and a
//! task checkpoints it `PASSIVE`ly (no lock that a reader or a writer waits for) shortly after
//! writes, so no request carries it. The WAL then grows by what is written in that moment, not
//! more; the last connection to close still folds it in, and [`Store::close`] truncates it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::Store;

/// How long after a write the checkpoint runs: the writes of that moment share it.
const CHECKPOINT_AFTER: Duration = Duration::from_millis(200);

/// Whether a checkpoint is on its way.
#[derive(Debug, Default)]
pub(super) struct Checkpoints {
    scheduled: AtomicBool,
    /// Held while one runs: SQLite answers a second checkpoint begun meanwhile (the shutdown's
    /// `TRUNCATE`) with "busy" instead of waiting, and the WAL would stay behind.
    pub(super) running: tokio::sync::Mutex<()>,
}

impl Store {
    /// Notes that a write is about to happen (SQLite): a checkpoint follows within
    /// [`CHECKPOINT_AFTER`] unless one is on its way already.
    pub(super) fn checkpoint_soon(&self) {
        if self.checkpoints.scheduled.swap(true, Ordering::AcqRel) {
            return;
        }
        let store = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(CHECKPOINT_AFTER).await;
            // Cleared before the checkpoint, so a write committed during it schedules the next.
            store.checkpoints.scheduled.store(false, Ordering::Release);
            store.checkpoint().await;
        });
    }

    /// Folds what it can of the WAL into the database file without waiting for anyone. A failure
    /// is logged: the next write schedules another, and nothing written is at risk (the WAL
    /// holds it).
    async fn checkpoint(&self) {
        let _running = self.checkpoints.running.lock().await;
        if self.pool.is_closed() {
            return;
        }
        let done = async {
            let mut conn = self.conn().await?;
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&mut *conn)
                .await?;
            Ok::<_, crate::error::AppError>(())
        };
        if let Err(err) = done.await {
            tracing::warn!(error = %err, "could not checkpoint the WAL");
        }
    }
}
