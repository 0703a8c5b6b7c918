//! The audit log: who changed what, when and from where. Every mutation records exactly one
//! event inside its own transaction, so the log and the data never disagree.

use crate::error::Result;
use crate::now_millis;
use crate::store::{new_id, Tx};

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
