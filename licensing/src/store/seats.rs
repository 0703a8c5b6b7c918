//! The `license_users` table: who holds a seat on which license, in which role.

use sqlx::AnyConnection;

use crate::Millis;

/// A seat holder as the Users tab lists them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SeatHolder {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub assigned_at: Millis,
    /// The devices this person activated on the license that are still active.
    pub devices_active: i64,
    /// 0 while the person's invitation waits to be used.
    pub password_set: i64,
}

pub async fn holders(conn: &mut AnyConnection, license_id: &str) -> sqlx::Result<Vec<SeatHolder>> {
    sqlx::query_as(
        "SELECT a.id, a.name, a.email, lu.role, lu.assigned_at, a.password_set, \
            (SELECT COUNT(*) FROM devices d WHERE d.license_id = lu.license_id \
                AND d.account_id = a.id AND d.deactivated_at IS NULL) AS devices_active \
         FROM license_users lu JOIN accounts a ON a.id = lu.account_id \
         WHERE lu.license_id = $1 ORDER BY lu.assigned_at, a.email",
    )
    .bind(license_id)
    .fetch_all(conn)
    .await
}

/// One person's seat: their name, email and role.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SeatRow {
    pub name: String,
    pub email: String,
    pub role: String,
}

pub async fn get(
    conn: &mut AnyConnection,
    license_id: &str,
    account_id: &str,
) -> sqlx::Result<Option<SeatRow>> {
    sqlx::query_as(
        "SELECT a.name, a.email, lu.role FROM license_users lu JOIN accounts a ON a.id = lu.account_id \
         WHERE lu.license_id = $1 AND lu.account_id = $2",
    )
    .bind(license_id)
    .bind(account_id)
    .fetch_optional(conn)
    .await
}

pub async fn insert(
    conn: &mut AnyConnection,
    license_id: &str,
    account_id: &str,
    role: &str,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO license_users (license_id, account_id, role, assigned_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(license_id)
    .bind(account_id)
    .bind(role)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_role(
    conn: &mut AnyConnection,
    license_id: &str,
    account_id: &str,
    role: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE license_users SET role = $1 WHERE license_id = $2 AND account_id = $3")
        .bind(role)
        .bind(license_id)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Which seats [`remove`] and [`count`] are about.
#[derive(Debug, Clone, Copy)]
pub enum Seats<'a> {
    /// The seat of one account on the license.
    Of(&'a str, &'a str),
    /// The license's seats in a role.
    InRole(&'a str, &'a str),
    /// The license's seats outside a role.
    NotInRole(&'a str, &'a str),
}

impl<'a> Seats<'a> {
    fn filter(self) -> (&'static str, &'a str, &'a str) {
        match self {
            Self::Of(license_id, account_id) => (
                "license_id = $1 AND account_id = $2",
                license_id,
                account_id,
            ),
            Self::InRole(license_id, role) => ("license_id = $1 AND role = $2", license_id, role),
            Self::NotInRole(license_id, role) => {
                ("license_id = $1 AND role <> $2", license_id, role)
            }
        }
    }
}

pub async fn remove(conn: &mut AnyConnection, which: Seats<'_>) -> sqlx::Result<()> {
    let (filter, a, b) = which.filter();
    sqlx::query(&format!("DELETE FROM license_users WHERE {filter}"))
        .bind(a)
        .bind(b)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn count(conn: &mut AnyConnection, which: Seats<'_>) -> sqlx::Result<i64> {
    let (filter, a, b) = which.filter();
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM license_users WHERE {filter}"
    ))
    .bind(a)
    .bind(b)
    .fetch_one(conn)
    .await
}

/// The account's roles on licenses of its tenant.
pub async fn roles_of(
    conn: &mut AnyConnection,
    account_id: &str,
    tenant_id: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT lu.role FROM license_users lu JOIN licenses l ON l.id = lu.license_id \
         WHERE lu.account_id = $1 AND l.tenant_id = $2",
    )
    .bind(account_id)
    .bind(tenant_id)
    .fetch_all(conn)
    .await
}

/// The account's role on a license of its tenant and the license's customer, as
/// `(role, customer_id)`.
pub async fn role_on(
    conn: &mut AnyConnection,
    license_id: &str,
    account_id: &str,
    tenant_id: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT lu.role, l.customer_id FROM license_users lu \
         JOIN licenses l ON l.id = lu.license_id \
         WHERE lu.license_id = $1 AND lu.account_id = $2 AND l.tenant_id = $3",
    )
    .bind(license_id)
    .bind(account_id)
    .bind(tenant_id)
    .fetch_optional(conn)
    .await
}
