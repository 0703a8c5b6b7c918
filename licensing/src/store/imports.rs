//! What an import looks up before it writes: licenses by the key or the id another license
//! server gave them, and customers by name. (It writes through the tables' own modules.)

use sqlx::AnyConnection;

use super::licenses::{select, LicenseRow};

const FROM: &str = "licenses l JOIN customers c ON c.id = l.customer_id";

/// The license holding a key hash, of any tenant (keys are unique across the server).
pub async fn license_by_key_hash(
    conn: &mut AnyConnection,
    key_hash: &str,
) -> sqlx::Result<Option<LicenseRow>> {
    sqlx::query_as(&select("", FROM, "l.license_key_hash = $1"))
        .bind(key_hash)
        .fetch_optional(conn)
        .await
}

/// The tenant's license another license server knew by `external_id`.
pub async fn license_by_external_id(
    conn: &mut AnyConnection,
    tenant_id: &str,
    external_id: &str,
) -> sqlx::Result<Option<LicenseRow>> {
    sqlx::query_as(&select("", FROM, "l.tenant_id = $1 AND l.external_id = $2"))
        .bind(tenant_id)
        .bind(external_id)
        .fetch_optional(conn)
        .await
}

/// The tenant's first customer (the oldest) of exactly this name.
pub async fn customer_named(
    conn: &mut AnyConnection,
    tenant_id: &str,
    name: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT id FROM customers WHERE tenant_id = $1 AND name = $2 ORDER BY created_at, id LIMIT 1",
    )
    .bind(tenant_id)
    .bind(name)
    .fetch_optional(conn)
    .await
}

/// An account moved in without a password, with its customer and the tenant's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AwaitingPassword {
    pub id: String,
    pub email: String,
    pub name: String,
    pub customer_name: String,
    pub vendor: String,
}

/// The tenant's accounts still without a password (`password_hash` is `no_password`) that hold
/// no set-password link usable at `now`: whom an import's notice has not reached yet.
pub async fn awaiting_password(
    conn: &mut AnyConnection,
    tenant_id: &str,
    no_password: &str,
    now: crate::Millis,
) -> sqlx::Result<Vec<AwaitingPassword>> {
    sqlx::query_as(
        "SELECT a.id, a.email, a.name, c.name AS customer_name, t.name AS vendor \
         FROM accounts a JOIN customers c ON c.id = a.customer_id JOIN tenants t ON t.id = a.tenant_id \
         WHERE a.tenant_id = $1 AND a.password_hash = $2 AND NOT EXISTS \
           (SELECT 1 FROM password_links p \
            WHERE p.account_id = a.id AND p.used_at IS NULL AND p.expires_at > $3) \
         ORDER BY a.created_at, a.id",
    )
    .bind(tenant_id)
    .bind(no_password)
    .bind(now)
    .fetch_all(conn)
    .await
}
