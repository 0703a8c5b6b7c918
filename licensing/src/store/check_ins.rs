//! Check-ins answered from memory without ever answering for a device that was reset: each
//! process remembers the devices it answered for, and before it answers from memory it reads the
//! database's log of changes (`check_in_changes`, written by triggers, migration 0015) in one
//! round shared by every check-in that arrived since the last round began.
//!
//! Why it is safe: a round that begins after a check-in arrived sees every change committed
//! before it arrived, in any process. A remembered device is used only when no change of its
//! license was read by a round that finished after the device was read. So a device reset
//! anywhere is refused at its very next check-in, exactly as when every check-in read the device.
//!
//! Why it is faster: one busy server's check-ins share their rounds (under load a round serves
//! every app waiting on it), where each used to make its own round trip to the database. A quiet
//! server gains nothing: when no round ran in the last half minute, a check-in reads its device
//! directly, as before, and starts a round behind its answer for the check-ins to come.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sqlx::AnyConnection;
use tokio::sync::watch;

use super::devices::{self as rows, DeviceKey, DeviceOnLicense};
use super::{Backend, Store};
use crate::error::Result;
use crate::Millis;

/// How long after its last round a process still relies on its memory. Past it a check-in reads
/// its device directly, and the next round starts the log over from where it is now.
const TRUST_FOR: Duration = Duration::from_secs(30);

/// How old a logged change gets before it is pruned: far past [`TRUST_FOR`], and past any
/// transaction's length, so no process relying on its memory can miss a change to pruning.
const KEEP_CHANGES_SECS: i64 = 600;

/// How often a process prunes the log.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// The most devices a process remembers (each is a license row and a device, ~1 KB): enough for
/// a busy fleet, small next to the server's memory target.
const MAX_REMEMBERED: usize = 10_000;

/// The most licenses whose changes a process keeps track of between forgetting everything
/// (~100 bytes each).
const MAX_CHANGED: usize = 10_000;

/// The most rows a Postgres round reads. A long transaction anywhere on the database (a
/// `pg_dump`, a session left open in `psql`) holds the snapshot xmin back, and each round would
/// read every change since it began; past this many, the process stops relying on its memory for
/// [`SET_ASIDE_FOR`] and its check-ins read their devices, as they did before there was a memory.
const MAX_ROWS_PER_ROUND: i64 = 1_000;

/// How long a process reads devices directly after a round found too many rows.
const SET_ASIDE_FOR: Duration = Duration::from_secs(10);

/// What one process remembers for its check-ins, and its rounds.
#[derive(Debug)]
pub(super) struct CheckIns {
    memory: Mutex<Memory>,
    rounds: Mutex<Rounds>,
    finished: watch::Sender<Finished>,
    /// Check-ins answered from memory since the process started.
    answered: AtomicU64,
}

impl Default for CheckIns {
    fn default() -> Self {
        Self {
            memory: Mutex::default(),
            rounds: Mutex::default(),
            finished: watch::Sender::new(Finished::default()),
            answered: AtomicU64::new(0),
        }
    }
}

#[derive(Debug, Default)]
struct Rounds {
    /// The number of the last round begun (rounds count from 1).
    begun: u64,
    /// The highest round a waiting check-in needs.
    wanted: u64,
    /// A task is running rounds.
    running: bool,
}

#[derive(Debug, Default, Clone, Copy)]
struct Finished {
    /// The last round that finished, read or failed.
    last: u64,
    /// The last round that read the log.
    read: u64,
}

#[derive(Debug, Default)]
struct Memory {
    devices: HashMap<String, Remembered>,
    /// Per license: the round that read its latest change.
    changed: HashMap<String, u64>,
    /// Devices read before this round are not relied on (the log was started over).
    floor: u64,
    /// Where the next round reads the log from; `None` until a round has.
    from: Option<LogPosition>,
    /// When the last round that read the log began.
    last_read: Option<Instant>,
    last_pruned: Option<Instant>,
    last_swept: Option<Instant>,
    /// Until then check-ins read their devices directly (see [`MAX_ROWS_PER_ROUND`]).
    set_aside_until: Option<Instant>,
}

#[derive(Debug, Clone)]
struct Remembered {
    device: Arc<DeviceOnLicense>,
    /// The last round that had finished before the device was read.
    as_of: u64,
    used: Instant,
}

#[derive(Debug)]
enum LogPosition {
    /// SQLite: rows are numbered in commit order (one writer); the next round reads past this.
    Sqlite(i64),
    /// Postgres: the last round's snapshot xmin, and the rows it read at or above it. Rows of a
    /// transaction still running at that round are read again, once it commits.
    Postgres { xmin: String, read: HashSet<i64> },
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Memory {
    /// A round read the log lately (one may be reading it now, its position taken).
    fn trusted(&self) -> bool {
        self.last_read.is_some_and(|at| at.elapsed() < TRUST_FOR)
    }

    fn set_aside(&self) -> bool {
        self.set_aside_until
            .is_some_and(|until| Instant::now() < until)
    }

    /// Whether a remembered device was read after every change of its license a round has read.
    fn is_current(&self, remembered: &Remembered) -> bool {
        remembered.as_of >= self.floor
            && self
                .changed
                .get(&remembered.device.license.id)
                .is_none_or(|round| *round <= remembered.as_of)
    }

    /// The device remembered by this key (see [`DeviceKey::remembered_as`]), if it is current.
    fn recall(&mut self, key: &str) -> Option<Remembered> {
        let found = self.devices.get(key)?.clone();
        if !self.is_current(&found) {
            self.devices.remove(key);
            return None;
        }
        if let Some(entry) = self.devices.get_mut(key) {
            entry.used = Instant::now();
        }
        Some(found)
    }

    fn remember(&mut self, key: &str, device: Arc<DeviceOnLicense>, as_of: u64) {
        if self.devices.len() >= MAX_REMEMBERED && !self.devices.contains_key(key) {
            // At most one sweep a second: a fleet larger than the memory reads its devices.
            if self
                .last_swept
                .is_some_and(|at| at.elapsed() < Duration::from_secs(1))
            {
                return;
            }
            self.last_swept = Some(Instant::now());
            self.devices
                .retain(|_, r| r.used.elapsed() < Duration::from_secs(60));
            if self.devices.len() >= MAX_REMEMBERED {
                return;
            }
        }
        self.devices.insert(
            key.to_owned(),
            Remembered {
                device,
                as_of,
                used: Instant::now(),
            },
        );
    }

    /// Starts the log over at `from`: nothing read before `round` is relied on.
    fn start_over(&mut self, round: u64, from: LogPosition) {
        self.devices.clear();
        self.changed.clear();
        self.floor = round;
        self.from = Some(from);
    }

    fn note_changes(&mut self, round: u64, licenses: impl IntoIterator<Item = String>) {
        for license in licenses {
            self.changed.insert(license, round);
        }
        if self.changed.len() > MAX_CHANGED {
            self.changed.clear();
            self.devices.clear();
            self.floor = round;
        }
    }
}

impl Store {
    /// The device `key` finds, with its license, as a read of the database now would find it
    /// (see the module); `None` when there is none.
    pub(crate) async fn device_by(
        &self,
        key: DeviceKey<'_>,
    ) -> Result<Option<Arc<DeviceOnLicense>>> {
        let Some(remembered_as) = key.remembered_as() else {
            return self.read_device(key).await;
        };
        // What this process knows, looked at under its lock (released before any await).
        let (set_aside, trusted, remembered) = {
            let mut memory = lock(&self.check_ins.memory);
            let (set_aside, trusted) = (memory.set_aside(), memory.trusted());
            let remembered = (trusted && !set_aside)
                .then(|| memory.recall(&remembered_as))
                .flatten();
            (set_aside, trusted, remembered)
        };
        if set_aside {
            return self.read_device(key).await;
        }
        if !trusted {
            // No round lately: start one for the check-ins to come, without waiting for it.
            self.want_round();
        }
        if let Some(remembered) = remembered {
            if self.round_after_arrival().await
                && lock(&self.check_ins.memory).is_current(&remembered)
            {
                self.check_ins.answered.fetch_add(1, Ordering::Relaxed);
                return Ok(Some(remembered.device));
            }
        }
        let as_of = self.check_ins.finished.borrow().read;
        let device = self.read_device(key).await?;
        if let Some(device) = device.as_ref().filter(|d| d.deactivated_at.is_none()) {
            lock(&self.check_ins.memory).remember(&remembered_as, device.clone(), as_of);
        }
        Ok(device)
    }

    /// The device `key` finds, read from the database.
    async fn read_device(&self, key: DeviceKey<'_>) -> Result<Option<Arc<DeviceOnLicense>>> {
        let mut conn = self.conn().await?;
        let device = rows::with_license(&mut conn, key).await?;
        Ok(device.map(Arc::new))
    }

    /// How many check-ins this process answered from memory: how the tests know the memory was
    /// relied on, not bypassed.
    pub fn check_ins_from_memory(&self) -> u64 {
        self.check_ins.answered.load(Ordering::Relaxed)
    }

    /// Notes in memory that a remembered device was seen at `at` (its row is written behind).
    pub(crate) fn remember_seen(&self, key: DeviceKey<'_>, at: Millis) {
        let Some(key) = key.remembered_as() else {
            return;
        };
        if let Some(found) = lock(&self.check_ins.memory).devices.get_mut(key.as_ref()) {
            let mut device = (*found.device).clone();
            device.device_seen_at = at;
            found.device = Arc::new(device);
        }
    }

    /// Waits for a round that begins after this call; `false` when it could not read the log.
    /// (No time limit of its own: the round's read has the pool's, as a direct read would.)
    async fn round_after_arrival(&self) -> bool {
        let needed = self.want_round();
        let mut finished = self.check_ins.finished.subscribe();
        let waited = finished.wait_for(|done| done.last >= needed).await;
        matches!(waited, Ok(done) if done.read >= needed)
    }

    /// Asks for a round that has not begun yet, and returns its number.
    fn want_round(&self) -> u64 {
        let mut rounds = lock(&self.check_ins.rounds);
        let needed = rounds.begun + 1;
        rounds.wanted = rounds.wanted.max(needed);
        if !rounds.running {
            rounds.running = true;
            let store = self.clone();
            tokio::spawn(async move { store.run_rounds().await });
        }
        needed
    }

    /// Runs rounds one after the other while a check-in waits for one.
    async fn run_rounds(self) {
        /// Should this task panic, its waiting check-ins read their devices directly and the
        /// next check-in starts rounds again, instead of all waiting for rounds nobody runs. A
        /// normal end says so under the same lock as its last look at what is wanted, so no
        /// request falls in between.
        struct Running<'a>(&'a CheckIns);
        impl Drop for Running<'_> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    let wanted = {
                        let mut rounds = lock(&self.0.rounds);
                        rounds.running = false;
                        rounds.begun = rounds.wanted;
                        rounds.wanted
                    };
                    self.0
                        .finished
                        .send_modify(|done| done.last = done.last.max(wanted));
                }
            }
        }
        let _running = Running(&self.check_ins);
        loop {
            let round = {
                let mut rounds = lock(&self.check_ins.rounds);
                if rounds.begun >= rounds.wanted {
                    rounds.running = false;
                    return;
                }
                rounds.begun += 1;
                rounds.begun
            };
            // Let the requests already running ask first: one round then answers them all.
            tokio::task::yield_now().await;
            let began = Instant::now();
            let read = match self.read_changes(round, began).await {
                Ok(()) => true,
                Err(err) => {
                    tracing::warn!(error = %err, "could not read the log of check-in changes");
                    false
                }
            };
            self.check_ins.finished.send_modify(|done| {
                done.last = round;
                if read {
                    done.read = round;
                }
            });
            if read {
                self.prune_changes_now_and_then();
            }
        }
    }

    /// One round: the changes logged since the last round, or where the log is now when this
    /// process has not read it lately.
    async fn read_changes(&self, round: u64, began: Instant) -> Result<()> {
        let from = {
            let mut memory = lock(&self.check_ins.memory);
            if memory.trusted() {
                memory.from.take()
            } else {
                None
            }
        };
        let mut conn = self.conn().await?;
        let read = match (self.backend, from) {
            (Backend::Sqlite, Some(LogPosition::Sqlite(after))) => {
                read_sqlite(&mut conn, after).await?
            }
            (Backend::Postgres, Some(LogPosition::Postgres { xmin, read })) => {
                read_postgres(&mut conn, xmin, read).await?
            }
            (Backend::Sqlite, _) => {
                let last: i64 =
                    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM check_in_changes")
                        .fetch_one(&mut *conn)
                        .await?;
                Read::StartOver(LogPosition::Sqlite(last))
            }
            (Backend::Postgres, _) => {
                let xmin: String =
                    sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
                        .fetch_one(&mut *conn)
                        .await?;
                Read::StartOver(LogPosition::Postgres {
                    xmin,
                    read: HashSet::new(),
                })
            }
        };
        let mut memory = lock(&self.check_ins.memory);
        match read {
            Read::Changes(licenses, next) => {
                memory.note_changes(round, licenses);
                memory.from = Some(next);
            }
            Read::StartOver(from) => memory.start_over(round, from),
            Read::TooMany(from) => {
                memory.start_over(round, from);
                memory.set_aside_until = Some(Instant::now() + SET_ASIDE_FOR);
            }
        }
        memory.last_read = Some(began);
        Ok(())
    }

    /// Deletes logged changes older than [`KEEP_CHANGES_SECS`], at most once a
    /// [`PRUNE_EVERY`], behind the round.
    fn prune_changes_now_and_then(&self) {
        {
            let mut memory = lock(&self.check_ins.memory);
            if memory
                .last_pruned
                .is_some_and(|at| at.elapsed() < PRUNE_EVERY)
            {
                return;
            }
            memory.last_pruned = Some(Instant::now());
        }
        let store = self.clone();
        tokio::spawn(async move {
            if let Err(err) = store.prune_changes(KEEP_CHANGES_SECS).await {
                tracing::warn!(error = %err, "could not prune the log of check-in changes");
            }
        });
    }

    /// Deletes the logged changes older than `secs` seconds.
    pub async fn prune_changes(&self, secs: i64) -> Result<u64> {
        let now_secs = crate::now_millis() / 1000;
        let mut conn = self.write_conn().await?;
        let done = sqlx::query("DELETE FROM check_in_changes WHERE at < $1")
            .bind(now_secs.saturating_sub(secs))
            .execute(&mut *conn)
            .await?;
        Ok(done.rows_affected())
    }
}

/// What a round read: the licenses changed since the last round and where the next one reads
/// from, or where the log is now (nothing remembered before is relied on).
enum Read {
    Changes(Vec<String>, LogPosition),
    StartOver(LogPosition),
    /// More rows than [`MAX_ROWS_PER_ROUND`]: start over from here and set the memory aside.
    TooMany(LogPosition),
}

async fn read_sqlite(conn: &mut AnyConnection, after: i64) -> sqlx::Result<Read> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT seq, license_id FROM check_in_changes WHERE seq > $1 ORDER BY seq")
            .bind(after)
            .fetch_all(conn)
            .await?;
    let last = rows.last().map_or(after, |(seq, _)| *seq);
    let licenses = rows.into_iter().map(|(_, license)| license).collect();
    Ok(Read::Changes(licenses, LogPosition::Sqlite(last)))
}

async fn read_postgres(
    conn: &mut AnyConnection,
    xmin: String,
    before: HashSet<i64>,
) -> sqlx::Result<Read> {
    // One statement, so the xmin and the rows come from one snapshot.
    let rows: Vec<(String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT s.xmin, c.seq, c.license_id \
         FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin) s \
         LEFT JOIN check_in_changes c ON c.xid >= $1::xid8 \
         LIMIT $2",
    )
    .bind(&xmin)
    .bind(MAX_ROWS_PER_ROUND + 1)
    .fetch_all(conn)
    .await?;
    let next = rows.first().map_or(xmin, |(x, _, _)| x.clone());
    if rows.len() as i64 > MAX_ROWS_PER_ROUND {
        return Ok(Read::TooMany(LogPosition::Postgres {
            xmin: next,
            read: HashSet::new(),
        }));
    }
    let mut read = HashSet::new();
    let mut licenses = Vec::new();
    for (_, seq, license) in rows {
        if let (Some(seq), Some(license)) = (seq, license) {
            if !before.contains(&seq) {
                licenses.push(license);
            }
            read.insert(seq);
        }
    }
    Ok(Read::Changes(
        licenses,
        LogPosition::Postgres { xmin: next, read },
    ))
}
