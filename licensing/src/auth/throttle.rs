//! Throttling of credential checks (portal login, device API activation): failed attempts are
//! counted in the database per account and per client address over a sliding window, so every
//! server process sharing the database sees the same counts.
//!
//! Only settled failures count against a limit: a correct password is never refused because
//! other attempts are in flight. To keep parallel guesses at one account within its limit all the
//! same, each admitted check books a *pending* row, and an account admits no more checks at once
//! than it has failures left: with 4 of 5 used, one check runs and the next waits for its verdict
//! (then runs, or is refused once that verdict was a failure). The admission runs in a short
//! transaction that holds a lock on the account key (SQLite: the database write lock, Postgres: an
//! advisory lock), so two processes cannot both take the last place; the lock is not held while
//! the password is hashed. A pending row left by a process that died mid-check counts as a failure
//! once it is [`STALE_MS`] old.
//!
//! An address counts settled failures only: many machines behind one NAT address activating at
//! once are many attempts in flight, not failures; each guess in flight still meets its account's
//! limit, and license keys carry 256 bits, nothing to guess. An attempt over a limit is refused
//! before the password is looked at and changes nothing (it neither extends the lockout nor
//! reveals anything). A correct password clears the account's settled failures; a wrong one
//! settles its row as a failure and adds one for the address.

use std::time::Duration;

use sqlx::AnyConnection;

use crate::error::{AppError, Result};
use crate::secret;
use crate::store::failures::{self, Remove};
use crate::store::Store;
use crate::{now_millis, Millis};

/// A pending attempt this old is taken for a failure: its process died before the verdict.
pub const STALE_MS: Millis = 60_000;

/// The longest an attempt waits for the account's checks in flight before it is told to retry.
const MAX_ADMIT_WAIT: Duration = Duration::from_secs(10);

/// How often a waiting attempt looks again.
const ADMIT_POLL: Duration = Duration::from_millis(15);

/// How many failures are allowed, and over how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures of one account (company ID and email, whether or not it exists).
    pub account_failures: i64,
    /// Failures from one client address, across accounts and license keys.
    pub address_failures: i64,
    /// The sliding window the failures are counted in.
    pub window_ms: Millis,
}

impl Default for ThrottlePolicy {
    /// 5 per account: a person mistyping gets several tries, a guesser 480 a day. 50 per address:
    /// an office behind one NAT address is not locked out by a few people's typos.
    fn default() -> Self {
        Self {
            account_failures: 5,
            address_failures: 50,
            window_ms: 15 * 60 * 1000,
        }
    }
}

/// The throttle key of an account: the tenant's company key and the normalized email, the same
/// normalization the login query uses, so `ADA@x` and `ada@x ` count as one.
pub fn account_key(company: &str, email: &str) -> String {
    format!(
        "account:{}:{}",
        crate::input::normalised_company(company),
        crate::input::normalised_email(email)
    )
}

fn address_key(ip: &str) -> String {
    format!("address:{ip}")
}

/// Books a forgot-password request, or refuses it with `TooManyAttempts`: as many per account
/// and per address in the window as failed logins, counted apart from logins so neither uses up
/// the other's allowance. The same writes whether or not the account exists.
pub async fn book_reset(
    store: &Store,
    policy: &ThrottlePolicy,
    company: &str,
    email: &str,
    ip: &str,
) -> Result<()> {
    let account = format!("reset:{}", account_key(company, email));
    let address = format!("reset:{}", address_key(ip));
    let mut tx = store.begin_keyed(&account).await?;
    let now = now_millis();
    within_limits(&mut tx, (&account, &address), now, policy, ip).await?;
    for key in [&account, &address] {
        failures::insert(&mut tx, &secret::random_token(), key, now, false).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An admitted attempt, settled by [`Attempt::failed`], [`Attempt::succeeded`] or
/// [`Attempt::withdraw`]. Dropped unsettled, its pending row turns into a failure once stale.
#[must_use]
pub struct Attempt {
    /// The pending row of an account attempt.
    row: Option<String>,
    account: Option<String>,
    address: String,
    window_ms: Millis,
}

/// Admits a credential check or refuses it with `TooManyAttempts`. `account` is the account key
/// (none for a license key); every attempt counts against the client address.
pub async fn admit(
    store: &Store,
    policy: &ThrottlePolicy,
    account: Option<String>,
    ip: &str,
) -> Result<Attempt> {
    let address = address_key(ip);
    let Some(account) = account else {
        // Nothing is booked for a license key: only the address's settled failures count.
        let now = now_millis();
        let mut conn = store.conn().await?;
        let failures = failures_at(&mut conn, &address, now, policy).await?;
        refuse_over_limit(
            ip,
            now,
            policy,
            &[(failures.settled, policy.address_failures)],
        )?;
        return Ok(Attempt {
            row: None,
            account: None,
            address,
            window_ms: policy.window_ms,
        });
    };
    let deadline = tokio::time::Instant::now() + MAX_ADMIT_WAIT;
    loop {
        let mut tx = store.begin_keyed(&account).await?;
        let now = now_millis();
        let by_account = within_limits(&mut tx, (&account, &address), now, policy, ip).await?;
        if by_account.pending < by_account.left {
            let id = secret::random_token();
            failures::insert(&mut tx, &id, &account, now, true).await?;
            tx.commit().await?;
            return Ok(Attempt {
                row: Some(id),
                account: Some(account),
                address,
                window_ms: policy.window_ms,
            });
        }
        // As many checks are in flight as the account has failures left: wait for a verdict.
        drop(tx);
        if tokio::time::Instant::now() >= deadline {
            tracing::warn!(address = %ip, "credential checks of one account kept in flight: busy");
            return Err(AppError::Busy {
                retry_after_secs: super::hashing::RETRY_AFTER_SECS,
            });
        }
        tokio::time::sleep(ADMIT_POLL).await;
    }
}

/// What an account has in the window: its checks in flight, and the failures it has left.
struct AccountCount {
    pending: i64,
    left: i64,
}

/// Refuses with `TooManyAttempts` when the account or the address is at its limit; else says
/// what the account has left.
async fn within_limits(
    conn: &mut AnyConnection,
    (account, address): (&str, &str),
    now: Millis,
    policy: &ThrottlePolicy,
    ip: &str,
) -> Result<AccountCount> {
    let by_address = failures_at(conn, address, now, policy).await?;
    let by_account = failures_at(conn, account, now, policy).await?;
    let count = AccountCount {
        pending: by_account.pending,
        left: policy.account_failures - by_account.settled.len() as i64,
    };
    refuse_over_limit(
        ip,
        now,
        policy,
        &[
            (by_address.settled, policy.address_failures),
            (by_account.settled, policy.account_failures),
        ],
    )?;
    Ok(count)
}

/// The failures of one throttle key inside the window: the times of the settled ones, oldest
/// first, and how many checks are pending.
struct Failures {
    settled: Vec<Millis>,
    pending: i64,
}

async fn failures_at(
    conn: &mut AnyConnection,
    key: &str,
    now: Millis,
    policy: &ThrottlePolicy,
) -> Result<Failures> {
    let rows = failures::since(conn, key, now - policy.window_ms).await?;
    let mut failures = Failures {
        settled: Vec::with_capacity(rows.len()),
        pending: 0,
    };
    for (at, pending) in rows {
        if pending != 0 && at > now - STALE_MS {
            failures.pending += 1;
        } else {
            failures.settled.push(at);
        }
    }
    Ok(failures)
}

/// Refuses with `TooManyAttempts` when any count is at its limit, for as long as it takes the
/// oldest failures to leave the window.
fn refuse_over_limit(
    ip: &str,
    now: Millis,
    policy: &ThrottlePolicy,
    counts: &[(Vec<Millis>, i64)],
) -> Result<()> {
    let mut wait_ms: Millis = 0;
    for (settled, limit) in counts {
        let count = settled.len() as i64;
        if count >= *limit && *limit >= 0 {
            let oldest_to_go = settled[(count - limit) as usize];
            wait_ms = wait_ms.max(oldest_to_go + policy.window_ms - now);
        }
    }
    if wait_ms <= 0 {
        return Ok(());
    }
    let minutes = ((wait_ms + 59_999) / 60_000).max(1);
    tracing::warn!(address = %ip, minutes, "throttled credential check");
    Err(AppError::TooManyAttempts { minutes })
}

impl Attempt {
    /// The credentials were wrong: the account's pending row becomes a failure, and the address
    /// gets one. Failures that left the window are cleared here, on a path that writes anyway.
    pub async fn failed(self, store: &Store) -> Result<()> {
        let now = now_millis();
        let mut conn = store.write_conn().await?;
        if let Some(id) = &self.row {
            failures::settle(&mut conn, id, now).await?;
        }
        failures::insert(
            &mut conn,
            &secret::random_token(),
            &self.address,
            now,
            false,
        )
        .await?;
        let stale = now - self.window_ms.max(STALE_MS);
        failures::delete(&mut conn, Remove::Before(stale)).await?;
        Ok(())
    }

    /// The credentials were right: the attempt is no failure, and the account starts afresh.
    /// Other checks of the account still in flight keep their rows: each settles on its own.
    pub async fn succeeded(self, store: &Store) -> Result<()> {
        if let Some(key) = &self.account {
            let mut conn = store.write_conn().await?;
            let stale = now_millis() - STALE_MS;
            failures::delete(&mut conn, Remove::Settled(key, stale)).await?;
        }
        self.withdraw(store).await
    }

    /// The check did not get to a verdict (bad input, busy, database trouble): not a failure.
    pub async fn withdraw(self, store: &Store) -> Result<()> {
        if let Some(id) = &self.row {
            let mut conn = store.write_conn().await?;
            failures::delete(&mut conn, Remove::Id(id)).await?;
        }
        Ok(())
    }
}
