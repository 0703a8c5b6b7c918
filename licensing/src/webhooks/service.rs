//! Webhook endpoints on the server: vendor staff (or a management key) register, list and delete
//! them, list the deliveries and send one again.

use super::delivery::seal;
use super::events::next_seq;
use super::{
    Delivery, DeliveryAttempt, DeliveryStatus, EventType, NewWebhookEndpoint, WebhookEndpoint,
};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::Principal;
use crate::error::{AppError, Field, InvalidReason, Result, Thing};
use crate::store::webhooks::{self as rows, EndpointRow};
use crate::store::{new_id, Store, Tx};
use crate::{now_millis, secret};

/// Endpoints a tenant may have.
pub const MAX_ENDPOINTS: usize = 20;

/// Checks an endpoint's address: `http` or `https`, a host, no credentials, no spaces. Whether
/// it resolves to an address deliveries may go to is checked at each delivery (DNS changes).
fn checked_url(url: &str) -> Result<&str> {
    let url = url.trim();
    let refuse = || AppError::invalid(Field::Input("url".into()), InvalidReason::Unreadable);
    if url.is_empty() {
        return Err(AppError::invalid(
            Field::Input("url".into()),
            InvalidReason::Required,
        ));
    }
    if url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refuse());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(refuse)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') || authority.starts_with(':') {
        return Err(refuse());
    }
    Ok(url)
}

fn checked_types(types: &[String]) -> Result<Vec<EventType>> {
    let field = || Field::Input("event_types".into());
    let mut parsed = Vec::new();
    for name in types.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let t = EventType::parse(name)
            .ok_or_else(|| AppError::invalid(field(), InvalidReason::UnknownKind))?;
        if !parsed.contains(&t) {
            parsed.push(t);
        }
    }
    if parsed.is_empty() {
        return Err(AppError::invalid(field(), InvalidReason::Required));
    }
    Ok(parsed)
}

fn endpoint_entry(row: EndpointRow) -> WebhookEndpoint {
    WebhookEndpoint {
        event_types: row
            .event_types
            .split(' ')
            .filter_map(EventType::parse)
            .collect(),
        id: row.id,
        url: row.url,
        created_by: row.created_by_name,
        created_at: row.created_at,
    }
}

/// Registers an endpoint of the caller's tenant (vendor staff or a management key); its secret
/// is in the answer only.
pub async fn create_endpoint(
    store: &Store,
    actor: &Actor,
    url: &str,
    types: &[String],
) -> Result<NewWebhookEndpoint> {
    let vendor = access::vendor_admin(&actor.principal)?;
    let url = checked_url(url)?;
    let types = checked_types(types)?;
    let id = new_id();
    let secret = format!("whsec_{}", secret::random_token());
    let sealed = seal(store, &id, &secret).await?;
    let now = now_millis();
    let mut tx = store.begin().await?;
    let event_types = types
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    rows::insert_endpoint(
        &mut tx,
        &rows::NewEndpointRow {
            id: &id,
            tenant_id: &vendor.tenant_id,
            url,
            event_types: &event_types,
            secret_encrypted: &sealed,
            created_by: &actor.principal.account_id,
            now,
        },
    )
    .await?;
    // Counted after the insert: on SQLite the transaction must start with its write.
    if rows::endpoints_of_tenant(&mut tx, &vendor.tenant_id)
        .await?
        .len()
        > MAX_ENDPOINTS
    {
        return Err(AppError::invalid(
            Field::Input("url".into()),
            InvalidReason::WouldExceed {
                max: MAX_ENDPOINTS as i64,
            },
        ));
    }
    record(&mut tx, actor, AuditAction::WebhookCreated, url).await?;
    tx.commit().await?;
    Ok(NewWebhookEndpoint {
        endpoint: WebhookEndpoint {
            id,
            url: url.to_owned(),
            event_types: types,
            created_by: Some(actor.principal.name.clone()),
            created_at: now,
        },
        secret,
    })
}

/// The caller's tenant's endpoints.
pub async fn list_endpoints(store: &Store, who: &Principal) -> Result<Vec<WebhookEndpoint>> {
    let vendor = access::vendor_admin(who)?;
    let mut conn = store.conn().await?;
    Ok(rows::endpoints_of_tenant(&mut conn, &vendor.tenant_id)
        .await?
        .into_iter()
        .map(endpoint_entry)
        .collect())
}

/// Deletes an endpoint of the caller's tenant: nothing more is sent to it.
pub async fn delete_endpoint(store: &Store, actor: &Actor, id: &str) -> Result<()> {
    let vendor = access::vendor_admin(&actor.principal)?;
    // The transaction starts with its write (SQLite cannot upgrade a read to a write).
    let mut tx = store.begin().await?;
    let url = rows::delete_endpoint(&mut tx, &vendor.tenant_id, id, now_millis())
        .await?
        .ok_or_else(|| AppError::not_found(Thing::WebhookEndpoint))?;
    record(&mut tx, actor, AuditAction::WebhookDeleted, &url).await?;
    tx.commit().await?;
    Ok(())
}

/// The caller's tenant's newest deliveries (at most `limit`), with their attempts.
pub async fn deliveries(store: &Store, who: &Principal, limit: i64) -> Result<Vec<Delivery>> {
    let vendor = access::vendor_admin(who)?;
    let limit = limit.clamp(1, 200);
    let mut conn = store.conn().await?;
    let found = rows::deliveries_of_tenant(&mut conn, &vendor.tenant_id, limit).await?;
    let attempts = match found.last() {
        Some(oldest) => {
            rows::attempts_of_deliveries(&mut conn, &vendor.tenant_id, &oldest.seq).await?
        }
        None => Vec::new(),
    };
    Ok(found
        .into_iter()
        .map(|d| {
            let history = attempts
                .iter()
                .filter(|a| a.delivery_id == d.id)
                .map(|a| DeliveryAttempt {
                    at: a.at,
                    status: a.status,
                    error: a.error.clone(),
                    duration_ms: a.duration_ms,
                })
                .collect();
            let status = match d.status.as_str() {
                "delivered" => DeliveryStatus::Delivered,
                "failed" => DeliveryStatus::Failed,
                _ => DeliveryStatus::Pending,
            };
            Delivery {
                next_attempt_at: (status == DeliveryStatus::Pending).then_some(d.next_attempt_at),
                id: d.id,
                endpoint_id: d.endpoint_id,
                url: d.url,
                event_id: d.event_id,
                event_type: d.event_type,
                status,
                attempts: d.attempts,
                last_status: d.last_status,
                last_error: d.last_error,
                created_at: d.created_at,
                delivered_at: d.delivered_at,
                history,
            }
        })
        .collect())
}

/// Sends a delivered or given-up delivery of the caller's tenant again, as a new delivery of the
/// same event (same `id` in the body); one still pending is `NotFound` (it is on its way).
pub async fn redeliver(store: &Store, actor: &Actor, delivery_id: &str) -> Result<()> {
    let vendor = access::vendor_admin(&actor.principal)?;
    let now = now_millis();
    let mut tx = store.begin().await?;
    let new = (new_id(), next_seq(now));
    if !rows::redeliver(
        &mut tx,
        &vendor.tenant_id,
        delivery_id,
        (&new.0, &new.1),
        now,
    )
    .await?
    {
        return Err(AppError::not_found(Thing::WebhookDelivery));
    }
    record(&mut tx, actor, AuditAction::WebhookRedelivered, delivery_id).await?;
    tx.commit().await?;
    Ok(())
}

async fn record(tx: &mut Tx, actor: &Actor, action: AuditAction, what: &str) -> Result<()> {
    audit::record(
        tx,
        Event {
            tenant_id: &actor.principal.tenant_id,
            license_id: None,
            actor_id: Some(&actor.principal.account_id),
            action,
            subject: AuditSubject::Webhook {
                url: what.to_owned(),
            },
            ip: Some(&actor.ip),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_addresses_with_a_host_are_endpoints() {
        for good in ["https://shop.example/hooks", "http://127.0.0.1:8080/x?y=1"] {
            assert_eq!(checked_url(good), Ok(good));
        }
        for bad in [
            "ftp://x",
            "https://",
            "https://user:pw@x/",
            "https://x/ y",
            "javascript:alert(1)",
            "https://:80/",
        ] {
            assert!(checked_url(bad).is_err(), "{bad}");
        }
    }
}
