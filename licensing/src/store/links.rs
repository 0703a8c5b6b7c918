//! The `password_links` table: one-time set-password links, stored by the hash of their token.

use sqlx::AnyConnection;

use crate::Millis;

pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    account_id: &str,
    purpose: &str,
    now: Millis,
    expires_at: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO password_links (token_hash, account_id, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(purpose)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whom an unspent, unexpired link is for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkAccount {
    pub id: String,
    pub name: String,
    pub email: String,
    pub company_key: String,
    pub tenant_id: String,
    pub purpose: String,
}

pub async fn usable(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: Millis,
) -> sqlx::Result<Option<LinkAccount>> {
    sqlx::query_as(
        "SELECT a.id, a.name, a.email, t.company_key, t.id AS tenant_id, p.purpose \
         FROM password_links p \
         JOIN accounts a ON a.id = p.account_id JOIN tenants t ON t.id = a.tenant_id \
         WHERE p.token_hash = $1 AND p.used_at IS NULL AND p.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Locks the link's row with a write that changes nothing. As the transaction's first statement
/// it takes SQLite's write lock too, so a simultaneous redemption queues instead of failing to
/// upgrade its read lock later (`database is locked`).
pub async fn lock(conn: &mut AnyConnection, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE password_links SET used_at = used_at WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks the link used; false when it already was.
pub async fn spend(conn: &mut AnyConnection, token_hash: &str, now: Millis) -> sqlx::Result<bool> {
    let spent = sqlx::query(
        "UPDATE password_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(token_hash)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(spent == 1)
}

/// Spends every unspent link of the account: a resent invitation or a new password makes the
/// links sent before it useless.
pub async fn revoke(conn: &mut AnyConnection, account_id: &str, now: Millis) -> sqlx::Result<()> {
    sqlx::query("UPDATE password_links SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}
