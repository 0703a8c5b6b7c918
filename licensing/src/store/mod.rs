//! Storage: one connection pool for SQLite or Postgres, chosen by URL, with embedded migrations
//! and the one way to open a transaction that enforces a license limit; the SQL of each table in
//! a module of its own, which the services call with their connection or transaction.
//!
//! Queries are written once in SQL both databases accept (`$n` parameters, integer timestamps,
//! text ids) and run through `sqlx::Any`; only locking and migrations differ per backend. The
//! table modules hold no rules: they read and write rows, and the services decide.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};

use crate::error::{AppError, Result, Thing};
pub use lending::Conn;

pub mod accounts;
pub mod api_keys;
pub mod audit;
pub(crate) mod batch;
mod check_ins;
mod checkpoint;
pub mod customers;
pub mod devices;
pub mod failures;
pub mod flashes;
pub mod import_jobs;
pub mod imports;
mod lending;
pub mod licenses;
pub mod licensespring;
pub mod links;
pub mod orders;
pub mod outbox;
pub mod products;
pub mod seats;
pub mod secrets;
mod seen;
pub mod sessions;
pub mod tenants;
pub mod webhooks;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How SQLite makes a commit durable (`PRAGMA synchronous`, WAL mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteSync {
    /// Every commit is on disk before it is acknowledged: an activation or reset the server
    /// answered survives a power failure. The default.
    #[default]
    Full,
    /// Commits are synced at checkpoints only: faster writes, but the last acknowledged changes
    /// can be lost on power failure or an OS crash (not on a crash of Keyport itself).
    Normal,
}

impl SqliteSync {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Some(Self::Full),
            "normal" => Some(Self::Normal),
            _ => None,
        }
    }

    fn pragma(self) -> &'static str {
        match self {
            Self::Full => "FULL",
            Self::Normal => "NORMAL",
        }
    }
}

/// How to open the database, beyond its URL.
#[derive(Debug, Clone, Copy, Default)]
pub struct StoreOptions {
    pub sqlite_sync: SqliteSync,
}

/// Handle to the database, cheap to clone (the pool is shared).
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    signing_keys: std::sync::Arc<crate::signing::KeyCache>,
    /// SQLite: this process's queue for the database's one write lock (see [`Tx`]).
    writers: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// The connections [`Store::conn`] lends, kept apart from sqlx's release check.
    idle: std::sync::Arc<lending::Idle>,
    /// Devices' seen times waiting to be written (see [`Store::note_seen`]).
    seen: std::sync::Arc<seen::Pending>,
    /// The devices this process answers check-ins for from memory, and its reads of the log that
    /// keeps that memory true (see [`Store::device_by`]).
    check_ins: std::sync::Arc<check_ins::CheckIns>,
    /// SQLite: the background checkpoint of the WAL (see [`checkpoint`]).
    checkpoints: std::sync::Arc<checkpoint::Checkpoints>,
    /// SQLite: the writes waiting to share the next transaction (see [`batch`]).
    batch: std::sync::Arc<batch::Queue>,
}

/// The longest a request waits for a connection: past it the database is as good as unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// SQLite's pool: it has one writer, and more connections would only add lock waits.
const SQLITE_CONNECTIONS: u32 = 8;

/// The longest a write waits for its turn at SQLite's write lock, as long as SQLite's own busy
/// timeout: past it the database is as good as unavailable.
const WRITE_TURN_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection from [`Store::write_conn`]: given back before its turn.
pub struct WriteConn {
    conn: Conn,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteConn {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &sqlx::AnyConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for WriteConn {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.conn
    }
}

/// A transaction. On SQLite a writing one also holds this process's turn at the database's one
/// write lock until it ends: writers queue first come, first served in memory, instead of each
/// polling SQLite's lock with its busy handler's growing sleeps (which left the lock idle while
/// waiters slept, and made some wait several rounds). Other processes on the same file still
/// meet the busy timeout.
pub struct Tx {
    inner: Transaction<'static, Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Tx {
    pub async fn commit(self) -> sqlx::Result<()> {
        self.inner.commit().await
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        self.inner.rollback().await
    }
}

impl std::ops::Deref for Tx {
    type Target = Transaction<'static, Any>;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.inner
    }
}

impl Store {
    /// Connects, creating a SQLite file if it does not exist, and runs pending migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, StoreOptions::default()).await
    }

    /// [`Store::connect`] with options.
    pub async fn connect_with(url: &str, options: StoreOptions) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let sync = options.sqlite_sync.pragma();
        let options = AnyConnectOptions::from_str(&url)?;
        let connections = match backend {
            Backend::Sqlite => SQLITE_CONNECTIONS,
            Backend::Postgres => 16,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // A pooled SQLite connection is a file handle that cannot go stale, and sqlx's check
            // before lending it is a round trip to the connection's worker thread: one more
            // thread hand-off for every query a request makes. A Postgres connection can die with
            // its server or the network between, and is still checked.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers proceed while one writer holds the lock; the busy
                        // timeout makes writers queue instead of failing. Checkpoints run in the
                        // background, not in a request's commit (see `checkpoint`).
                        conn.execute(
                            format!(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync}; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                                 PRAGMA wal_autocheckpoint = 0;"
                            )
                            .as_str(),
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let store = Self {
            pool,
            backend,
            signing_keys: Default::default(),
            writers: Default::default(),
            idle: std::sync::Arc::new(lending::Idle::new(
                connections,
                backend == Backend::Postgres,
            )),
            seen: Default::default(),
            check_ins: Default::default(),
            checkpoints: Default::default(),
            batch: Default::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A connection for reads (a transaction is [`Store::begin`]'s; a single write outside one,
    /// [`Store::write_conn`]'s).
    pub async fn conn(&self) -> Result<Conn> {
        Ok(Conn::lend(&self.pool, &self.idle, ACQUIRE_TIMEOUT).await?)
    }

    /// A connection for writes outside a transaction. On SQLite it holds this process's turn at
    /// the write lock, taken before the connection: a writer held up by the lock then holds no
    /// connection a reader needs, and it queues with the transactions instead of polling the
    /// lock with SQLite's busy handler. Not for a task that holds a transaction already.
    pub async fn write_conn(&self) -> Result<WriteConn> {
        let turn = self.write_turn().await?;
        Ok(WriteConn {
            conn: self.conn().await?,
            _turn: turn,
        })
    }

    /// The tenants' signing keys this process has loaded (they never change once written).
    pub(crate) fn signing_keys(&self) -> &crate::signing::KeyCache {
        &self.signing_keys
    }

    /// A transaction for a plain write that checks no limit.
    pub async fn begin(&self) -> Result<Tx> {
        let turn = self.write_turn().await?;
        Ok(Tx {
            inner: self.pool.begin().await?,
            _turn: turn,
        })
    }

    /// A transaction that holds the write lock on one license before anything is read, so a
    /// check-then-write rule (a limit) sees every committed change and no concurrent request can
    /// slip in between the check and the write: SQLite takes the database write lock at `BEGIN`,
    /// Postgres locks the license row (`NotFound` when there is none).
    ///
    /// The caller's first statement reads the license, or what hangs on it, and reports a missing
    /// one itself (every caller's does): on SQLite, where the lock is the whole database's, a
    /// separate check would be one more round trip under that lock for nothing.
    pub async fn begin_locked(&self, license_id: &str) -> Result<Tx> {
        let mut tx = self.begin_writing().await?;
        if self.backend == Backend::Postgres {
            license_exists(&mut tx, license_id, true).await?;
        }
        Ok(tx)
    }

    /// Locks one license in a transaction begun with [`Store::begin_keyed`] (Postgres: its row;
    /// SQLite holds the whole database already), for a check-then-write on it; `NotFound` when
    /// there is no such license.
    pub async fn lock_license(&self, tx: &mut Tx, license_id: &str) -> Result<()> {
        license_exists(tx, license_id, self.backend == Backend::Postgres).await
    }

    /// A short transaction that serializes everyone working on one key (a throttle account), in
    /// every process sharing the database: SQLite takes the database write lock at `BEGIN`,
    /// Postgres a transaction-scoped advisory lock on the key's hash (a collision only makes two
    /// keys wait for each other).
    pub async fn begin_keyed(&self, key: &str) -> Result<Tx> {
        let mut tx = self.begin_writing().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(key)
                .execute(&mut **tx)
                .await?;
        }
        Ok(tx)
    }

    /// A transaction that writes: on SQLite it takes the write lock at `BEGIN`, after its turn.
    async fn begin_writing(&self) -> Result<Tx> {
        let turn = self.write_turn().await?;
        let inner = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Tx { inner, _turn: turn })
    }

    /// SQLite: waits for this process's turn to write, before a connection is taken from the pool
    /// (a writer waiting with a connection in hand would starve the readers). Postgres locks rows.
    async fn write_turn(&self) -> Result<Option<tokio::sync::OwnedMutexGuard<()>>> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        match tokio::time::timeout(WRITE_TURN_TIMEOUT, self.writers.clone().lock_owned()).await {
            Ok(turn) => {
                self.checkpoint_soon();
                Ok(Some(turn))
            }
            Err(_) => {
                tracing::error!("no turn at the database's write lock within 10 s");
                Err(AppError::Unavailable)
            }
        }
    }

    /// Whether the database answers; used by the health endpoint.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    /// Closes every connection once no request holds one. On SQLite the WAL is first folded into
    /// the database file, so what a stopped server leaves on disk is one self-contained file (safe
    /// to copy as a backup); closing connections concurrently may otherwise leave the WAL behind.
    pub async fn close(&self) {
        self.flush_seen().await;
        // sqlx's close waits for every connection it lent, the kept ones too.
        self.idle.close();
        if self.backend == Backend::Sqlite {
            // After a background checkpoint still running, and before any scheduled one.
            let _running = self.checkpoints.running.lock().await;
            if let Err(err) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await
            {
                tracing::warn!(error = %err, "could not checkpoint the WAL at shutdown");
            }
        }
        self.pool.close().await;
    }
}

async fn license_exists(tx: &mut Tx, license_id: &str, lock: bool) -> Result<()> {
    licenses::lock(tx, license_id, lock)
        .await?
        .map(|_| ())
        .ok_or_else(|| AppError::not_found(Thing::License))
}

/// Why the store could not start; shown to the operator, not to portal users.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("DATABASE_URL must start with sqlite: or postgres:")]
    UnsupportedUrl,
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A fresh random id: 122 random bits, so ids cannot be guessed or enumerated.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Whether `table` (the outbox or the webhook deliveries: `status`, `next_attempt_at`,
/// `claimed_until`) has a pending row that is due and not held by a live lease. The senders ask
/// this, a read, before they claim: an idle poll (most of them) then takes no write lock, which on
/// SQLite is the one every activation and reset waits for.
pub(crate) async fn any_due(
    conn: &mut sqlx::AnyConnection,
    table: &'static str,
    now: crate::Millis,
) -> sqlx::Result<bool> {
    let due: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM {table} \
             WHERE status = 'pending' AND next_attempt_at <= $1 \
               AND (claimed_until IS NULL OR claimed_until < $1) LIMIT 1) due"
    ))
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(due > 0)
}
