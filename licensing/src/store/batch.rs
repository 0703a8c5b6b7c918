//! SQLite: writes of many requests in one transaction, so they share its commit (and its fsync)
//! instead of each waiting for the one write lock through a commit of its own.
//!
//! SQLite has one writer at a time. With `synchronous = FULL` every transaction ends in an fsync,
//! and with 32 apps activating at once each activation held the lock alone for 1.3–2.4 ms while
//! the others queued behind it, one commit each (`docs/bench.md`). Here a request hands its write
//! to a queue and waits for its answer and for the turn at the lock at once; whoever gets the turn
//! runs every write queued by then, one after another in one transaction, and commits them
//! together. Each write still reads what the ones before it wrote (the transaction is one), so a
//! limit checked inside it holds exactly as in a transaction of its own. A write that fails breaks
//! the transaction for all: it is rolled back, and each write of that batch runs again alone, so
//! one request's failure is never another's. A write is answered only after its transaction
//! committed.

use std::sync::Mutex;

use futures_util::future::BoxFuture;

use super::{Store, Tx};
use crate::error::{AppError, Result};

/// The most writes one transaction carries: the lock is held while they run, and past this the
/// next request with the turn takes the rest.
const MAX_BATCH: usize = 32;

/// What a write did in the transaction it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ran {
    /// It wrote rows to be committed.
    Wrote,
    /// It decided without writing (a refusal): the transaction is as it found it.
    WroteNothing,
    /// It failed, perhaps halfway: the transaction must not be committed.
    Failed,
}

/// One request's write: run (more than once, when its batch is rolled back) and then told how
/// its transaction ended.
pub(crate) trait Job: Send {
    fn run<'t>(&'t mut self, tx: &'t mut Tx) -> BoxFuture<'t, Ran>;

    /// The transaction holding the last run committed (`Ok`), or could not be (`Err`): the job
    /// answers its request.
    fn finish(self: Box<Self>, committed: Result<()>);
}

/// The writes waiting for the next transaction, each with its ticket.
#[derive(Default)]
pub(super) struct Queue {
    jobs: Mutex<Vec<(u64, Box<dyn Job>)>>,
    next_ticket: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue").finish_non_exhaustive()
    }
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(u64, Box<dyn Job>)>> {
        // A list of jobs: a panic elsewhere cannot leave it half-changed.
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A job's place in the queue, given up when its request is dropped before a batch took it.
struct Queued<'a> {
    queue: &'a Queue,
    ticket: u64,
}

impl Queued<'_> {
    /// Takes the job out of the queue; false when a batch took it already.
    fn withdraw(&self) -> bool {
        let mut jobs = self.queue.lock();
        match jobs.iter().position(|(t, _)| *t == self.ticket) {
            Some(at) => {
                jobs.remove(at);
                true
            }
            None => false,
        }
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.withdraw();
    }
}

impl Store {
    /// SQLite: runs `job` in the next write transaction, with whatever other writes are queued
    /// by then, and returns the answer the job sent on `answer` ([`Job::finish`]); `Unavailable`
    /// (the job then never ran) when no turn at the write lock came in time.
    ///
    /// A request waits for its answer and for the turn at once. Whoever gets the turn first runs
    /// every write queued by then, and the requests whose writes it carried stop waiting for the
    /// turn as soon as they are answered. Had each waited for its own turn, every turn would
    /// find only the one write that arrived since the last, and run a transaction of one.
    ///
    /// A request dropped while it waits (its client hung up) takes its job out of the queue, so
    /// nothing is written for it later. The batch itself runs in a task of its own: a request
    /// dropped while its turn's batch runs must not cut off the others' writes.
    pub(crate) async fn write_batched<T>(
        &self,
        job: Box<dyn Job>,
        mut answer: tokio::sync::oneshot::Receiver<Result<T>>,
    ) -> Result<T> {
        let ticket = self
            .batch
            .next_ticket
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.batch.lock().push((ticket, job));
        let queued = Queued {
            queue: &self.batch,
            ticket,
        };
        let turn = tokio::select! {
            biased;
            answered = &mut answer => return answered.unwrap_or(Err(AppError::Internal)),
            turn = self.write_turn() => turn,
        };
        let turn = match turn {
            Ok(turn) => turn,
            // Still queued: it never ran, and the request fails with nothing written for it.
            Err(err) if queued.withdraw() => return Err(err),
            // Taken by a batch that holds the turn: its answer is on the way.
            Err(_) => return answer.await.unwrap_or(Err(AppError::Internal)),
        };
        let jobs: Vec<_> = {
            let mut waiting = self.batch.lock();
            let n = waiting.len().min(MAX_BATCH);
            waiting.drain(..n).map(|(_, job)| job).collect()
        };
        if jobs.is_empty() {
            drop(turn);
        } else {
            let store = self.clone();
            // Awaited through the answer: a panic in a job drops the senders of its batch, and
            // their requests (this one too, if its job was there) answer `Internal`.
            drop(tokio::spawn(async move {
                store.run_batch(jobs).await;
                drop(turn);
            }));
        }
        // A sender dropped unanswered: its batch's task died (a panic), logged where it happened.
        answer.await.unwrap_or(Err(AppError::Internal))
    }

    /// Runs the jobs in one transaction while this task holds the write turn; on a failure,
    /// each alone.
    async fn run_batch(&self, mut jobs: Vec<Box<dyn Job>>) {
        let started = std::time::Instant::now();
        let size = jobs.len();
        match self.begin_under_turn().await {
            Ok(mut tx) => {
                let mut failed = false;
                for job in &mut jobs {
                    if job.run(&mut tx).await == Ran::Failed {
                        failed = true;
                        break;
                    }
                }
                if !failed {
                    let committed = tx.commit().await.map_err(AppError::from);
                    tracing::debug!(
                        size,
                        micros = started.elapsed().as_micros() as u64,
                        "write batch"
                    );
                    for job in jobs {
                        job.finish(committed.clone());
                    }
                    return;
                }
                let _ = tx.rollback().await;
            }
            Err(err) => {
                for job in jobs {
                    job.finish(Err(err.clone()));
                }
                return;
            }
        }
        for mut job in jobs {
            let committed = match self.begin_under_turn().await {
                Ok(mut tx) => match job.run(&mut tx).await {
                    Ran::Wrote => tx.commit().await.map_err(AppError::from),
                    Ran::WroteNothing | Ran::Failed => {
                        let _ = tx.rollback().await;
                        Ok(())
                    }
                },
                Err(err) => Err(err),
            };
            job.finish(committed);
        }
    }

    /// A writing transaction for the task that holds the write turn already.
    async fn begin_under_turn(&self) -> Result<Tx> {
        Ok(Tx {
            inner: self.pool.begin_with("BEGIN IMMEDIATE").await?,
            _turn: None,
        })
    }
}

#[cfg(test)]
mod tests {
    //! The batch's own rules, with writes that succeed, decline or fail on demand.

    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::testing::ScratchDir;

    /// A write of one line to a table of notes, ending as told.
    struct Note {
        text: &'static str,
        ends: Ran,
        runs: Arc<AtomicUsize>,
        reply: tokio::sync::oneshot::Sender<Result<Ran>>,
    }

    impl Job for Note {
        fn run<'t>(&'t mut self, tx: &'t mut Tx) -> BoxFuture<'t, Ran> {
            Box::pin(async move {
                self.runs.fetch_add(1, Ordering::SeqCst);
                // A failing write fails after it wrote: the half-done transaction is the case.
                if self.ends != Ran::WroteNothing {
                    sqlx::query("INSERT INTO notes (text) VALUES ($1)")
                        .bind(self.text)
                        .execute(&mut ***tx)
                        .await
                        .expect("insert a note");
                }
                self.ends
            })
        }

        fn finish(self: Box<Self>, committed: Result<()>) {
            let _ = self.reply.send(committed.map(|()| self.ends));
        }
    }

    /// Runs the writes, `(text, how it ends)`, all queued before any gets the turn; returns each
    /// one's runs, each one's answer and the notes committed.
    async fn batch_of(
        writes: &[(&'static str, Ran)],
    ) -> (Vec<usize>, Vec<Result<Ran>>, Vec<String>) {
        let dir = ScratchDir::new("batch");
        let url = format!("sqlite://{}", dir.path().join("keyport.db").display());
        let store = Store::connect(&url).await.expect("open the store");
        sqlx::query("CREATE TABLE notes (text TEXT NOT NULL)")
            .execute(store.pool())
            .await
            .expect("create the table");
        // Held until every write waits in the queue: the first to get it then takes them all.
        let turn = store.write_turn().await.expect("the turn");
        let mut requests = Vec::new();
        let mut runs = Vec::new();
        for &(text, ends) in writes {
            let count = Arc::new(AtomicUsize::new(0));
            runs.push(count.clone());
            let (reply, answer) = tokio::sync::oneshot::channel();
            let job = Box::new(Note {
                text,
                ends,
                runs: count,
                reply,
            });
            let store = store.clone();
            requests.push(tokio::spawn(async move {
                store.write_batched(job, answer).await
            }));
        }
        while store.batch.lock().len() < writes.len() {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        drop(turn);
        let mut answers = Vec::new();
        for request in requests {
            answers.push(request.await.expect("the request"));
        }
        let notes = sqlx::query_scalar("SELECT text FROM notes ORDER BY text")
            .fetch_all(store.pool())
            .await
            .expect("read the notes");
        store.close().await;
        let runs = runs.iter().map(|r| r.load(Ordering::SeqCst)).collect();
        (runs, answers, notes)
    }

    #[tokio::test]
    async fn a_write_that_declines_leaves_the_others_one_transaction() {
        let (runs, answers, notes) = batch_of(&[
            ("a", Ran::Wrote),
            ("b", Ran::WroteNothing),
            ("c", Ran::Wrote),
        ])
        .await;
        assert_eq!(runs, [1, 1, 1], "nothing ran twice");
        assert_eq!(
            answers,
            [Ok(Ran::Wrote), Ok(Ran::WroteNothing), Ok(Ran::Wrote)]
        );
        assert_eq!(notes, ["a", "c"]);
    }

    #[tokio::test]
    async fn a_failed_write_is_undone_and_the_others_run_again_alone() {
        let (runs, answers, notes) =
            batch_of(&[("a", Ran::Wrote), ("b", Ran::Failed), ("c", Ran::Wrote)]).await;
        // The batch stopped at the failure ("c" never ran in it), then each ran alone.
        assert_eq!(runs, [2, 2, 1]);
        assert_eq!(answers, [Ok(Ran::Wrote), Ok(Ran::Failed), Ok(Ran::Wrote)]);
        assert_eq!(notes, ["a", "c"], "the failed write's note was rolled back");
    }
}
