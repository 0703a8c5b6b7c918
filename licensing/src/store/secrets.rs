//! The tables of server-made secrets: each tenant's signing key and the installation's secrets.
//! Both are made on first use, and concurrent first uses keep the first one inserted.

use sqlx::AnyConnection;

use crate::Millis;

/// Stores a tenant's key unless it has one; false when it had.
pub async fn insert_signing_key(
    conn: &mut AnyConnection,
    tenant_id: &str,
    public_key: &str,
    secret_key: &str,
    now: Millis,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO signing_keys (tenant_id, public_key, secret_key, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id) DO NOTHING",
    )
    .bind(tenant_id)
    .bind(public_key)
    .bind(secret_key)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// A tenant's key as stored, as base64 `(public_key, secret_key)`.
pub async fn signing_key(
    conn: &mut AnyConnection,
    tenant_id: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT public_key, secret_key FROM signing_keys WHERE tenant_id = $1")
        .bind(tenant_id)
        .fetch_optional(conn)
        .await
}

/// The installation secret of this name, if one is stored.
pub async fn stored_installation_secret(
    conn: &mut AnyConnection,
    name: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT secret FROM installation_secrets WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await
}

/// The installation secret of this name, stored as `fresh` if there was none.
pub async fn installation_secret(
    conn: &mut AnyConnection,
    name: &str,
    fresh: &str,
) -> sqlx::Result<String> {
    sqlx::query(
        "INSERT INTO installation_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(fresh)
    .execute(&mut *conn)
    .await?;
    stored_installation_secret(conn, name)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}
