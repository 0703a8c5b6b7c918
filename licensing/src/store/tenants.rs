//! The `tenants` table: the vendors, each known at login by its company key.

use sqlx::AnyConnection;

use crate::Millis;

pub async fn insert(
    conn: &mut AnyConnection,
    id: &str,
    company_key: &str,
    name: &str,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO tenants (id, company_key, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(company_key)
        .bind(name)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// The tenant of a (normalised) company key.
pub async fn by_company(
    conn: &mut AnyConnection,
    company_key: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM tenants WHERE company_key = $1")
        .bind(company_key)
        .fetch_optional(conn)
        .await
}

/// The (normalised) company key of a tenant.
pub async fn company_key(
    conn: &mut AnyConnection,
    tenant_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT company_key FROM tenants WHERE id = $1")
        .bind(tenant_id)
        .fetch_optional(conn)
        .await
}

/// A tenant's default language for email (a `Locale` code).
pub async fn default_language(
    conn: &mut AnyConnection,
    tenant_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT default_language FROM tenants WHERE id = $1")
        .bind(tenant_id)
        .fetch_optional(conn)
        .await
}

/// What email from a tenant is signed with: the vendor's name, the company ID its people log in
/// with, and the support address replies go to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailSender {
    pub name: String,
    pub company_key: String,
    pub support_email: Option<String>,
}

pub async fn mail_sender(
    conn: &mut AnyConnection,
    tenant_id: &str,
) -> sqlx::Result<Option<MailSender>> {
    sqlx::query_as("SELECT name, company_key, support_email FROM tenants WHERE id = $1")
        .bind(tenant_id)
        .fetch_optional(conn)
        .await
}

/// A tenant's default language for email and its support address.
pub async fn mail_settings(
    conn: &mut AnyConnection,
    tenant_id: &str,
) -> sqlx::Result<Option<(String, Option<String>)>> {
    sqlx::query_as("SELECT default_language, support_email FROM tenants WHERE id = $1")
        .bind(tenant_id)
        .fetch_optional(conn)
        .await
}

pub async fn set_mail_settings(
    conn: &mut AnyConnection,
    tenant_id: &str,
    default_language: &str,
    support_email: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE tenants SET default_language = $1, support_email = $2 WHERE id = $3")
        .bind(default_language)
        .bind(support_email)
        .bind(tenant_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn count(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM tenants")
        .fetch_one(conn)
        .await
}
