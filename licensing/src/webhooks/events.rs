//! Webhook events: the deliveries a change writes in its own transaction, from its audit event
//! (or, for `deactivation_limit.reached`, from the change that spent the last deactivation).
//!
//! Every change records one audit event in its transaction, and [`emit_for_audit`] turns those a
//! vendor can subscribe to into deliveries in that same transaction. A change that rolls back
//! sends nothing; one that commits is delivered even if its process dies at once.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Value};
use sqlx::AnyConnection;

use super::EventType;
use crate::audit::{AuditAction, AuditSubject, Event};
use crate::error::Result;
use crate::store::webhooks::{self as rows, NewDeliveryRow};
use crate::store::{new_id, Tx};
use crate::{now_millis, secret, Millis};

/// The webhook event an audit event is, if any.
pub(crate) fn event_type_for_audit(event: &Event<'_>) -> Option<EventType> {
    use AuditAction as A;
    let subject = &event.subject;
    Some(match event.action {
        A::DeviceActivated
        | A::DeviceReactivated
        | A::DeviceActivatedOffline
        | A::DeviceReactivatedOffline => EventType::DeviceActivated,
        A::DeviceDeactivatedByApp | A::DeviceReset | A::DeviceRemovedByVendor => {
            EventType::DeviceDeactivated
        }
        A::DeviceLimitRefused => EventType::DeviceLimitRefused,
        A::LicenseCreated => EventType::LicenseCreated,
        A::LicenseSubscriptionsAdded
        | A::LicenseReset
        | A::LicenseDeactivationLimitReset
        | A::LicenseLimitsChanged => EventType::LicenseUpdated,
        A::LicenseSuspended => EventType::LicenseSuspended,
        A::LicenseResumed => EventType::LicenseResumed,
        A::UserAssigned => EventType::SeatAssigned,
        A::UserCreated if matches!(subject, AuditSubject::Account { assigned: true, .. }) => {
            EventType::SeatAssigned
        }
        A::UserUnassigned => EventType::SeatUnassigned,
        _ => return None,
    })
}

/// Writes the deliveries of an audit event, of `event_type`, to the tenant's endpoints that
/// take it, in the event's transaction (after the event's insert counted some).
pub(crate) async fn emit_for_audit(
    tx: &mut Tx,
    event: &Event<'_>,
    event_type: EventType,
    at: Millis,
) -> Result<()> {
    let data = json!({
        "action": event.action.as_str(),
        "subject": &event.subject,
    });
    emit(tx, event.tenant_id, event.license_id, event_type, data, at).await
}

/// Writes one event's deliveries to the tenant's endpoints that take its type. `data` gets the
/// license as it is now (limits, use, status), when the event is about one.
pub(crate) async fn emit(
    tx: &mut Tx,
    tenant_id: &str,
    license_id: Option<&str>,
    event_type: EventType,
    mut data: Value,
    at: Millis,
) -> Result<()> {
    let endpoints = rows::subscribed(tx, tenant_id, event_type.as_str()).await?;
    if endpoints.is_empty() {
        return Ok(());
    }
    if let (Some(id), Some(fields)) = (license_id, data.as_object_mut()) {
        fields.insert("license".into(), license_view(tx, id).await?);
    }
    let event_id = format!("evt_{}", new_id().replace('-', ""));
    let body = json!({
        "id": event_id,
        "type": event_type.as_str(),
        "created_at": crate::manage::rfc3339(at),
        "data": data,
    })
    .to_string();
    for endpoint_id in endpoints {
        rows::insert_delivery(
            tx,
            &NewDeliveryRow {
                id: &new_id(),
                seq: &next_seq(at),
                tenant_id,
                endpoint_id: &endpoint_id,
                event_id: &event_id,
                event_type: event_type.as_str(),
                license_id: license_id.unwrap_or_default(),
                body: &body,
                now: at,
            },
        )
        .await?;
    }
    Ok(())
}

/// `deactivation_limit.reached`, after the change that spent a license's last deactivation (in
/// its transaction, after its own event).
pub(crate) async fn budget_spent(
    tx: &mut Tx,
    tenant_id: &str,
    license_id: &str,
    allowed: i64,
) -> Result<()> {
    let data = json!({ "allowed": allowed });
    let event = EventType::DeactivationLimitReached;
    emit(tx, tenant_id, Some(license_id), event, data, now_millis()).await
}

/// The license part of an event's data.
async fn license_view(conn: &mut AnyConnection, license_id: &str) -> Result<Value> {
    let Some(l) = crate::store::licenses::get(conn, license_id).await? else {
        return Ok(Value::Null);
    };
    Ok(json!({
        "id": l.id,
        "customer_id": l.customer_id,
        "product": l.product,
        "license_type": l.license_type,
        "status": crate::licenses::LicenseStatus::effective(&l.status, l.valid_from, l.valid_until, now_millis()),
        "subscriptions": l.subscriptions,
        "max_users": l.max_users,
        "seats_used": l.seats_used,
        "max_activations": l.max_activations,
        "devices_active": l.devices_active,
        "max_deactivations": l.max_deactivations,
        "deactivations_used": l.deactivations_used,
        "valid_until": crate::manage::rfc3339(l.valid_until),
    }))
}

/// A delivery's place in the order: the time it was written, then its order in this process
/// (events of one transaction share a millisecond), then a random tail against other processes.
pub(super) fn next_seq(at: Millis) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{at:015}{n:020}{}", &secret::random_token()[..8])
}
