//! Throttling of credential checks (portal login, device API activation): failed attempts are
//! counted in the database per account and per client address over a sliding window, so every
//! server process sharing the database sees the same counts.
//!
//! An attempt on an account first records a provisional failure for it and then counts the
//! others: concurrent guesses at one account all see each other, so a burst cannot slip past the
//! limit while Argon2 is busy. An address counts only settled failures: many machines behind one
//! NAT address activating at once are many attempts in flight, not failures (a burst of guesses
//! from one address can pass its limit by the guesses in flight, each of which still meets its
//! account's limit; license keys carry 256 bits, nothing to guess). An attempt over a limit takes
//! its row back and is refused before the password is looked at, so it changes nothing (it neither
//! extends the lockout nor reveals anything). A correct password removes the attempt's row and
//! clears the account's count; a wrong one keeps it and adds one for the address.

use sqlx::Row;

use crate::error::{AppError, Result};
use crate::secret;
use crate::store::Store;
use crate::{now_millis, Millis};

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
        company.trim().to_lowercase(),
        email.trim().to_lowercase()
    )
}

fn address_key(ip: &str) -> String {
    format!("address:{ip}")
}

/// An admitted attempt, settled by [`Attempt::failed`], [`Attempt::succeeded`] or
/// [`Attempt::withdraw`]. Dropped unsettled, its account's provisional failure stays.
#[must_use]
pub struct Attempt {
    rows: Vec<String>,
    account: Option<String>,
    address: String,
}

/// Admits a credential check or refuses it with `TooManyAttempts`. `account` is the account key
/// (none for a license key); every attempt counts against the client address.
pub async fn admit(
    store: &Store,
    policy: &ThrottlePolicy,
    account: Option<String>,
    ip: &str,
) -> Result<Attempt> {
    let now = now_millis();
    let since = now - policy.window_ms;
    sqlx::query("DELETE FROM auth_failures WHERE at <= $1")
        .bind(since)
        .execute(store.pool())
        .await?;
    let mut attempt = Attempt {
        rows: Vec::with_capacity(1),
        account: account.clone(),
        address: address_key(ip),
    };
    // The account's row is booked before counting (see the module's note); `none` for the address.
    let mut keys = vec![(
        attempt.address.clone(),
        policy.address_failures,
        String::new(),
    )];
    if let Some(key) = account {
        let id = insert_failure(store, &key, now).await?;
        attempt.rows.push(id.clone());
        keys.push((key, policy.account_failures, id));
    }
    let mut wait_ms: Millis = 0;
    for (key, limit, own) in &keys {
        let earlier: Vec<Millis> = sqlx::query(
            "SELECT at FROM auth_failures WHERE throttle_key = $1 AND at > $2 AND id <> $3 \
             ORDER BY at",
        )
        .bind(key)
        .bind(since)
        .bind(own)
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|row| row.try_get::<Millis, _>("at"))
        .collect::<std::result::Result<_, _>>()?;
        let count = earlier.len() as i64;
        if count >= *limit {
            // Allowed again once enough of the oldest failures have left the window.
            let frees_at = earlier[(count - limit) as usize] + policy.window_ms;
            wait_ms = wait_ms.max(frees_at - now);
        }
    }
    if wait_ms > 0 {
        attempt.withdraw(store).await?;
        let minutes = ((wait_ms + 59_999) / 60_000).max(1);
        tracing::warn!(address = %ip, minutes, "throttled credential check");
        return Err(AppError::TooManyAttempts { minutes });
    }
    Ok(attempt)
}

async fn insert_failure(store: &Store, key: &str, at: Millis) -> Result<String> {
    let id = secret::random_token();
    sqlx::query("INSERT INTO auth_failures (id, throttle_key, at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(key)
        .bind(at)
        .execute(store.pool())
        .await?;
    Ok(id)
}

impl Attempt {
    /// The credentials were wrong: the account's failure stays, and the address gets one.
    pub async fn failed(self, store: &Store) -> Result<()> {
        insert_failure(store, &self.address, now_millis()).await?;
        Ok(())
    }

    /// The credentials were right: the attempt is no failure, and the account starts afresh.
    pub async fn succeeded(self, store: &Store) -> Result<()> {
        if let Some(key) = &self.account {
            sqlx::query("DELETE FROM auth_failures WHERE throttle_key = $1")
                .bind(key)
                .execute(store.pool())
                .await?;
        }
        self.withdraw(store).await
    }

    /// The check did not get to a verdict (bad input, database trouble): not a failure.
    pub async fn withdraw(self, store: &Store) -> Result<()> {
        for id in &self.rows {
            sqlx::query("DELETE FROM auth_failures WHERE id = $1")
                .bind(id)
                .execute(store.pool())
                .await?;
        }
        Ok(())
    }
}
