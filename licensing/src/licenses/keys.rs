//! License keys: the secret a desktop app can activate with instead of a login. Random, shown
//! once when issued, stored only as a hash (like session and device tokens).

use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::error::Result;
use crate::secret;
use crate::store::licenses as rows;
use crate::store::Store;

/// Every license key starts with this, so people and secret scanners recognise one.
pub const KEY_PREFIX: &str = "KP-";

/// Issues a new license key for a license and returns it; this is the only time it is seen.
/// A key issued before stops working. Records `license.key_issued`.
pub async fn issue_key(store: &Store, license_id: &str) -> Result<String> {
    let token = secret::random_token().to_uppercase();
    let groups: Vec<&str> = token
        .as_bytes()
        .chunks(8)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    let key = format!("{KEY_PREFIX}{}", groups.join("-"));
    let mut tx = store.begin_locked(license_id).await?;
    let tenant_id = super::service::license_row(&mut tx, license_id)
        .await?
        .tenant_id;
    rows::set_key_hash(&mut tx, license_id, &key_hash(&key)).await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &tenant_id,
            license_id: Some(license_id),
            actor_id: None,
            action: AuditAction::LicenseKeyIssued,
            // Never the key itself: the log is readable by the license's managers.
            subject: AuditSubject::LicenseKey,
            ip: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(key)
}

/// The license (and its tenant) holding a key, if any. Case and surrounding spaces of the key
/// do not matter: people retype keys.
pub async fn license_for_key(store: &Store, key: &str) -> Result<Option<(String, String)>> {
    let mut conn = store.conn().await?;
    Ok(rows::by_key_hash(&mut conn, &key_hash(key)).await?)
}

/// How a key is stored and looked up.
pub(crate) fn key_hash(key: &str) -> String {
    secret::hash(&key.trim().to_uppercase())
}
