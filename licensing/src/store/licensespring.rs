//! The `licensespring_credentials` table: each tenant's API key, shared key and RSA key pair for
//! the LicenseSpring-compatible API. Made on first use; concurrent first uses keep the first
//! one inserted, as with the Ed25519 signing key.

use sqlx::AnyConnection;

use crate::Millis;

/// A tenant's credentials as stored. The shared key and the private key are secrets: this type
/// is never logged (its `Debug` leaves them out).
#[derive(Clone, sqlx::FromRow)]
pub struct CredentialsRow {
    pub tenant_id: String,
    pub api_key: String,
    pub shared_key: String,
    pub shared_key_set_at: Millis,
    /// Base64 of the SubjectPublicKeyInfo DER.
    pub rsa_public_key: String,
    /// Base64 of the PKCS#8 DER.
    pub rsa_private_key: String,
    pub created_at: Millis,
}

impl std::fmt::Debug for CredentialsRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialsRow")
            .field("tenant_id", &self.tenant_id)
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "tenant_id, api_key, shared_key, shared_key_set_at, rsa_public_key, \
                       rsa_private_key, created_at";

/// Stores a tenant's credentials unless it has some; false when it had.
pub async fn insert(conn: &mut AnyConnection, row: &CredentialsRow) -> sqlx::Result<bool> {
    let inserted = sqlx::query(&format!(
        "INSERT INTO licensespring_credentials ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (tenant_id) DO NOTHING"
    ))
    .bind(&row.tenant_id)
    .bind(&row.api_key)
    .bind(&row.shared_key)
    .bind(row.shared_key_set_at)
    .bind(&row.rsa_public_key)
    .bind(&row.rsa_private_key)
    .bind(row.created_at)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

pub async fn by_tenant(
    conn: &mut AnyConnection,
    tenant_id: &str,
) -> sqlx::Result<Option<CredentialsRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM licensespring_credentials WHERE tenant_id = $1"
    ))
    .bind(tenant_id)
    .fetch_optional(conn)
    .await
}

/// The credentials a request's `apiKey` names, whichever tenant holds them.
pub async fn by_api_key(
    conn: &mut AnyConnection,
    api_key: &str,
) -> sqlx::Result<Option<CredentialsRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM licensespring_credentials WHERE api_key = $1"
    ))
    .bind(api_key)
    .fetch_optional(conn)
    .await
}

/// Replaces a tenant's shared key; false when the tenant has no credentials yet.
pub async fn set_shared_key(
    conn: &mut AnyConnection,
    tenant_id: &str,
    shared_key: &str,
    now: Millis,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE licensespring_credentials SET shared_key = $2, shared_key_set_at = $3 \
         WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .bind(shared_key)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(updated == 1)
}
