//! The `sessions` table: portal logins, stored by the hash of their cookie, and the one way they
//! are ended.

use sqlx::AnyConnection;

use super::accounts::PrincipalRow;
use crate::Millis;

pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    account_id: &str,
    now: Millis,
    expires_at: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The account of a live session, and when the session was last used.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    #[sqlx(flatten)]
    pub principal: PrincipalRow,
    pub last_seen_at: Millis,
    /// The one-time notes waiting for the session's pages (`flashes`), counted in the same
    /// statement so a page with none need not look for its own.
    pub notes: i64,
}

/// The session of this hash if it has not expired by `now` and was used after `idle_since`.
pub async fn live(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: Millis,
    idle_since: Millis,
) -> sqlx::Result<Option<SessionRow>> {
    sqlx::query_as(
        "SELECT a.id, a.tenant_id, t.name AS tenant_name, a.customer_id, a.name, a.email, a.kind, \
                s.last_seen_at, \
                (SELECT COUNT(*) FROM flashes f WHERE f.token_hash = s.token_hash) AS notes \
         FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN tenants t ON t.id = a.tenant_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3",
    )
    .bind(token_hash)
    .bind(now)
    .bind(idle_since)
    .fetch_optional(conn)
    .await
}

pub async fn touch(conn: &mut AnyConnection, token_hash: &str, now: Millis) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Which sessions [`end`] ends.
#[derive(Debug, Clone, Copy)]
pub enum Sessions<'a> {
    /// The one session of this token hash.
    Token(&'a str),
    /// Every session of the account.
    Account(&'a str),
    /// Every session of the account whose session this token hash is.
    AccountOfToken(&'a str),
    /// The account's sessions that expired by this time.
    ExpiredOf(&'a str, Millis),
    /// Every session of the license's users who are not its managers.
    UsersOf(&'a str),
}

pub async fn end(conn: &mut AnyConnection, which: Sessions<'_>) -> sqlx::Result<()> {
    let filter = match which {
        Sessions::Token(_) => "token_hash = $1",
        Sessions::Account(_) => "account_id = $1",
        Sessions::AccountOfToken(_) => {
            "account_id IN (SELECT account_id FROM sessions WHERE token_hash = $1)"
        }
        Sessions::ExpiredOf(..) => "account_id = $1 AND expires_at <= $2",
        Sessions::UsersOf(_) => {
            "account_id IN \
             (SELECT account_id FROM license_users WHERE license_id = $1 AND role <> 'manager')"
        }
    };
    let sql = format!("DELETE FROM sessions WHERE {filter}");
    let query = sqlx::query(&sql);
    let query = match which {
        Sessions::Token(key)
        | Sessions::Account(key)
        | Sessions::AccountOfToken(key)
        | Sessions::UsersOf(key) => query.bind(key),
        Sessions::ExpiredOf(account_id, now) => query.bind(account_id).bind(now),
    };
    query.execute(conn).await?;
    Ok(())
}
