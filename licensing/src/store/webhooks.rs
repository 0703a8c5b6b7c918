//! The webhook tables: a tenant's endpoints, the deliveries of its events to them (claimed by one
//! sender at a time with a lease, in order per endpoint and license), and each attempt.

use sqlx::AnyConnection;

use super::Backend;
use crate::Millis;

/// An endpoint as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EndpointRow {
    pub id: String,
    pub tenant_id: String,
    pub url: String,
    pub event_types: String,
    pub secret_encrypted: String,
    pub created_by_name: Option<String>,
    pub created_at: Millis,
}

const ENDPOINT_COLUMNS: &str = "e.id, e.tenant_id, e.url, e.event_types, e.secret_encrypted, \
     a.name AS created_by_name, e.created_at";

/// An endpoint to insert.
pub struct NewEndpointRow<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub url: &'a str,
    pub event_types: &'a str,
    pub secret_encrypted: &'a str,
    pub created_by: &'a str,
    pub now: Millis,
}

pub async fn insert_endpoint(conn: &mut AnyConnection, e: &NewEndpointRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webhook_endpoints \
            (id, tenant_id, url, event_types, secret_encrypted, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.id)
    .bind(e.tenant_id)
    .bind(e.url)
    .bind(e.event_types)
    .bind(e.secret_encrypted)
    .bind(e.created_by)
    .bind(e.now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The tenant's live endpoints, oldest first.
pub async fn endpoints_of_tenant(
    conn: &mut AnyConnection,
    tenant_id: &str,
) -> sqlx::Result<Vec<EndpointRow>> {
    sqlx::query_as(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e \
         LEFT JOIN accounts a ON a.id = e.created_by \
         WHERE e.tenant_id = $1 AND e.deleted_at IS NULL ORDER BY e.created_at, e.id"
    ))
    .bind(tenant_id)
    .fetch_all(conn)
    .await
}

/// The live endpoints of a tenant that take events of this type.
pub async fn subscribed(
    conn: &mut AnyConnection,
    tenant_id: &str,
    event_type: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(&format!(
        "SELECT id FROM webhook_endpoints WHERE {} ORDER BY id",
        subscribed_filter("$1", "$2")
    ))
    .bind(tenant_id)
    .bind(subscription_pattern(event_type))
    .fetch_all(conn)
    .await
}

/// The live endpoints of the tenant bound as `tenant` that take the event type whose
/// [`subscription_pattern`] is bound as `pattern` (a NULL pattern matches none).
pub(super) fn subscribed_filter(tenant: &str, pattern: &str) -> String {
    format!(
        "tenant_id = {tenant} AND deleted_at IS NULL AND (' ' || event_types || ' ') LIKE {pattern}"
    )
}

/// Matches an endpoint's space-separated `event_types` that name `event_type`.
pub(super) fn subscription_pattern(event_type: &str) -> String {
    format!("% {event_type} %")
}

/// Deletes (retires) a live endpoint of the tenant and gives up its undelivered events; its
/// address, or `None` when the tenant has no such endpoint.
pub async fn delete_endpoint(
    conn: &mut AnyConnection,
    tenant_id: &str,
    id: &str,
    now: Millis,
) -> sqlx::Result<Option<String>> {
    let deleted: Option<String> = sqlx::query_scalar(
        "UPDATE webhook_endpoints SET deleted_at = $1 \
         WHERE id = $2 AND tenant_id = $3 AND deleted_at IS NULL RETURNING url",
    )
    .bind(now)
    .bind(id)
    .bind(tenant_id)
    .fetch_optional(&mut *conn)
    .await?;
    if deleted.is_some() {
        sqlx::query(
            "UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint deleted' \
             WHERE endpoint_id = $1 AND status = 'pending'",
        )
        .bind(id)
        .execute(conn)
        .await?;
    }
    Ok(deleted)
}

/// A delivery to insert.
pub struct NewDeliveryRow<'a> {
    pub id: &'a str,
    pub seq: &'a str,
    pub tenant_id: &'a str,
    pub endpoint_id: &'a str,
    pub event_id: &'a str,
    pub event_type: &'a str,
    pub license_id: &'a str,
    pub body: &'a str,
    pub now: Millis,
}

pub async fn insert_delivery(conn: &mut AnyConnection, d: &NewDeliveryRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, seq, tenant_id, endpoint_id, event_id, event_type, \
            license_id, body, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9)",
    )
    .bind(d.id)
    .bind(d.seq)
    .bind(d.tenant_id)
    .bind(d.endpoint_id)
    .bind(d.event_id)
    .bind(d.event_type)
    .bind(d.license_id)
    .bind(d.body)
    .bind(d.now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A delivery as the sender and the console read it, with its endpoint.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: String,
    pub seq: String,
    pub tenant_id: String,
    pub endpoint_id: String,
    pub url: String,
    pub secret_encrypted: String,
    pub event_id: String,
    pub event_type: String,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Millis,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub delivered_at: Option<Millis>,
}

const DELIVERY_COLUMNS: &str =
    "d.id, d.seq, d.tenant_id, d.endpoint_id, e.url, e.secret_encrypted, \
     d.event_id, d.event_type, d.body, d.status, d.attempts, d.next_attempt_at, d.last_status, \
     d.last_error, d.created_at, d.delivered_at";

/// Claims up to `limit` due deliveries for `sender` until `lease_until`: pending, due, not held
/// by a live lease, and the oldest pending one of their endpoint and license (so a license's
/// events arrive in order, a held one holding back those after it). Postgres locks the
/// candidates with `FOR UPDATE SKIP LOCKED`; SQLite's single writer makes the `UPDATE` exclusive.
pub async fn claim(
    conn: &mut AnyConnection,
    backend: Backend,
    sender: &str,
    now: Millis,
    lease_until: Millis,
    limit: i64,
) -> sqlx::Result<Vec<DeliveryRow>> {
    // A read first: an idle poll then takes no write lock (`any_due`).
    if !super::any_due(conn, "webhook_deliveries", now).await? {
        return Ok(Vec::new());
    }
    let lock = match backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let claimed: Vec<String> = sqlx::query_scalar(&format!(
        "UPDATE webhook_deliveries SET claimed_by = $1, claimed_until = $2 \
         WHERE id IN (SELECT d.id FROM webhook_deliveries d \
             WHERE d.status = 'pending' AND d.next_attempt_at <= $3 \
               AND (d.claimed_until IS NULL OR d.claimed_until < $3) \
               AND NOT EXISTS (SELECT 1 FROM webhook_deliveries o \
                   WHERE o.endpoint_id = d.endpoint_id AND o.license_id = d.license_id \
                     AND o.status = 'pending' AND o.seq < d.seq) \
             ORDER BY d.next_attempt_at, d.seq LIMIT $4 {lock}) \
         RETURNING id"
    ))
    .bind(sender)
    .bind(lease_until)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = Vec::with_capacity(claimed.len());
    for id in claimed {
        if let Some(row) = delivery(conn, &id).await? {
            rows.push(row);
        }
    }
    Ok(rows)
}

async fn delivery(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<DeliveryRow>> {
    sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d \
         JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// One attempt as it went.
pub struct AttemptRow<'a> {
    pub delivery_id: &'a str,
    pub sender: &'a str,
    pub at: Millis,
    pub status: Option<i64>,
    pub error: Option<&'a str>,
    pub duration_ms: i64,
    /// `Some(at)`: tried again from then; `None` with `delivered`: done; `None` otherwise: given
    /// up on.
    pub retry_at: Option<Millis>,
    pub delivered: bool,
}

/// Records an attempt and its outcome, if `sender` still holds the lease (a sender that stalled
/// past its lease does not overwrite what another one recorded). Returns whether it did.
pub async fn record_attempt(conn: &mut AnyConnection, a: &AttemptRow<'_>) -> sqlx::Result<bool> {
    let status = match (a.delivered, a.retry_at) {
        (true, _) => "delivered",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    let updated = sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_status = $2, \
             last_error = $3, next_attempt_at = $4, \
             delivered_at = CASE WHEN $1 = 'delivered' THEN $5 ELSE delivered_at END, \
             claimed_by = NULL, claimed_until = NULL \
         WHERE id = $6 AND claimed_by = $7 AND status = 'pending'",
    )
    .bind(status)
    .bind(a.status)
    .bind(a.error)
    .bind(a.retry_at.unwrap_or(a.at))
    .bind(a.at)
    .bind(a.delivery_id)
    .bind(a.sender)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated == 1 {
        sqlx::query(
            "INSERT INTO webhook_attempts (id, delivery_id, at, status, error, duration_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(super::new_id())
        .bind(a.delivery_id)
        .bind(a.at)
        .bind(a.status)
        .bind(a.error)
        .bind(a.duration_ms)
        .execute(conn)
        .await?;
    }
    Ok(updated == 1)
}

/// The tenant's deliveries, newest first.
pub async fn deliveries_of_tenant(
    conn: &mut AnyConnection,
    tenant_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<DeliveryRow>> {
    sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d \
         JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         WHERE d.tenant_id = $1 ORDER BY d.seq DESC LIMIT $2"
    ))
    .bind(tenant_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// An attempt as the console lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptEntryRow {
    pub delivery_id: String,
    pub at: Millis,
    pub status: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// Every attempt of the tenant's deliveries from `oldest_seq` on (a page of
/// [`deliveries_of_tenant`]), newest first.
pub async fn attempts_of_deliveries(
    conn: &mut AnyConnection,
    tenant_id: &str,
    oldest_seq: &str,
) -> sqlx::Result<Vec<AttemptEntryRow>> {
    sqlx::query_as(
        "SELECT t.delivery_id, t.at, t.status, t.error, t.duration_ms FROM webhook_attempts t \
         JOIN webhook_deliveries d ON d.id = t.delivery_id \
         WHERE d.tenant_id = $1 AND d.seq >= $2 ORDER BY t.at DESC, t.id",
    )
    .bind(tenant_id)
    .bind(oldest_seq)
    .fetch_all(conn)
    .await
}

/// Sends a delivered or given-up delivery of the tenant again (to a live endpoint), as a new
/// pending delivery of the same event; false when there is no such delivery.
pub async fn redeliver(
    conn: &mut AnyConnection,
    tenant_id: &str,
    id: &str,
    new: (&str, &str),
    now: Millis,
) -> sqlx::Result<bool> {
    let (new_id, seq) = new;
    let copied = sqlx::query(
        "INSERT INTO webhook_deliveries (id, seq, tenant_id, endpoint_id, event_id, event_type, \
            license_id, body, status, attempts, next_attempt_at, created_at) \
         SELECT $1, $2, d.tenant_id, d.endpoint_id, d.event_id, d.event_type, d.license_id, \
                d.body, 'pending', 0, $3, $3 \
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         WHERE d.id = $4 AND d.tenant_id = $5 AND d.status <> 'pending' \
           AND e.deleted_at IS NULL",
    )
    .bind(new_id)
    .bind(seq)
    .bind(now)
    .bind(id)
    .bind(tenant_id)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(copied == 1)
}
