//! Lending connections for reads and single statements ([`Conn`]): a lent connection goes back
//! to a stack of this process's own instead of through sqlx's release.
//!
//! sqlx pings every connection it takes back (`PoolConnection::return_to_pool`), in a task of its
//! own: on SQLite a round trip to the connection's worker thread, on Postgres one to the server.
//! On SQLite that is two thread hand-offs for every query a request makes, as many as the query
//! itself, and on 2 cores the hand-offs are where a check-in's time goes (`docs/bench.md`). The
//! ping is there to find a dead connection and to flush a rollback that a dropped transaction left
//! queued. A [`Conn`] never holds a transaction ([`super::Tx`] does, and goes back through sqlx),
//! and a statement cancelled halfway is ended by the next one (SQLite's worker drops the rest of
//! its rows; Postgres' connection drains them). A SQLite connection is a file handle that does not
//! die; a Postgres one can die with the server or the network between, so a kept Postgres
//! connection is pinged before it is lent again, as sqlx checks one before lending it.
//!
//! Two fewer connections than the pool has are lent at once, at most: sqlx counts the lent
//! and the kept ones as in use, and the rest stay in its pool for transactions and the tests'
//! direct use. Borrowers wait their turn first come, first served (a fair semaphore), so a
//! connection coming back goes to the longest waiter, not to whoever asks next.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Connection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Connections sqlx's pool keeps out of lending, for transactions and direct use (on SQLite a
/// writer needs one at a time: writers take turns).
const LEFT_TO_SQLX: u32 = 2;

/// This process's connections for lending: the turns, and the idle ones.
#[derive(Debug)]
pub(super) struct Idle {
    turns: Arc<Semaphore>,
    state: Mutex<IdleState>,
    /// Ping a kept connection before lending it again (Postgres).
    check: bool,
}

impl Idle {
    /// Lending for a pool of `pool_size` connections.
    pub(super) fn new(pool_size: u32, check: bool) -> Self {
        Self {
            turns: Arc::new(Semaphore::new(
                pool_size.saturating_sub(LEFT_TO_SQLX).max(1) as usize,
            )),
            state: Mutex::default(),
            check,
        }
    }

    fn take(&self) -> Option<PoolConnection<Any>> {
        self.lock().conns.pop()
    }

    fn put(&self, conn: PoolConnection<Any>) {
        let mut state = self.lock();
        if !state.closed {
            state.conns.push(conn);
        }
        // Otherwise `conn` drops here: sqlx takes it back, ping and all.
    }

    /// Hands every idle connection back to sqlx and ends the lending: the ones lent out follow
    /// when they are returned, and whoever waits for a turn gets `PoolClosed`.
    pub(super) fn close(&self) {
        let conns = {
            let mut state = self.lock();
            state.closed = true;
            std::mem::take(&mut state.conns)
        };
        self.turns.close();
        drop(conns);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, IdleState> {
        // The state is a list and a flag: a panic elsewhere cannot leave it half-changed.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[derive(Debug, Default)]
struct IdleState {
    /// Most recently returned last.
    conns: Vec<PoolConnection<Any>>,
    /// Set at shutdown: from then on connections go back to sqlx, which is waiting for them.
    closed: bool,
}

/// A connection lent for reads and statements outside a transaction; returned when dropped.
pub struct Conn {
    conn: Option<PoolConnection<Any>>,
    /// Where the connection goes back, and the turn it was lent on.
    idle: Arc<Idle>,
    _turn: OwnedSemaphorePermit,
}

impl Conn {
    /// Waits for a turn of at most `timeout`, then lends a kept connection (checked first when
    /// `idle` says so) or, while fewer exist, a new one from `pool`.
    pub(super) async fn lend(
        pool: &AnyPool,
        idle: &Arc<Idle>,
        timeout: Duration,
    ) -> sqlx::Result<Self> {
        let turn = match tokio::time::timeout(timeout, idle.turns.clone().acquire_owned()).await {
            Ok(Ok(turn)) => turn,
            Ok(Err(_closed)) => return Err(sqlx::Error::PoolClosed),
            Err(_elapsed) => return Err(sqlx::Error::PoolTimedOut),
        };
        let conn = match idle.take() {
            Some(mut conn) if idle.check => match conn.ping().await {
                Ok(()) => conn,
                Err(_) => {
                    // Given back first, so it does not count against the pool while a new one is
                    // opened: sqlx finds it dead too, and closes it.
                    drop(conn);
                    pool.acquire().await?
                }
            },
            Some(conn) => conn,
            None => pool.acquire().await?,
        };
        Ok(Self {
            conn: Some(conn),
            idle: idle.clone(),
            _turn: turn,
        })
    }
}

impl std::ops::Deref for Conn {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        self.conn
            .as_ref()
            .expect("a lent connection until it is dropped")
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn
            .as_mut()
            .expect("a lent connection until it is dropped")
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Back on the stack before the turn is given up (when `_turn` drops after this), so
            // the next in line finds it there.
            self.idle.put(conn);
        }
    }
}
