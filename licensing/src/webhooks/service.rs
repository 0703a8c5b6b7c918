//! Webhooks on the server: endpoints (vendor staff register and delete them), events written with
//! the change that causes them, and the delivery round each server process runs.
//!
//! Events come from the audit log's own call: every change records one audit event in its
//! transaction, and [`emit_for_audit`] turns those a vendor can subscribe to into deliveries in
//! that same transaction. A change that rolls back sends nothing; one that commits is delivered
//! even if its process dies at once.

use std::sync::atomic::{AtomicU64, Ordering};

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use sqlx::AnyConnection;

use super::{
    Delivery, DeliveryAttempt, DeliveryStatus, EventType, NewWebhookEndpoint, WebhookEndpoint,
};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::Principal;
use crate::error::{AppError, Field, InvalidReason, Result, Thing};
use crate::store::webhooks::{self as rows, AttemptRow, DeliveryRow, EndpointRow, NewDeliveryRow};
use crate::store::{new_id, Store, Tx};
use crate::{now_millis, secret, Millis};

/// Attempts stop this long after the event was written: a day of exponential backoff.
pub const GIVE_UP_AFTER_MS: Millis = 24 * 60 * 60 * 1000;
/// How long a sender holds a claimed delivery (longer than an attempt's 10 s timeout).
pub const LEASE_MS: Millis = 60 * 1000;
/// Deliveries one round claims.
pub const BATCH: i64 = 20;
/// The longest wait between two attempts.
const MAX_BACKOFF_MS: Millis = 60 * 60 * 1000;
/// The installation secret that encrypts endpoint secrets at rest.
const SECRET_KEY_NAME: &str = "webhook_secrets";
/// Endpoints a tenant may have.
pub const MAX_ENDPOINTS: usize = 20;

/// Which webhook event an audit action is, if any.
fn event_type_of(action: AuditAction, subject: &AuditSubject) -> Option<EventType> {
    use AuditAction as A;
    Some(match action {
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

/// Writes the deliveries of an audit event the tenant's endpoints subscribe to, in the event's
/// transaction. Costs one indexed read when nobody subscribes.
pub(crate) async fn emit_for_audit(tx: &mut Tx, event: &Event<'_>, at: Millis) -> Result<()> {
    let Some(event_type) = event_type_of(event.action, &event.subject) else {
        return Ok(());
    };
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
fn next_seq(at: Millis) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{at:015}{n:020}{}", &secret::random_token()[..8])
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: what a receiver recomputes.
pub fn signature(secret: &str, unix_seconds: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{unix_seconds}.{body}").as_bytes());
    format!(
        "t={unix_seconds},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Encrypts (or, applied again, decrypts) an endpoint's secret: XOR with a keystream of
/// HMAC-SHA256(installation key, endpoint id, block number), unique per endpoint.
fn keystream_xor(key: &[u8], endpoint_id: &str, bytes: &[u8]) -> Vec<u8> {
    bytes
        .chunks(32)
        .enumerate()
        .flat_map(|(block, chunk)| {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
            mac.update(format!("webhook-secret:{endpoint_id}:{block}").as_bytes());
            let pad = mac.finalize().into_bytes();
            chunk
                .iter()
                .zip(pad)
                .map(|(b, p)| b ^ p)
                .collect::<Vec<_>>()
        })
        .collect()
}

async fn seal(store: &Store, endpoint_id: &str, secret: &str) -> Result<String> {
    let key = secret::installation_secret(store, SECRET_KEY_NAME).await?;
    Ok(hex::encode(keystream_xor(
        &key,
        endpoint_id,
        secret.as_bytes(),
    )))
}

fn open(key: &[u8], endpoint_id: &str, sealed: &str) -> Result<String> {
    let bytes = hex::decode(sealed).map_err(|_| AppError::Internal)?;
    String::from_utf8(keystream_xor(key, endpoint_id, &bytes)).map_err(|_| AppError::Internal)
}

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
    let mut conn = store.pool().acquire().await?;
    Ok(rows::endpoints_of_tenant(&mut conn, &vendor.tenant_id)
        .await?
        .into_iter()
        .map(endpoint_entry)
        .collect())
}

/// Deletes an endpoint of the caller's tenant: nothing more is sent to it.
pub async fn delete_endpoint(store: &Store, actor: &Actor, id: &str) -> Result<()> {
    let vendor = access::vendor_admin(&actor.principal)?;
    let mut tx = store.begin().await?;
    let url = rows::endpoints_of_tenant(&mut tx, &vendor.tenant_id)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .map(|e| e.url)
        .ok_or_else(|| AppError::not_found(Thing::WebhookEndpoint))?;
    if !rows::delete_endpoint(&mut tx, &vendor.tenant_id, id, now_millis()).await? {
        return Err(AppError::not_found(Thing::WebhookEndpoint));
    }
    record(&mut tx, actor, AuditAction::WebhookDeleted, &url).await?;
    tx.commit().await?;
    Ok(())
}

/// The caller's tenant's newest deliveries (at most `limit`), with their attempts.
pub async fn deliveries(store: &Store, who: &Principal, limit: i64) -> Result<Vec<Delivery>> {
    let vendor = access::vendor_admin(who)?;
    let limit = limit.clamp(1, 200);
    let mut conn = store.pool().acquire().await?;
    let found = rows::deliveries_of_tenant(&mut conn, &vendor.tenant_id, limit).await?;
    let attempts = rows::attempts_of_deliveries(&mut conn, &vendor.tenant_id, limit * 10).await?;
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

/// How an attempt went: the endpoint's HTTP status, or why it was not reached.
pub type PostResult = std::result::Result<u16, String>;

/// What posts a delivery: HTTP in the server, a recorder in tests.
pub trait Poster {
    /// Posts `body` to `url` with the given headers; `Ok(status)` once the endpoint answered.
    fn post(
        &self,
        url: &str,
        headers: &[(&'static str, String)],
        body: &str,
    ) -> impl std::future::Future<Output = PostResult> + Send;
}

/// The wait before attempt `attempts + 1`: `base_ms` doubling, at most an hour.
pub fn backoff_ms(base_ms: Millis, attempts: i64) -> Millis {
    let doublings = attempts.clamp(1, 20) - 1;
    base_ms
        .saturating_mul(1i64 << doublings)
        .min(MAX_BACKOFF_MS)
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl Round {
    pub fn claimed(&self) -> usize {
        self.delivered + self.retrying + self.failed
    }
}

/// Claims the due deliveries (at most [`BATCH`]) for `sender` and posts them side by side (a slow
/// endpoint holds up no other): 2xx is delivered; anything else is tried again after
/// [`backoff_ms`] until a day after the event.
pub async fn deliver_due<P: Poster>(
    store: &Store,
    poster: &P,
    sender: &str,
    backoff_base_ms: Millis,
) -> Result<Round> {
    let now = now_millis();
    let claimed = {
        let mut conn = store.pool().acquire().await?;
        rows::claim(
            &mut conn,
            store.backend(),
            sender,
            now,
            now + LEASE_MS,
            BATCH,
        )
        .await?
    };
    if claimed.is_empty() {
        return Ok(Round::default());
    }
    let key = secret::installation_secret(store, SECRET_KEY_NAME).await?;
    let outcomes =
        futures_util::future::join_all(claimed.iter().map(|row| attempt(&key, poster, row))).await;
    let mut round = Round::default();
    for (row, outcome) in claimed.into_iter().zip(outcomes) {
        let at = now_millis();
        let delivered = matches!(outcome.0, Ok(200..=299));
        let attempts = row.attempts + 1;
        let next = at + backoff_ms(backoff_base_ms, attempts);
        let retry_at = (!delivered && next < row.created_at + GIVE_UP_AFTER_MS).then_some(next);
        let (status, error) = match &outcome.0 {
            Ok(code) if delivered => (Some(i64::from(*code)), None),
            Ok(code) => (Some(i64::from(*code)), Some(format!("HTTP {code}"))),
            Err(error) => (None, Some(error.clone())),
        };
        match (delivered, retry_at) {
            (true, _) => round.delivered += 1,
            (false, Some(_)) => round.retrying += 1,
            (false, None) => round.failed += 1,
        }
        if !delivered {
            tracing::warn!(delivery = %row.id, attempts, error = ?error, "webhook not delivered");
        }
        let mut conn = store.pool().acquire().await?;
        rows::record_attempt(
            &mut conn,
            &AttemptRow {
                delivery_id: &row.id,
                sender,
                at,
                status,
                error: error.as_deref(),
                duration_ms: outcome.1,
                retry_at,
                delivered,
            },
        )
        .await?;
    }
    Ok(round)
}

/// One post of a delivery, signed now; its result and how long it took.
async fn attempt<P: Poster>(key: &[u8], poster: &P, row: &DeliveryRow) -> (PostResult, i64) {
    let secret = match open(key, &row.endpoint_id, &row.secret_encrypted) {
        Ok(secret) => secret,
        Err(_) => return (Err("the endpoint's secret cannot be read".into()), 0),
    };
    let t = now_millis() / 1000;
    let headers = [
        (super::SIGNATURE_HEADER, signature(&secret, t, &row.body)),
        ("Keyport-Event-Id", row.event_id.clone()),
        ("Keyport-Event-Type", row.event_type.clone()),
    ];
    let started = std::time::Instant::now();
    let result = poster.post(&row.url, &headers, &row.body).await;
    let took = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    (result, took)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_endpoint_only() {
        let key = [7u8; 32];
        let secret = format!("whsec_{}", "ab".repeat(32));
        let sealed = hex::encode(keystream_xor(&key, "e1", secret.as_bytes()));
        assert!(!sealed.contains(&hex::encode("whsec_")));
        assert_eq!(open(&key, "e1", &sealed).unwrap(), secret);
        assert_ne!(open(&key, "e2", &sealed).ok(), Some(secret.clone()));
        assert_ne!(open(&[8u8; 32], "e1", &sealed).ok(), Some(secret));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_time_dot_body() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            signature("whsec_test", 1_700_000_000, r#"{"a":1}"#),
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_ms(30_000, 1), 30_000);
        assert_eq!(backoff_ms(30_000, 3), 120_000);
        assert_eq!(backoff_ms(30_000, 40), 3_600_000);
        assert_eq!(backoff_ms(i64::MAX, 3), 3_600_000);
    }

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
