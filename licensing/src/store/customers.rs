//! The `customers` table: the vendor's customers, who buy licenses and own accounts.

use sqlx::AnyConnection;

use crate::Millis;

pub async fn insert(
    conn: &mut AnyConnection,
    id: &str,
    tenant_id: &str,
    name: &str,
    now: Millis,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO customers (id, tenant_id, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(tenant_id)
        .bind(name)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn name(conn: &mut AnyConnection, customer_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(conn)
        .await
}

/// The name of a customer of this tenant.
pub async fn name_in_tenant(
    conn: &mut AnyConnection,
    customer_id: &str,
    tenant_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM customers WHERE id = $1 AND tenant_id = $2")
        .bind(customer_id)
        .bind(tenant_id)
        .fetch_optional(conn)
        .await
}

/// Renames a customer of the tenant; false when the tenant has no such customer.
pub async fn rename(
    conn: &mut AnyConnection,
    customer_id: &str,
    tenant_id: &str,
    name: &str,
) -> sqlx::Result<bool> {
    let changed = sqlx::query("UPDATE customers SET name = $1 WHERE id = $2 AND tenant_id = $3")
        .bind(name)
        .bind(customer_id)
        .bind(tenant_id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(changed > 0)
}

/// A customer with how many licenses and accounts it has.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustomerRow {
    pub id: String,
    pub name: String,
    pub external_id: Option<String>,
    pub created_at: Millis,
    pub licenses: i64,
    pub accounts: i64,
}

const CUSTOMER_COLUMNS: &str = "c.id, c.name, c.external_id, c.created_at, \
    (SELECT COUNT(*) FROM licenses l WHERE l.customer_id = c.id) AS licenses, \
    (SELECT COUNT(*) FROM accounts a WHERE a.customer_id = c.id) AS accounts";

/// The tenant's customers whose lower-cased name matches a `LIKE` pattern, by name.
pub async fn matching(
    conn: &mut AnyConnection,
    tenant_id: &str,
    pattern: &str,
) -> sqlx::Result<Vec<CustomerRow>> {
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers c \
         WHERE c.tenant_id = $1 AND LOWER(c.name) LIKE $2 ORDER BY c.name, c.id"
    ))
    .bind(tenant_id)
    .bind(pattern)
    .fetch_all(conn)
    .await
}

/// A customer of the tenant.
pub async fn get(
    conn: &mut AnyConnection,
    customer_id: &str,
    tenant_id: &str,
) -> sqlx::Result<Option<CustomerRow>> {
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id = $1 AND c.tenant_id = $2"
    ))
    .bind(customer_id)
    .bind(tenant_id)
    .fetch_optional(conn)
    .await
}

/// The customer the vendor's own systems know by `external_id`.
pub async fn by_external_id(
    conn: &mut AnyConnection,
    tenant_id: &str,
    external_id: &str,
) -> sqlx::Result<Option<CustomerRow>> {
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.tenant_id = $1 AND c.external_id = $2"
    ))
    .bind(tenant_id)
    .bind(external_id)
    .fetch_optional(conn)
    .await
}

/// Sets the id a customer is known by in the vendor's systems.
pub async fn set_external_id(
    conn: &mut AnyConnection,
    customer_id: &str,
    external_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE customers SET external_id = $1 WHERE id = $2")
        .bind(external_id)
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// One page of the tenant's customers in the order they were made, after `after` (a previous
/// page's last `(created_at, id)`), narrowed to a name pattern and an external id.
pub async fn page(
    conn: &mut AnyConnection,
    tenant_id: &str,
    pattern: &str,
    after: Option<(Millis, &str)>,
    limit: i64,
) -> sqlx::Result<Vec<CustomerRow>> {
    let (at, id) = after.unwrap_or((i64::MIN, ""));
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers c \
         WHERE c.tenant_id = $1 AND LOWER(c.name) LIKE $2 \
           AND (c.created_at > $3 OR (c.created_at = $3 AND c.id > $4)) \
         ORDER BY c.created_at, c.id LIMIT $5"
    ))
    .bind(tenant_id)
    .bind(pattern)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
