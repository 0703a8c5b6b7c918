//! The `api_keys` table: the management API's keys, stored by the hash of the key.

use sqlx::AnyConnection;

use super::accounts::PrincipalRow;
use crate::Millis;

/// A key to insert.
pub struct NewKeyRow<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub name: &'a str,
    pub prefix: &'a str,
    pub key_hash: &'a str,
    /// The key's own account, inserted before the key.
    pub account_id: &'a str,
    pub created_by: Option<&'a str>,
    pub now: Millis,
}

pub async fn insert(conn: &mut AnyConnection, key: &NewKeyRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO api_keys \
            (id, tenant_id, name, prefix, key_hash, account_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(key.id)
    .bind(key.tenant_id)
    .bind(key.name)
    .bind(key.prefix)
    .bind(key.key_hash)
    .bind(key.account_id)
    .bind(key.created_by)
    .bind(key.now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A key as the console lists it, with the name of the person who made it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub created_by_name: Option<String>,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
}

/// A tenant's keys, newest first.
pub async fn of_tenant(conn: &mut AnyConnection, tenant_id: &str) -> sqlx::Result<Vec<KeyRow>> {
    sqlx::query_as(
        "SELECT k.id, k.name, k.prefix, a.name AS created_by_name, k.created_at, k.last_used_at, \
                k.revoked_at \
         FROM api_keys k LEFT JOIN accounts a ON a.id = k.created_by \
         WHERE k.tenant_id = $1 ORDER BY k.created_at DESC, k.id",
    )
    .bind(tenant_id)
    .fetch_all(conn)
    .await
}

/// A live (unrevoked) key found by its hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveKey {
    pub key_id: String,
    pub last_used_at: Option<Millis>,
    /// The key's account, as a logged-in caller is made from it.
    #[sqlx(flatten)]
    pub principal: PrincipalRow,
}

pub async fn live_by_hash(
    conn: &mut AnyConnection,
    key_hash: &str,
) -> sqlx::Result<Option<LiveKey>> {
    sqlx::query_as(
        "SELECT k.id AS key_id, k.last_used_at, a.id, a.tenant_id, t.name AS tenant_name, \
                a.customer_id, a.name, a.email, a.kind \
         FROM api_keys k JOIN accounts a ON a.id = k.account_id \
         JOIN tenants t ON t.id = a.tenant_id \
         WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
    )
    .bind(key_hash)
    .fetch_optional(conn)
    .await
}

pub async fn touch(conn: &mut AnyConnection, id: &str, now: Millis) -> sqlx::Result<()> {
    sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Revokes a live key of the tenant; its name when there was one to revoke.
pub async fn revoke(
    conn: &mut AnyConnection,
    tenant_id: &str,
    id: &str,
    now: Millis,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "UPDATE api_keys SET revoked_at = $1 \
         WHERE id = $2 AND tenant_id = $3 AND revoked_at IS NULL RETURNING name, prefix",
    )
    .bind(now)
    .bind(id)
    .bind(tenant_id)
    .fetch_optional(conn)
    .await
}
