//! The management API's reads and vendor-side changes: the console's services (the same guards,
//! rules and audit events), seen as the API's views and paged with a cursor.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::api::{
    Account, AuditEvent, Customer, CustomerDetail, CustomerQuery, Device, EventQuery, License,
    LicenseChange, LicenseQuery, Page,
};
use crate::access::{self, Actor};
use crate::audit::{tenant_events, AuditFilter};
use crate::auth::Principal;
use crate::error::{AppError, Field, InvalidReason, Result, Thing};
use crate::input::bounded;
use crate::licenses::{self, Limits, TenantLicense};
use crate::store::customers::{self as customer_rows, CustomerRow};
use crate::store::Store;
use crate::Millis;

/// Items per page when the caller does not say.
pub const DEFAULT_LIMIT: i64 = 50;
/// The most items a page holds.
pub const MAX_LIMIT: i64 = 100;

fn query_field(name: &str) -> Field {
    Field::Input(name.to_owned())
}

fn page_size(limit: Option<i64>) -> Result<usize> {
    let limit = bounded(
        query_field("limit"),
        limit.unwrap_or(DEFAULT_LIMIT),
        1,
        MAX_LIMIT,
    )?;
    // Bounded to 1..=100 above.
    Ok(usize::try_from(limit).unwrap_or(1))
}

/// A cursor names the last item of the page before: opaque to the caller (base64url), so its
/// form can change without breaking clients.
fn cursor_of(last: &str) -> String {
    URL_SAFE_NO_PAD.encode(last)
}

fn read_cursor(cursor: &str) -> Result<String> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| AppError::invalid(query_field("cursor"), InvalidReason::Unreadable))
}

/// A cursor of a list ordered by time: `(at, id)`.
fn read_timed_cursor(cursor: &str) -> Result<(Millis, String)> {
    read_cursor(cursor)?
        .split_once(':')
        .and_then(|(at, id)| Some((at.parse().ok()?, id.to_owned())))
        .ok_or_else(|| AppError::invalid(query_field("cursor"), InvalidReason::Unreadable))
}

/// `limit` items and the cursor of the next page, from up to `limit + 1` read.
fn paged<T>(mut items: Vec<T>, limit: usize, key: impl Fn(&T) -> String) -> Page<T> {
    let more = items.len() > limit;
    items.truncate(limit);
    let next_cursor = more
        .then(|| items.last().map(|last| cursor_of(&key(last))))
        .flatten();
    Page { items, next_cursor }
}

/// A time as the API writes it: RFC 3339 in UTC, to the millisecond.
pub fn rfc3339(at: Millis) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// A time the API was given (RFC 3339, any offset), in milliseconds.
pub fn parse_rfc3339(field: &str, text: &str) -> Result<Millis> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .ok()
        .and_then(|t| i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok())
        .ok_or_else(|| AppError::invalid(query_field(field), InvalidReason::Unreadable))
}

fn customer_view(row: CustomerRow) -> Customer {
    Customer {
        id: row.id,
        name: row.name,
        external_id: row.external_id,
        created_at: rfc3339(row.created_at),
        license_count: row.licenses,
        account_count: row.accounts,
    }
}

fn license_view(found: TenantLicense) -> License {
    let l = found.license;
    License {
        id: l.id,
        customer_id: found.customer_id,
        customer_name: l.customer_name,
        product: l.product,
        license_type: l.license_type,
        status: l.status,
        subscriptions: l.subscriptions,
        valid_from: rfc3339(l.valid_from),
        valid_until: rfc3339(l.valid_until),
        seats_used: l.seats_used,
        max_users: l.max_users,
        devices_active: l.devices_active,
        max_activations: l.max_activations,
        deactivations_used: l.deactivations_used,
        max_deactivations: l.max_deactivations,
    }
}

/// The tenant's customers in the order they were made, narrowed by name or by the shop's id.
pub async fn customers(
    store: &Store,
    who: &Principal,
    query: &CustomerQuery,
) -> Result<Page<Customer>> {
    let vendor = access::vendor_admin(who)?;
    let limit = page_size(query.limit)?;
    let after = query.cursor.as_deref().map(read_timed_cursor).transpose()?;
    let mut conn = store.conn().await?;
    if let Some(external_id) = &query.external_id {
        // At most one: a customer's external id is unique in its tenant.
        let found =
            customer_rows::by_external_id(&mut conn, &vendor.tenant_id, external_id).await?;
        return Ok(Page {
            items: found.into_iter().map(customer_view).collect(),
            next_cursor: None,
        });
    }
    let pattern = crate::customers::contains_pattern(query.search.as_deref());
    let rows = customer_rows::page(
        &mut conn,
        &vendor.tenant_id,
        &pattern,
        after.as_ref().map(|(at, id)| (*at, id.as_str())),
        // Bounded to 100 by `page_size`.
        limit as i64 + 1,
    )
    .await?;
    let page = paged(rows, limit, |row| format!("{}:{}", row.created_at, row.id));
    Ok(Page {
        items: page.items.into_iter().map(customer_view).collect(),
        next_cursor: page.next_cursor,
    })
}

/// One customer of the tenant with its people; another tenant's is `NotFound`.
pub async fn customer(store: &Store, who: &Principal, id: &str) -> Result<CustomerDetail> {
    let vendor = access::vendor_admin(who)?;
    let row = {
        let mut conn = store.conn().await?;
        customer_rows::get(&mut conn, id, &vendor.tenant_id)
            .await?
            .ok_or_else(|| AppError::not_found(Thing::Customer))?
    };
    let detail = crate::customers::get(store, who, id).await?;
    Ok(CustomerDetail {
        customer: customer_view(row),
        accounts: detail
            .accounts
            .into_iter()
            .map(|a| Account {
                id: a.id,
                name: a.name,
                email: a.email,
                invitation_pending: a.invitation_pending,
            })
            .collect(),
    })
}

/// The tenant's licenses (or one customer's) by id; a customer of another tenant is `NotFound`.
pub async fn licenses(
    store: &Store,
    who: &Principal,
    query: &LicenseQuery,
) -> Result<Page<License>> {
    let vendor = access::vendor_admin(who)?;
    let limit = page_size(query.limit)?;
    let after = query.cursor.as_deref().map(read_cursor).transpose()?;
    let mut found = match &query.customer_id {
        Some(customer_id) => {
            {
                let mut conn = store.conn().await?;
                access::vendor_customer(&mut conn, &vendor, customer_id).await?;
            }
            licenses::list_for_customer(store, who, customer_id).await?
        }
        None => licenses::list_for_tenant(store, who, None).await?,
    };
    // By id, which never changes: a license made while a client pages lands on one page only.
    found.sort_by(|a, b| a.license.id.cmp(&b.license.id));
    let rest: Vec<License> = found
        .into_iter()
        .filter(|l| after.as_ref().is_none_or(|after| &l.license.id > after))
        .take(limit + 1)
        .map(license_view)
        .collect();
    Ok(paged(rest, limit, |l| l.id.clone()))
}

/// One license of the tenant: limits, use, status, validity.
pub async fn license(store: &Store, who: &Principal, id: &str) -> Result<License> {
    Ok(license_view(
        licenses::get_for_vendor(store, who, id).await?,
    ))
}

/// The active devices of a license of the tenant.
pub async fn devices(store: &Store, actor: &Actor, license_id: &str) -> Result<Vec<Device>> {
    access::vendor_admin(&actor.principal)?;
    Ok(crate::devices::list(store, actor, license_id)
        .await?
        .into_iter()
        .map(|d| Device {
            id: d.id,
            name: d.name,
            os: d.os,
            first_activated_at: rfc3339(d.first_activated_at),
            last_seen_at: rfc3339(d.last_seen_at),
            activated_by: d.activated_by,
        })
        .collect())
}

/// The tenant's audit log, newest first, narrowed like the console's.
pub async fn events(
    store: &Store,
    who: &Principal,
    query: &EventQuery,
) -> Result<Page<AuditEvent>> {
    let limit = page_size(query.limit)?;
    let before = query.cursor.as_deref().map(read_timed_cursor).transpose()?;
    let time = |field: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|text| parse_rfc3339(field, text))
            .transpose()
    };
    let filter = AuditFilter {
        customer_id: query.customer_id.clone(),
        license_id: query.license_id.clone(),
        actor: query.actor.clone(),
        kind: query.kind.clone(),
        from: time("from", &query.from)?,
        until: time("until", &query.until)?,
    };
    // Bounded to 100 by `page_size`.
    let rows = tenant_events(store, who, &filter, before, (limit as i64 + 1, 0)).await?;
    let page = paged(rows, limit, |e| format!("{}:{}", e.at, e.id));
    let items = page
        .items
        .into_iter()
        .map(|e| AuditEvent {
            subject: serde_json::from_str(&e.subject).unwrap_or(serde_json::Value::Null),
            id: e.id,
            at: rfc3339(e.at),
            actor: e.actor,
            action: e.action,
            ip: e.ip,
            license_id: e.license_id,
        })
        .collect();
    Ok(Page {
        items,
        next_cursor: page.next_cursor,
    })
}

/// Suspends or resumes a license; answers it as it is now.
pub async fn set_suspended(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    suspended: bool,
) -> Result<License> {
    licenses::set_suspended(store, actor, license_id, suspended).await?;
    license(store, &actor.principal, license_id).await
}

/// Lifts the deactivation limit (every deactivation available again), with the reason the log
/// keeps.
pub async fn reset_deactivations(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    reason: &str,
) -> Result<License> {
    licenses::reset_deactivation_limit(store, actor, license_id, reason).await?;
    license(store, &actor.principal, license_id).await
}

/// Changes limits and validity; what the change leaves out stays as it is.
pub async fn change_license(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    change: &LicenseChange,
) -> Result<License> {
    let now = licenses::get_for_vendor(store, &actor.principal, license_id)
        .await?
        .license;
    let valid_until = match &change.valid_until {
        Some(text) => parse_rfc3339("valid_until", text)?,
        None => now.valid_until,
    };
    let limits = Limits {
        max_users: change.max_users.unwrap_or(now.max_users),
        max_activations: change.max_activations.unwrap_or(now.max_activations),
        max_deactivations: change.max_deactivations.unwrap_or(now.max_deactivations),
        valid_until,
    };
    licenses::update_limits(store, actor, license_id, &limits)
        .await
        .map_err(|e| {
            named_as(e, |field| match field {
                Field::Seats => Some("max_users"),
                Field::Devices => Some("max_activations"),
                Field::Deactivations => Some("max_deactivations"),
                Field::ValidUntil => Some("valid_until"),
                _ => None,
            })
        })?;
    license(store, &actor.principal, license_id).await
}

/// An error naming a console field, naming it as the API's JSON spells it instead.
pub(super) fn named_as<'a>(error: AppError, name: impl Fn(&Field) -> Option<&'a str>) -> AppError {
    match error {
        AppError::Invalid { field, reason } => AppError::Invalid {
            field: name(&field).map(query_field).unwrap_or(field),
            reason,
        },
        other => other,
    }
}
