//! Devices on the portal's side: listing a license's devices (paged, searched), a customer's reset
//! against the deactivation budget, and the vendor's removal; and the one way a device is
//! deactivated against the budget, which the app's own deactivation (`activation.rs`) uses too.

use super::{Device, DevicePage, ResetOutcome, PAGE_SIZE};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::error::{AppError, ConflictReason, Result, Thing};
use crate::licenses::{self, LicenseRole};
use crate::now_millis;
use crate::store::devices::{self as rows, Deactivate, DeactivationReason, DeviceKey};
use crate::store::{Store, Tx};

/// The active devices of a license the caller can see: a manager all of them, a user their own.
pub async fn list(store: &Store, actor: &Actor, license_id: &str) -> Result<Vec<Device>> {
    let who = &actor.principal;
    let mut conn = store.conn().await?;
    let role = access::license(&mut conn, who, license_id).await?.role;
    // A manager sees every device of the license, a user their own.
    let own = (role != LicenseRole::Manager).then_some(who.account_id.as_str());
    Ok(rows::active(&mut conn, license_id, own).await?)
}

/// One page of [`list`], narrowed to the devices whose name or hardware id contains `search`
/// (case-insensitive; `%` and `_` are plain characters). A page past the last is empty.
pub async fn page(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    search: &str,
    page: u32,
) -> Result<DevicePage> {
    let who = &actor.principal;
    let page = page.max(1);
    let mut conn = store.conn().await?;
    let role = access::license(&mut conn, who, license_id).await?.role;
    let own = (role != LicenseRole::Manager).then_some(who.account_id.as_str());
    let pattern = contains(search);
    let size = i64::from(PAGE_SIZE);
    let (mut devices, total) = rows::active_page(
        &mut conn,
        (license_id, own),
        &pattern,
        size + 1,
        (i64::from(page) - 1) * size,
    )
    .await?;
    let has_more = devices.len() > PAGE_SIZE as usize;
    devices.truncate(PAGE_SIZE as usize);
    Ok(DevicePage {
        devices,
        page,
        has_more,
        total,
    })
}

/// A `LIKE` pattern (escaped with `\`) for text containing `search`, lower-cased; `%%` for every
/// text when the search is blank. Hardware ids often hold `_`, so wildcards match themselves.
fn contains(search: &str) -> String {
    let mut pattern = String::from("%");
    for c in search.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Resets (deactivates) one device, using one deactivation of the license's budget.
///
/// Refused with `DeactivationLimitReached` when the budget is spent: only the vendor restores it.
/// A license user may reset only a device they activated; a manager any device of the license.
pub async fn reset(store: &Store, actor: &Actor, device_id: &str) -> Result<ResetOutcome> {
    let who = &actor.principal;
    // Find the license first (tenant-scoped), so the lock below is on the right row; the guard
    // decides inside it.
    let license_id = {
        let mut conn = store.conn().await?;
        access::device_license(&mut conn, who, device_id).await?
    };
    let mut tx = store.begin_locked(&license_id).await?;
    let grant = access::device(&mut tx, who, device_id).await?;
    let device = rows::with_license(&mut tx, DeviceKey::Id(device_id))
        .await?
        .ok_or_else(|| AppError::not_found(Thing::Device))?;
    let name = device.device_name;
    if device.deactivated_at.is_some() {
        return Err(AppError::conflict(ConflictReason::DeviceAlreadyReset {
            name,
        }));
    }
    let left = spend_deactivation(
        &mut tx,
        Deactivation {
            tenant_id: &grant.license.tenant_id,
            license_id: &license_id,
            device_id,
            device_name: &name,
            actor_id: Some(&who.account_id),
            reason: DeactivationReason::Reset,
            action: AuditAction::DeviceReset,
            ip: &actor.ip,
            allowed: device.license.max_deactivations,
            used: device.license.deactivations_used,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ResetOutcome {
        license_id,
        device_name: name,
        deactivations_left: left,
    })
}

/// Vendor staff (support, or the vendor's systems through the management API) end a device's
/// activation: unlike a customer's reset, no deactivation of the license's budget is used, so it
/// works when the budget is spent. A device of another tenant, or one no longer active, is
/// `NotFound`. Returns the device's name.
pub async fn remove_by_vendor(store: &Store, actor: &Actor, device_id: &str) -> Result<String> {
    let who = &actor.principal;
    let vendor = access::vendor_admin(who)?;
    let license_id = {
        let mut conn = store.conn().await?;
        access::device_license(&mut conn, who, device_id).await?
    };
    let mut tx = store.begin_locked(&license_id).await?;
    let device = rows::with_license(&mut tx, DeviceKey::Id(device_id))
        .await?
        .filter(|device| device.deactivated_at.is_none())
        .ok_or_else(|| AppError::not_found(Thing::Device))?;
    rows::deactivate(
        &mut tx,
        Deactivate::One(device_id),
        Some(&who.account_id),
        DeactivationReason::Vendor,
        now_millis(),
    )
    .await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &vendor.tenant_id,
            license_id: Some(&license_id),
            actor_id: Some(&who.account_id),
            action: AuditAction::DeviceRemovedByVendor,
            subject: AuditSubject::Device {
                name: device.device_name.clone(),
            },
            ip: Some(&actor.ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(device.device_name)
}

/// One device deactivation that counts against the license's budget.
pub(super) struct Deactivation<'a> {
    pub(super) tenant_id: &'a str,
    pub(super) license_id: &'a str,
    pub(super) device_id: &'a str,
    pub(super) device_name: &'a str,
    pub(super) actor_id: Option<&'a str>,
    pub(super) reason: DeactivationReason,
    pub(super) action: AuditAction,
    pub(super) ip: &'a str,
    /// The license's budget as read inside the locked transaction.
    pub(super) allowed: i64,
    pub(super) used: i64,
}

/// The one way a single device is deactivated against the budget (a portal reset or the app's own
/// deactivation): refused when the budget is spent, else the device is marked, the deactivation
/// counted and audited, inside the caller's locked transaction. Returns the deactivations left.
pub(super) async fn spend_deactivation(tx: &mut Tx, d: Deactivation<'_>) -> Result<i64> {
    let left = licenses::spend_deactivation_budget(tx, d.license_id, d.allowed, d.used).await?;
    rows::deactivate(
        tx,
        Deactivate::One(d.device_id),
        d.actor_id,
        d.reason,
        now_millis(),
    )
    .await?;
    audit::record(
        tx,
        Event {
            tenant_id: d.tenant_id,
            license_id: Some(d.license_id),
            actor_id: d.actor_id,
            action: d.action,
            subject: AuditSubject::Device {
                name: d.device_name.to_owned(),
            },
            ip: Some(d.ip),
        },
    )
    .await?;
    if left == 0 {
        crate::webhooks::budget_spent(tx, d.tenant_id, d.license_id, d.allowed).await?;
    }
    Ok(left)
}
