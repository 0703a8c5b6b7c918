//! Writing and reading the audit log. Every mutation records exactly one event inside its own
//! transaction, so the log and the data never disagree.

use sqlx::Row;

use super::{AuditAction, AuditEntry, AuditFilter, AuditKind, AuditPage, AuditSubject, PAGE_SIZE};
use crate::access;
use crate::auth::Principal;
use crate::error::{AppError, Field, InvalidReason, Result};
use crate::now_millis;
use crate::store::{new_id, Store, Tx};

pub struct Event<'a> {
    pub tenant_id: &'a str,
    pub license_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub action: AuditAction,
    /// What it was done to.
    pub subject: AuditSubject,
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
    .bind(event.action.as_str())
    .bind(event.subject.to_stored())
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
    access::manager(&mut conn, who, license_id).await?;
    let page = page.max(1);
    // One row more than a page tells whether there is a next page without counting them all.
    let rows = sqlx::query(
        "SELECT e.at, a.name AS actor, e.action, e.subject, e.ip \
         FROM audit_events e LEFT JOIN accounts a ON a.id = e.actor_id \
         WHERE e.license_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(license_id)
    .bind(i64::from(PAGE_SIZE) + 1)
    // In i64: a page number near u32::MAX times the page size overflows a u32.
    .bind((i64::from(page) - 1) * i64::from(PAGE_SIZE))
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
                action: stored_action(row)?,
                subject: AuditSubject::from_stored(row.try_get("subject")?),
                ip: row.try_get("ip")?,
                license: None,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(AuditPage {
        entries,
        page,
        has_more,
    })
}

/// A page of the whole tenant's log, newest first, narrowed by `filter`: for vendor staff.
pub async fn list_for_tenant(
    store: &Store,
    who: &Principal,
    filter: &AuditFilter,
    page: u32,
) -> Result<AuditPage> {
    let vendor = access::vendor_admin(who)?;
    let page = page.max(1);
    // Conditions are added with their own numbered parameters: one SQL text for both databases,
    // and no untyped NULL parameters (which Postgres cannot infer).
    let mut conditions = vec!["e.tenant_id = $1".to_owned()];
    let mut values: Vec<String> = vec![vendor.tenant_id];
    let mut add = |condition: &str, value: String| {
        values.push(value);
        conditions.push(condition.replace('?', &format!("${}", values.len())));
    };
    if let Some(id) = filter.customer_id.as_deref().filter(|v| !v.is_empty()) {
        add("l.customer_id = ?", id.to_owned());
    }
    if let Some(id) = filter.license_id.as_deref().filter(|v| !v.is_empty()) {
        add("e.license_id = ?", id.to_owned());
    }
    if let Some(actor) = filter.actor.as_deref().filter(|v| !v.trim().is_empty()) {
        add(
            "(LOWER(a.name) LIKE ? OR LOWER(a.email) LIKE ?)",
            crate::customers::contains_pattern(Some(actor)),
        );
    }
    if let Some(kind) = filter.kind.as_deref().filter(|v| !v.is_empty()) {
        let kind = AuditKind::parse(kind)
            .ok_or_else(|| AppError::invalid(Field::Kind, InvalidReason::UnknownKind))?;
        add("e.action LIKE ?", format!("{}.%", kind.as_str()));
    }
    let mut sql = format!(
        "SELECT e.at, a.name AS actor, e.action, e.subject, e.ip, c.name AS customer, l.product \
         FROM audit_events e LEFT JOIN accounts a ON a.id = e.actor_id \
         LEFT JOIN licenses l ON l.id = e.license_id LEFT JOIN customers c ON c.id = l.customer_id \
         WHERE {}",
        conditions.join(" AND ")
    );
    // Times are numbers: bound as such, after the text parameters.
    let mut times = Vec::new();
    for (bound, op) in [(filter.from, ">="), (filter.until, "<")] {
        if let Some(at) = bound {
            times.push(at);
            sql.push_str(&format!(" AND e.at {op} ${}", values.len() + times.len()));
        }
    }
    let limit = values.len() + times.len() + 1;
    sql.push_str(&format!(
        " ORDER BY e.at DESC, e.id DESC LIMIT ${limit} OFFSET ${}",
        limit + 1
    ));
    let mut query = sqlx::query(&sql);
    for value in &values {
        query = query.bind(value);
    }
    for at in &times {
        query = query.bind(*at);
    }
    let rows = query
        .bind(i64::from(PAGE_SIZE) + 1)
        // In i64: a page number near u32::MAX times the page size overflows a u32.
        .bind((i64::from(page) - 1) * i64::from(PAGE_SIZE))
        .fetch_all(store.pool())
        .await?;
    let has_more = rows.len() > PAGE_SIZE as usize;
    let entries = rows
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|row| {
            let customer: Option<String> = row.try_get("customer")?;
            let product: Option<String> = row.try_get("product")?;
            Ok(AuditEntry {
                at: row.try_get("at")?,
                actor: row.try_get("actor")?,
                action: stored_action(row)?,
                subject: AuditSubject::from_stored(row.try_get("subject")?),
                ip: row.try_get("ip")?,
                license: customer.zip(product).map(|(c, p)| format!("{c} · {p}")),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(AuditPage {
        entries,
        page,
        has_more,
    })
}

/// An event's action; a code this version does not know is a fault in the data, not in the
/// request.
fn stored_action(row: &sqlx::any::AnyRow) -> Result<AuditAction> {
    let code: String = row.try_get("action")?;
    AuditAction::parse(&code).ok_or_else(|| {
        tracing::error!(code, "an audit event with an unknown action");
        AppError::Internal
    })
}
