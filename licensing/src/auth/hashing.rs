//! The one bound on password hashing: every Argon2 hash or verification in the process runs
//! through here, so a burst of logins costs a fixed amount of memory and CPU, not 7 MiB each.
//!
//! Argon2id takes 7 MiB and tens of milliseconds by design (`service::hasher`). Left
//! unbounded, a thousand simultaneous bogus logins ask for 7 GB. Two limits apply:
//!
//! - **hashing permits**, one per core: no more hashes run at once than there are cores to run
//!   them, since more would only share the same CPUs while each holds its memory;
//! - **queue places**, [`QUEUE_PER_PERMIT`] per permit: a request waits for a permit at most [`MAX_WAIT`] and
//!   only while the queue has room; otherwise it is answered [`AppError::Busy`] at once (503 with
//!   `Retry-After`), changes nothing and counts as no failed attempt.
//!
//! A queued correct login succeeds once a permit frees up; under a flood it may be told to retry
//! in a moment, as no check can tell it from the flood before its password is hashed.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{AppError, Result};

/// The longest a request waits for a hashing permit before it is told to retry.
pub const MAX_WAIT: Duration = Duration::from_secs(3);

/// Queue places per hashing permit: at about 25 ms a hash, a full queue drains in about
/// [`MAX_WAIT`], and fifty apps of one office activating at once all find a place. A waiting
/// request costs a few KiB, not a hash's 7 MiB.
const QUEUE_PER_PERMIT: usize = 128;

/// The seconds a refused client is asked to wait (`Retry-After`).
pub const RETRY_AFTER_SECS: i64 = 1;

struct Gate {
    /// Places in the credential path, each held from admission until the hash is done.
    places: Arc<Semaphore>,
    /// Hashes running now.
    permits: Arc<Semaphore>,
}

static GATE: LazyLock<Gate> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Gate {
        places: Arc::new(Semaphore::new(cores * QUEUE_PER_PERMIT)),
        permits: Arc::new(Semaphore::new(cores)),
    }
});

/// A place in the queue for one password check or hash; held while the request is admitted and
/// checked, so a flood is refused before it reaches the database.
#[must_use]
pub struct Ticket {
    _place: OwnedSemaphorePermit,
}

/// Takes a queue place, or answers `Busy` at once when every place is taken.
pub fn enter() -> Result<Ticket> {
    match GATE.places.clone().try_acquire_owned() {
        Ok(place) => Ok(Ticket { _place: place }),
        Err(_) => {
            tracing::warn!("password hashing queue full: request refused as busy");
            Err(AppError::Busy {
                retry_after_secs: RETRY_AFTER_SECS,
            })
        }
    }
}

impl Ticket {
    /// Runs one Argon2 computation on the blocking pool once a permit is free (at most
    /// [`MAX_WAIT`]; then `Busy`).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let permit =
            match tokio::time::timeout(MAX_WAIT, GATE.permits.clone().acquire_owned()).await {
                Ok(Ok(permit)) => permit,
                Ok(Err(_)) => return Err(AppError::Internal),
                Err(_) => {
                    tracing::warn!("no password hashing permit within the wait: busy");
                    return Err(AppError::Busy {
                        retry_after_secs: RETRY_AFTER_SECS,
                    });
                }
            };
        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(|_| AppError::Internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_answers_busy_and_frees_up_again() {
        let held: Vec<Ticket> = std::iter::from_fn(|| enter().ok()).collect();
        assert!(!held.is_empty());
        assert!(matches!(enter(), Err(AppError::Busy { .. })));
        drop(held);
        let ticket = enter().expect("a place once the others left");
        assert_eq!(ticket.run(|| 42).await, Ok(42));
    }
}
