//! Writing and reading the audit log. Every mutation records exactly one event inside its own
//! transaction, so the log and the data never disagree.

use sqlx::Row;

use super::{AuditEntry, AuditPage, PAGE_SIZE};
use crate::auth::Principal;
use crate::error::{AppError, Result};
use crate::licenses::{access, LicenseRole};
use crate::now_millis;
use crate::store::{new_id, Store, Tx};

pub struct Event<'a> {
    pub tenant_id: &'a str,
    pub license_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    /// A dotted verb, e.g. `device.reset`.
    pub action: &'a str,
    /// What it was done to, for a human reading the log.
    pub subject: &'a str,
    pub ip: Option<&'a str>,
}

pub async fn record(tx: &mut Tx, event: Event<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_events (id, tenant_id, license_id, actor_id, action, subject, ip, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(event.tenant_id)
    .bind(event.license_id)
    .bind(event.actor_id)
    .bind(event.action)
    .bind(event.subject)
    .bind(event.ip)
    .bind(now_millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A page of a license's events, newest first: for its managers (and the vendor's admins).
pub async fn list_for_license(
    store: &Store,
    who: &Principal,
    license_id: &str,
    page: u32,
) -> Result<AuditPage> {
    let mut conn = store.pool().acquire().await?;
    if access(&mut conn, who, license_id).await? != LicenseRole::Manager {
        return Err(AppError::Forbidden);
    }
    let page = page.max(1);
    // One row more than a page tells whether there is a next page without counting them all.
    let rows = sqlx::query(
        "SELECT e.at, a.name AS actor, e.action, e.subject, e.ip \
         FROM audit_events e LEFT JOIN accounts a ON a.id = e.actor_id \
         WHERE e.license_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(license_id)
    .bind(i64::from(PAGE_SIZE) + 1)
    .bind(i64::from((page - 1) * PAGE_SIZE))
    .fetch_all(&mut *conn)
    .await?;
    let has_more = rows.len() > PAGE_SIZE as usize;
    let entries = rows
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|row| {
            Ok(AuditEntry {
                at: row.try_get("at")?,
                actor: row.try_get("actor")?,
                action: row.try_get("action")?,
                subject: row.try_get("subject")?,
                ip: row.try_get("ip")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(AuditPage {
        entries,
        page,
        has_more,
    })
}
