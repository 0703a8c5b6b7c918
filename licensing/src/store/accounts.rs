//! The `accounts` table: people who log in, vendor staff and customers' people alike.

use sqlx::AnyConnection;

use crate::Millis;

/// An account with its tenant's name: what a logged-in caller is made from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PrincipalRow {
    pub id: String,
    pub tenant_id: String,
    pub tenant_name: String,
    pub customer_id: Option<String>,
    pub name: String,
    pub email: String,
    pub kind: String,
}

/// An account found by its login, with its password hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginRow {
    #[sqlx(flatten)]
    pub principal: PrincipalRow,
    pub password_hash: String,
}

/// The account with this (normalised) email in the tenant with this (normalised) company key.
pub async fn by_login(
    conn: &mut AnyConnection,
    company_key: &str,
    email: &str,
) -> sqlx::Result<Option<LoginRow>> {
    sqlx::query_as(
        "SELECT a.id, a.tenant_id, t.name AS tenant_name, a.customer_id, a.name, a.email, a.kind, \
                a.password_hash \
         FROM accounts a JOIN tenants t ON t.id = a.tenant_id \
         WHERE t.company_key = $1 AND a.email = $2 \
           AND NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.account_id = a.id)",
    )
    .bind(company_key)
    .bind(email)
    .fetch_optional(conn)
    .await
}

/// The account with this (normalised) email in a tenant: whom an app's `username` names, the API
/// key having named the tenant.
pub async fn by_email_in_tenant(
    conn: &mut AnyConnection,
    tenant_id: &str,
    email: &str,
) -> sqlx::Result<Option<PrincipalRow>> {
    sqlx::query_as(
        "SELECT a.id, a.tenant_id, t.name AS tenant_name, a.customer_id, a.name, a.email, a.kind \
         FROM accounts a JOIN tenants t ON t.id = a.tenant_id \
         WHERE a.tenant_id = $1 AND a.email = $2",
    )
    .bind(tenant_id)
    .bind(email)
    .fetch_optional(conn)
    .await
}

/// Records the language the person chose (a `Locale` code), for the email they receive.
pub async fn set_language(
    conn: &mut AnyConnection,
    account_id: &str,
    language: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE accounts SET language = $1 WHERE id = $2")
        .bind(language)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The language email to this address speaks: the one its person chose, else the tenant's
/// default; `None` when the tenant has no account with that address.
pub async fn mail_language(
    conn: &mut AnyConnection,
    tenant_id: &str,
    email: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT COALESCE(a.language, t.default_language) FROM accounts a \
         JOIN tenants t ON t.id = a.tenant_id WHERE a.tenant_id = $1 AND a.email = $2",
    )
    .bind(tenant_id)
    .bind(email)
    .fetch_optional(conn)
    .await
}

/// An account to insert.
pub struct AccountRow<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub customer_id: Option<&'a str>,
    pub kind: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    /// False for an account whose random password waits for its set-password link.
    pub password_set: bool,
    pub created_at: Millis,
}

pub async fn insert(conn: &mut AnyConnection, account: &AccountRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO accounts \
            (id, tenant_id, customer_id, kind, email, name, password_hash, password_set, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(account.id)
    .bind(account.tenant_id)
    .bind(account.customer_id)
    .bind(account.kind)
    .bind(account.email)
    .bind(account.name)
    .bind(account.password_hash)
    .bind(i64::from(account.password_set))
    .bind(account.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_password_hash(
    conn: &mut AnyConnection,
    account_id: &str,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE accounts SET password_hash = $1, password_set = 1 WHERE id = $2")
        .bind(password_hash)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Name and email of a customer account of this customer, as `(name, email)`.
pub async fn of_customer(
    conn: &mut AnyConnection,
    customer_id: &str,
    account_id: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT name, email FROM accounts WHERE id = $1 AND customer_id = $2 AND kind = 'customer'",
    )
    .bind(account_id)
    .bind(customer_id)
    .fetch_optional(conn)
    .await
}

/// The email of an account of this customer of this tenant.
pub async fn email_in_customer(
    conn: &mut AnyConnection,
    account_id: &str,
    customer_id: &str,
    tenant_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT a.email FROM accounts a JOIN customers c ON c.id = a.customer_id \
         WHERE a.id = $1 AND a.customer_id = $2 AND c.tenant_id = $3",
    )
    .bind(account_id)
    .bind(customer_id)
    .bind(tenant_id)
    .fetch_optional(conn)
    .await
}

/// An account as a list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountName {
    pub id: String,
    pub name: String,
    pub email: String,
    /// 0 while the person's invitation waits to be used.
    pub password_set: i64,
}

/// The customer's people without a seat on the license, by name.
pub async fn without_seat(
    conn: &mut AnyConnection,
    customer_id: &str,
    license_id: &str,
) -> sqlx::Result<Vec<AccountName>> {
    sqlx::query_as(
        "SELECT a.id, a.name, a.email, a.password_set FROM accounts a \
         WHERE a.customer_id = $1 AND a.kind = 'customer' AND NOT EXISTS \
            (SELECT 1 FROM license_users lu WHERE lu.license_id = $2 AND lu.account_id = a.id) \
         ORDER BY a.name, a.email",
    )
    .bind(customer_id)
    .bind(license_id)
    .fetch_all(conn)
    .await
}

/// One seat of a customer's account, or the account alone (`role` and `product` empty).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountSeat {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Option<String>,
    pub product: Option<String>,
    pub password_set: i64,
}

/// The customer's accounts with their seats, by name and product.
pub async fn seats_of_customer(
    conn: &mut AnyConnection,
    customer_id: &str,
) -> sqlx::Result<Vec<AccountSeat>> {
    sqlx::query_as(
        "SELECT a.id, a.name, a.email, lu.role, l.product, a.password_set FROM accounts a \
         LEFT JOIN license_users lu ON lu.account_id = a.id \
         LEFT JOIN licenses l ON l.id = lu.license_id \
         WHERE a.customer_id = $1 ORDER BY a.name, a.email, l.product",
    )
    .bind(customer_id)
    .fetch_all(conn)
    .await
}

/// Whether the account's person has chosen a password (false while an invitation waits).
pub async fn password_set(conn: &mut AnyConnection, account_id: &str) -> sqlx::Result<bool> {
    let set: Option<i64> = sqlx::query_scalar("SELECT password_set FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(conn)
        .await?;
    Ok(set.unwrap_or(1) != 0)
}
