//! Delivering webhooks: signing, the endpoint secrets kept encrypted, and the round each server
//! process runs (claim, post side by side, record every attempt, back off for a day).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{AppError, Result};
use crate::store::webhooks::{self as rows, AttemptRow, DeliveryRow};
use crate::store::Store;
use crate::{now_millis, secret, Millis};

/// Attempts stop this long after the event was written: a day of exponential backoff.
pub const GIVE_UP_AFTER_MS: Millis = 24 * 60 * 60 * 1000;
/// How long a sender holds a claimed delivery (longer than an attempt's timeout, at most 30 s).
pub const LEASE_MS: Millis = 60 * 1000;
/// Deliveries one round claims.
pub const BATCH: i64 = 20;
/// The longest wait between two attempts.
const MAX_BACKOFF_MS: Millis = 60 * 60 * 1000;
/// The installation secret that encrypts endpoint secrets at rest.
const SECRET_KEY_NAME: &str = "webhook_secrets";

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

pub(super) async fn seal(store: &Store, endpoint_id: &str, secret: &str) -> Result<String> {
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
        let mut conn = store.write_conn().await?;
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
        let mut conn = store.write_conn().await?;
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
}
