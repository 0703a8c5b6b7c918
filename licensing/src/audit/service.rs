//! Writing and reading the audit log. Every mutation records exactly one event inside its own
//! transaction, so the log and the data never disagree.

use super::{AuditAction, AuditEntry, AuditFilter, AuditKind, AuditPage, AuditSubject, PAGE_SIZE};
use crate::access;
use crate::auth::Principal;
use crate::error::{AppError, Field, InvalidReason, Result};
use crate::now_millis;
use crate::store::audit::{self as rows, EventRow, Narrowing, NewEvent};
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
    let at = now_millis();
    let webhook_type = crate::webhooks::event_type_for_audit(&event);
    let subscribers = rows::insert(
        tx,
        &NewEvent {
            id: &new_id(),
            tenant_id: event.tenant_id,
            license_id: event.license_id,
            actor_id: event.actor_id,
            action: event.action.as_str(),
            subject: &event.subject.to_stored(),
            ip: event.ip,
            at,
        },
        webhook_type.map(|t| t.as_str()),
    )
    .await?;
    match webhook_type {
        Some(event_type) if subscribers > 0 => {
            crate::webhooks::emit_for_audit(tx, &event, event_type, at).await
        }
        _ => Ok(()),
    }
}

/// A page of a license's events, newest first: for its managers (and the vendor's admins).
pub async fn list_for_license(
    store: &Store,
    who: &Principal,
    license_id: &str,
    page: u32,
) -> Result<AuditPage> {
    let mut conn = store.conn().await?;
    access::manager(&mut conn, who, license_id).await?;
    let page = page.max(1);
    let (limit, offset) = window(page);
    let events = rows::page_of_license(&mut conn, license_id, limit, offset).await?;
    // The license page names its license already.
    paged(events, page, false)
}

/// A page of the whole tenant's log, newest first, narrowed by `filter`: for vendor staff.
pub async fn list_for_tenant(
    store: &Store,
    who: &Principal,
    filter: &AuditFilter,
    page: u32,
) -> Result<AuditPage> {
    let page = page.max(1);
    let (limit, offset) = window(page);
    let events = tenant_events(store, who, filter, None, (limit, offset)).await?;
    paged(events, page, true)
}

/// The tenant's events newest first, narrowed by `filter`: `limit` of them from `offset` on, all
/// older than `before` (an event's `(at, id)`) when given. Vendor staff only.
pub(crate) async fn tenant_events(
    store: &Store,
    who: &Principal,
    filter: &AuditFilter,
    before: Option<(crate::Millis, String)>,
    (limit, offset): (i64, i64),
) -> Result<Vec<EventRow>> {
    let vendor = access::vendor_admin(who)?;
    let given = |v: &Option<String>| {
        v.as_deref()
            .filter(|v| !v.trim().is_empty())
            .map(str::to_owned)
    };
    let kind = match given(&filter.kind) {
        Some(kind) => Some(
            AuditKind::parse(&kind)
                .ok_or_else(|| AppError::invalid(Field::Kind, InvalidReason::UnknownKind))?
                .as_str(),
        ),
        None => None,
    };
    let (customer_id, license_id) = (given(&filter.customer_id), given(&filter.license_id));
    let narrowing = Narrowing {
        customer_id: customer_id.as_deref(),
        license_id: license_id.as_deref(),
        actor_pattern: given(&filter.actor)
            .map(|actor| crate::customers::contains_pattern(Some(&actor))),
        kind,
        from: filter.from,
        until: filter.until,
        before,
    };
    let mut conn = store.conn().await?;
    Ok(rows::page_of_tenant(&mut conn, &vendor.tenant_id, &narrowing, limit, offset).await?)
}

/// The rows to read for a page: one more than a page tells whether there is a next page without
/// counting them all. In i64: a page number near u32::MAX times the page size overflows a u32.
fn window(page: u32) -> (i64, i64) {
    (
        i64::from(PAGE_SIZE) + 1,
        (i64::from(page) - 1) * i64::from(PAGE_SIZE),
    )
}

fn paged(events: Vec<EventRow>, page: u32, with_license: bool) -> Result<AuditPage> {
    let has_more = events.len() > PAGE_SIZE as usize;
    let entries = events
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|e| {
            let license = match (with_license, e.customer, e.product) {
                (true, Some(c), Some(p)) => Some(format!("{c} · {p}")),
                _ => None,
            };
            Ok(AuditEntry {
                at: e.at,
                actor: e.actor,
                action: stored_action(&e.action)?,
                subject: AuditSubject::from_stored(&e.subject),
                ip: e.ip,
                license,
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
fn stored_action(code: &str) -> Result<AuditAction> {
    AuditAction::parse(code).ok_or_else(|| {
        tracing::error!(code, "an audit event with an unknown action");
        AppError::Internal
    })
}
