//! Signatures on the device API's answers: one Ed25519 key per tenant, created on first use and
//! kept in the database (`signing_keys`), so each vendor embeds its own public key in its app, a
//! signature of one tenant never verifies for another, and every server process signs alike.
//!
//! The secret half never leaves this module except into the database; it is never logged.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::error::{AppError, Result};
use crate::now_millis;
use crate::store::{secrets, Store};

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow it.
const SPKI_ED25519_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// A tenant's signing key, loaded from the database for one answer.
pub struct TenantKey {
    key: SigningKey,
}

/// The signing keys a process has read, by tenant. A tenant's key is written once (the first
/// insert wins) and never replaced, so a key read once stays right for every process, and a
/// check-in signs without a query for it.
#[derive(Default)]
pub(crate) struct KeyCache(std::sync::RwLock<std::collections::HashMap<String, SigningKey>>);

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret halves stay out of every log: only how many there are.
        let count = self.0.read().map(|keys| keys.len()).unwrap_or_default();
        f.debug_struct("KeyCache").field("keys", &count).finish()
    }
}

impl KeyCache {
    fn get(&self, tenant_id: &str) -> Option<TenantKey> {
        let keys = self.0.read().ok()?;
        keys.get(tenant_id)
            .map(|key| TenantKey { key: key.clone() })
    }

    fn keep(&self, tenant_id: &str, key: &SigningKey) {
        if let Ok(mut keys) = self.0.write() {
            keys.insert(tenant_id.to_owned(), key.clone());
        }
    }
}

impl std::fmt::Debug for TenantKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantKey")
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

impl TenantKey {
    /// Signs the exact bytes of a response body; base64 of the 64-byte signature.
    pub fn sign(&self, body: &[u8]) -> String {
        BASE64.encode(self.key.sign(body).to_bytes())
    }

    /// A short fingerprint of the public key, so an app holding several keys picks the right one.
    pub fn key_id(&self) -> String {
        key_id(self.key.verifying_key().as_bytes())
    }

    pub fn public_key(&self) -> PublicKey {
        let raw = *self.key.verifying_key().as_bytes();
        let mut spki = SPKI_ED25519_PREFIX.to_vec();
        spki.extend_from_slice(&raw);
        PublicKey {
            key_id: key_id(&raw),
            public_key: BASE64.encode(raw),
            public_key_pem: format!(
                "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
                BASE64.encode(spki)
            ),
        }
    }
}

/// A tenant's public key, as the vendor embeds it in its app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub key_id: String,
    /// Base64 of the 32 raw Ed25519 public key bytes.
    pub public_key: String,
    /// The same key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), for libraries that want one.
    pub public_key_pem: String,
}

/// The first 16 hex digits of the SHA-256 of the raw public key.
pub fn key_id(public_key: &[u8; 32]) -> String {
    hex::encode(&Sha256::digest(public_key)[..8])
}

/// The tenant's signing key, created (and logged as `signing_key.created`) on first use.
/// Concurrent first uses, in one process or several, agree on one key: the first insert wins.
pub async fn tenant_key(store: &Store, tenant_id: &str) -> Result<TenantKey> {
    if let Some(key) = load(store, tenant_id).await? {
        return Ok(key);
    }
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let public = *key.verifying_key().as_bytes();
    let mut tx = store.begin().await?;
    let inserted = secrets::insert_signing_key(
        &mut tx,
        tenant_id,
        &BASE64.encode(public),
        &BASE64.encode(key.to_bytes()),
        now_millis(),
    )
    .await?;
    if inserted {
        audit::record(
            &mut tx,
            Event {
                tenant_id,
                license_id: None,
                actor_id: None,
                action: AuditAction::SigningKeyCreated,
                subject: AuditSubject::SigningKey {
                    key_id: key_id(&public),
                },
                ip: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    load(store, tenant_id).await?.ok_or(AppError::Internal)
}

/// The tenant a company ID names (case-insensitive, as at login) and its public key.
pub async fn public_key_for_company(store: &Store, company: &str) -> Result<(String, PublicKey)> {
    let tenant_id = crate::tenants::by_company(store, company).await?;
    let key = tenant_key(store, &tenant_id).await?;
    Ok((tenant_id, key.public_key()))
}

async fn load(store: &Store, tenant_id: &str) -> Result<Option<TenantKey>> {
    if let Some(key) = store.signing_keys().get(tenant_id) {
        return Ok(Some(key));
    }
    let mut conn = store.conn().await?;
    let Some((public, secret)) = secrets::signing_key(&mut conn, tenant_id).await? else {
        return Ok(None);
    };
    let seed: [u8; 32] = BASE64
        .decode(secret)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            tracing::error!(tenant_id, "stored signing key is not 32 bytes of base64");
            AppError::Internal
        })?;
    let key = SigningKey::from_bytes(&seed);
    if BASE64.encode(key.verifying_key().as_bytes()) != public {
        tracing::error!(
            tenant_id,
            "stored signing key does not match its public key"
        );
        return Err(AppError::Internal);
    }
    store.signing_keys().keep(tenant_id, &key);
    Ok(Some(TenantKey { key }))
}
