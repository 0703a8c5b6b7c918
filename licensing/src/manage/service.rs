//! Management API keys on the server: vendor staff make, list and revoke them; a request's
//! bearer key is turned into the tenant it acts for.

use super::{ApiKeyEntry, NewApiKey, KEY_START, PREFIX_LEN};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::{AccountKind, Principal};
use crate::error::{AppError, Field, InvalidReason, Result, Thing};
use crate::store::api_keys::{self as rows, NewKeyRow};
use crate::store::{accounts, new_id, Store};
use crate::{now_millis, secret};

/// Who a management request acts as: a key of one tenant, and its account (vendor staff of that
/// tenant, named "API key NAME"), which the services' guards and audit events see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHolder {
    pub key_id: String,
    pub principal: Principal,
}

/// What a key's account is called in the audit log and every list of who did what.
pub fn key_account_name(name: &str) -> String {
    format!("API key {name}")
}

/// A password hash no password verifies (not a PHC string): a key's account never logs in.
const NO_PASSWORD: &str = "!";

/// Makes a key for the caller's tenant (vendor staff only); the answer is the one time it is
/// shown.
pub async fn create_key(store: &Store, actor: &Actor, name: &str) -> Result<NewApiKey> {
    let vendor = access::vendor_admin(&actor.principal)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(Field::Name, InvalidReason::Required));
    }
    if name.chars().count() > 100 {
        return Err(AppError::invalid(
            Field::Name,
            InvalidReason::TooLong { max: 100 },
        ));
    }
    let key = format!("{KEY_START}{}", secret::random_token());
    let prefix: String = key.chars().take(PREFIX_LEN).collect();
    let id = new_id();
    let account_id = new_id();
    let now = now_millis();
    let mut tx = store.begin().await?;
    accounts::insert(
        &mut tx,
        &accounts::AccountRow {
            id: &account_id,
            tenant_id: &vendor.tenant_id,
            customer_id: None,
            kind: AccountKind::VendorAdmin.as_str(),
            // Unique per key, and `.invalid` (RFC 2606) can never receive mail.
            email: &format!("key-{id}@api-keys.invalid"),
            name: &key_account_name(name),
            password_hash: NO_PASSWORD,
            password_set: true,
            created_at: now,
        },
    )
    .await?;
    rows::insert(
        &mut tx,
        &NewKeyRow {
            id: &id,
            tenant_id: &vendor.tenant_id,
            name,
            prefix: &prefix,
            key_hash: &secret::hash(&key),
            account_id: &account_id,
            created_by: Some(&actor.principal.account_id),
            now,
        },
    )
    .await?;
    record(
        &mut tx,
        actor,
        &vendor.tenant_id,
        AuditAction::ApiKeyCreated,
        (name, &prefix),
    )
    .await?;
    tx.commit().await?;
    Ok(NewApiKey {
        id,
        name: name.to_owned(),
        prefix,
        key,
    })
}

/// The caller's tenant's keys, newest first (vendor staff only).
pub async fn list_keys(store: &Store, who: &Principal) -> Result<Vec<ApiKeyEntry>> {
    let vendor = access::vendor_admin(who)?;
    let mut conn = store.conn().await?;
    Ok(rows::of_tenant(&mut conn, &vendor.tenant_id)
        .await?
        .into_iter()
        .map(|row| ApiKeyEntry {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            created_by: row.created_by_name,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        })
        .collect())
}

/// Revokes a key of the caller's tenant: from now on it answers 401 like an unknown key. Another
/// tenant's key, or one already revoked, is `NotFound`.
pub async fn revoke_key(store: &Store, actor: &Actor, id: &str) -> Result<()> {
    let vendor = access::vendor_admin(&actor.principal)?;
    let mut tx = store.begin().await?;
    let (name, prefix) = rows::revoke(&mut tx, &vendor.tenant_id, id, now_millis())
        .await?
        .ok_or_else(|| AppError::not_found(Thing::ApiKey))?;
    record(
        &mut tx,
        actor,
        &vendor.tenant_id,
        AuditAction::ApiKeyRevoked,
        (&name, &prefix),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The tenant a bearer key acts for; an unknown, revoked or malformed key is `Unauthenticated`,
/// one answer for all three. Its last use is kept to the minute.
pub async fn authenticate_key(store: &Store, bearer: &str) -> Result<KeyHolder> {
    let bearer = bearer.trim();
    if !bearer.starts_with(KEY_START) || bearer.len() > 200 {
        return Err(AppError::Unauthenticated);
    }
    let key = rows::live_by_hash(&mut *store.conn().await?, &secret::hash(bearer))
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let now = now_millis();
    if key.last_used_at.is_none_or(|at| now - at > 60_000) {
        rows::touch(&mut *store.write_conn().await?, &key.key_id, now).await?;
    }
    Ok(KeyHolder {
        key_id: key.key_id,
        principal: crate::auth::principal_from_row(key.principal)?,
    })
}

async fn record(
    tx: &mut crate::store::Tx,
    actor: &Actor,
    tenant_id: &str,
    action: AuditAction,
    (name, prefix): (&str, &str),
) -> Result<()> {
    audit::record(
        tx,
        Event {
            tenant_id,
            license_id: None,
            actor_id: Some(&actor.principal.account_id),
            action,
            subject: AuditSubject::SigningKey {
                key_id: format!("{name} ({prefix}…)"),
            },
            ip: Some(&actor.ip),
        },
    )
    .await
}
