//! The `orders` table: the management API's orders, one per (tenant, order_id), so an order sent
//! again is answered instead of sold again.

use sqlx::AnyConnection;

use crate::Millis;

/// An order as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderRow {
    pub request_hash: String,
    pub claim_token: String,
    pub claimed_until: Millis,
    pub customer_id: Option<String>,
    pub owner_account_id: Option<String>,
    pub license_id: Option<String>,
    pub license_created: Option<i64>,
}

/// The claim a request holds on an order while it sells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderClaim {
    pub tenant_id: String,
    pub order_id: String,
    pub claim_token: String,
}

/// Claims a new order; false when the tenant already has one with this id.
pub async fn claim_new(
    conn: &mut AnyConnection,
    claim: &OrderClaim,
    request_hash: &str,
    until: Millis,
    now: Millis,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO orders (tenant_id, order_id, request_hash, claim_token, claimed_until, \
                             created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, order_id) DO NOTHING",
    )
    .bind(&claim.tenant_id)
    .bind(&claim.order_id)
    .bind(request_hash)
    .bind(&claim.claim_token)
    .bind(until)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

pub async fn get(
    conn: &mut AnyConnection,
    tenant_id: &str,
    order_id: &str,
) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as(
        "SELECT request_hash, claim_token, claimed_until, customer_id, owner_account_id, license_id, \
                license_created \
         FROM orders WHERE tenant_id = $1 AND order_id = $2",
    )
    .bind(tenant_id)
    .bind(order_id)
    .fetch_optional(conn)
    .await
}

/// Takes over an unsold order whose claim `expired` (its process died or gave up): true when this
/// request now holds it.
pub async fn take_over(
    conn: &mut AnyConnection,
    claim: &OrderClaim,
    expired: &str,
    until: Millis,
    now: Millis,
) -> sqlx::Result<bool> {
    let taken = sqlx::query(
        "UPDATE orders SET claim_token = $1, claimed_until = $2 \
         WHERE tenant_id = $3 AND order_id = $4 AND claim_token = $5 AND claimed_until < $6 \
           AND license_id IS NULL",
    )
    .bind(&claim.claim_token)
    .bind(until)
    .bind(&claim.tenant_id)
    .bind(&claim.order_id)
    .bind(expired)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(taken == 1)
}

/// Written in the sale's transaction: the order is sold, once. False when this request no longer
/// holds the claim (it was taken over), and the sale must roll back.
pub async fn mark_sold(
    conn: &mut AnyConnection,
    claim: &OrderClaim,
    license_id: &str,
    created: bool,
) -> sqlx::Result<bool> {
    let marked = sqlx::query(
        "UPDATE orders SET license_id = $1, license_created = $2 \
         WHERE tenant_id = $3 AND order_id = $4 AND claim_token = $5 AND license_id IS NULL",
    )
    .bind(license_id)
    .bind(i64::from(created))
    .bind(&claim.tenant_id)
    .bind(&claim.order_id)
    .bind(&claim.claim_token)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(marked == 1)
}

/// Keeps whom an order is for, found or created before the sale.
pub async fn set_parties(
    conn: &mut AnyConnection,
    claim: &OrderClaim,
    customer_id: &str,
    owner_account_id: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE orders SET customer_id = $1, owner_account_id = $2 \
         WHERE tenant_id = $3 AND order_id = $4 AND claim_token = $5",
    )
    .bind(customer_id)
    .bind(owner_account_id)
    .bind(&claim.tenant_id)
    .bind(&claim.order_id)
    .bind(&claim.claim_token)
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives up a claim on an order that could not be sold (it was refused): nothing was sold, so the
/// order id is free again.
pub async fn release(conn: &mut AnyConnection, claim: &OrderClaim) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM orders WHERE tenant_id = $1 AND order_id = $2 AND claim_token = $3 \
           AND license_id IS NULL",
    )
    .bind(&claim.tenant_id)
    .bind(&claim.order_id)
    .bind(&claim.claim_token)
    .execute(conn)
    .await?;
    Ok(())
}
