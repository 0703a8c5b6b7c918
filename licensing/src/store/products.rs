//! The `products` table: a tenant's products, each named by the short code LicenseSpring's SDK
//! sends as `product` and by the name licenses carry (`licenses.product`).

use sqlx::AnyConnection;

use crate::Millis;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProductRow {
    pub tenant_id: String,
    pub short_code: String,
    pub name: String,
    pub created_at: Millis,
}

/// Stores a product unless its code or its name is taken in the tenant; false when one was.
pub async fn insert(
    conn: &mut AnyConnection,
    tenant_id: &str,
    short_code: &str,
    name: &str,
    now: Millis,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO products (tenant_id, short_code, name, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(tenant_id)
    .bind(short_code)
    .bind(name)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

const SELECT: &str =
    "SELECT tenant_id, short_code, name, created_at FROM products WHERE tenant_id = $1";

pub async fn by_code(
    conn: &mut AnyConnection,
    tenant_id: &str,
    short_code: &str,
) -> sqlx::Result<Option<ProductRow>> {
    one(conn, "short_code", tenant_id, short_code).await
}

pub async fn by_name(
    conn: &mut AnyConnection,
    tenant_id: &str,
    name: &str,
) -> sqlx::Result<Option<ProductRow>> {
    one(conn, "name", tenant_id, name).await
}

/// The tenant's product whose `column` (one of the two unique ones) holds `value`.
async fn one(
    conn: &mut AnyConnection,
    column: &'static str,
    tenant_id: &str,
    value: &str,
) -> sqlx::Result<Option<ProductRow>> {
    sqlx::query_as(&format!("{SELECT} AND {column} = $2"))
        .bind(tenant_id)
        .bind(value)
        .fetch_optional(conn)
        .await
}

/// The tenant's products, by code.
pub async fn list(conn: &mut AnyConnection, tenant_id: &str) -> sqlx::Result<Vec<ProductRow>> {
    sqlx::query_as(&format!("{SELECT} ORDER BY short_code"))
        .bind(tenant_id)
        .fetch_all(conn)
        .await
}

/// The product names the tenant's licenses carry that have no product row yet (licenses made
/// before products existed).
pub async fn license_products_without_code(
    conn: &mut AnyConnection,
    tenant_id: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT l.product FROM licenses l \
         WHERE l.tenant_id = $1 \
           AND NOT EXISTS (SELECT 1 FROM products p WHERE p.tenant_id = l.tenant_id AND p.name = l.product) \
         ORDER BY l.product",
    )
    .bind(tenant_id)
    .fetch_all(conn)
    .await
}
