//! The `outbox` table: email written in the transaction of the change that causes it, claimed by
//! one sender at a time with a lease, and marked sent, retried later or failed.

use sqlx::AnyConnection;

use super::Backend;
use crate::Millis;

/// A message to write; `id` doubles as the Message-ID's local part.
pub struct NewMessageRow<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub from_name: &'a str,
    pub reply_to: Option<&'a str>,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub now: Millis,
}

pub async fn insert(conn: &mut AnyConnection, m: &NewMessageRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO outbox (id, tenant_id, kind, recipient, from_name, reply_to, subject, \
            text_body, html_body, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10)",
    )
    .bind(m.id)
    .bind(m.tenant_id)
    .bind(m.kind)
    .bind(m.recipient)
    .bind(m.from_name)
    .bind(m.reply_to)
    .bind(m.subject)
    .bind(m.text_body)
    .bind(m.html_body)
    .bind(m.now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A message as the sender and the console read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: String,
    pub tenant_id: String,
    pub kind: String,
    pub recipient: String,
    pub from_name: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Millis,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub sent_at: Option<Millis>,
}

const COLUMNS: &str = "id, tenant_id, kind, recipient, from_name, reply_to, subject, text_body, \
     html_body, status, attempts, next_attempt_at, last_error, created_at, sent_at";

/// Claims up to `limit` pending messages that are due and that no live lease holds, for
/// `sender` until `lease_until`, and returns them. On Postgres the candidate rows are locked with
/// `FOR UPDATE SKIP LOCKED`, so two processes claiming at once take different rows; SQLite has
/// one writer at a time, so its single `UPDATE` is already exclusive.
pub async fn claim(
    conn: &mut AnyConnection,
    backend: Backend,
    sender: &str,
    now: Millis,
    lease_until: Millis,
    limit: i64,
) -> sqlx::Result<Vec<MessageRow>> {
    // A read first: an idle poll then takes no write lock (`any_due`).
    if !super::any_due(conn, "outbox", now).await? {
        return Ok(Vec::new());
    }
    let lock = match backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    sqlx::query_as(&format!(
        "UPDATE outbox SET claimed_by = $1, claimed_until = $2 \
         WHERE id IN (SELECT id FROM outbox \
             WHERE status = 'pending' AND next_attempt_at <= $3 \
               AND (claimed_until IS NULL OR claimed_until < $3) \
             ORDER BY next_attempt_at, created_at LIMIT $4 {lock}) \
         RETURNING {COLUMNS}"
    ))
    .bind(sender)
    .bind(lease_until)
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Records a delivery, if `sender` still holds the lease (a sender that stalled past its lease
/// does not overwrite what another one recorded). Returns whether it did.
pub async fn mark_sent(
    conn: &mut AnyConnection,
    id: &str,
    sender: &str,
    now: Millis,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, \
             claimed_by = NULL, claimed_until = NULL, last_error = NULL \
         WHERE id = $2 AND claimed_by = $3 AND status = 'pending'",
    )
    .bind(now)
    .bind(id)
    .bind(sender)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a failed attempt: the message is tried again from `retry_at`, or, with `None`, given
/// up on (`failed`).
pub async fn mark_failed_attempt(
    conn: &mut AnyConnection,
    id: &str,
    sender: &str,
    error: &str,
    retry_at: Option<Millis>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $1, \
             status = CASE WHEN $2 = 1 THEN 'pending' ELSE 'failed' END, \
             next_attempt_at = CASE WHEN $2 = 1 THEN $3 ELSE next_attempt_at END, \
             claimed_by = NULL, claimed_until = NULL \
         WHERE id = $4 AND claimed_by = $5 AND status = 'pending'",
    )
    .bind(error)
    .bind(i64::from(retry_at.is_some()))
    .bind(retry_at.unwrap_or_default())
    .bind(id)
    .bind(sender)
    .execute(conn)
    .await?;
    Ok(())
}

/// A tenant's messages, newest first, for the console.
pub async fn of_tenant(
    conn: &mut AnyConnection,
    tenant_id: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE tenant_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(tenant_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// One message of a tenant.
pub async fn get_in_tenant(
    conn: &mut AnyConnection,
    tenant_id: &str,
    id: &str,
) -> sqlx::Result<Option<MessageRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Whether the tenant wrote a message of this kind to this address since `since`.
pub async fn written_since(
    conn: &mut AnyConnection,
    tenant_id: &str,
    (recipient, kind): (&str, &str),
    since: Millis,
) -> sqlx::Result<bool> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND recipient = $2 AND kind = $3 \
         AND created_at > $4",
    )
    .bind(tenant_id)
    .bind(recipient)
    .bind(kind)
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(count > 0)
}

/// A tenant's messages to one address, oldest first, as (kind, plain-text body).
pub async fn to_recipient(
    conn: &mut AnyConnection,
    tenant_id: &str,
    recipient: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT kind, text_body FROM outbox WHERE tenant_id = $1 AND recipient = $2 \
         ORDER BY created_at, id",
    )
    .bind(tenant_id)
    .bind(recipient)
    .fetch_all(conn)
    .await
}
