//! The running app's own calls on its device: the check-in, which tells it whether to keep
//! running, and its deactivation, which spends one of the license's deactivations.

use crate::audit::AuditAction;
use crate::error::{AppError, Result, Thing};
use crate::store::devices::{self as rows, DeactivationReason, DeviceKey};
use crate::store::{Store, Tx};
use crate::{now_millis, secret, Millis};

use super::activation::{summary_from_row, AppDeactivation, DeviceStatus};
use super::service::{spend_deactivation, Deactivation};

/// The app's check-in: the device's current standing, as the database has it when the check-in
/// arrives (a busy server answers from memory it has checked against the database's log of
/// changes, see [`Store::device_by`]); `last_seen_at` becomes now within a second (see
/// [`Store::note_seen`]).
///
/// An unknown token is `Unauthenticated`; a token of a device that was reset in the portal or
/// deactivated in any other way is `DeviceDeactivated`. An expired or suspended license is not
/// an error here: its status is in the answer, for the app to act on.
pub async fn check_in(store: &Store, token: &str) -> Result<DeviceStatus> {
    if token.is_empty() {
        return Err(AppError::Unauthenticated);
    }
    let hash = secret::hash(token);
    let key = DeviceKey::TokenHash(&hash);
    let device = store
        .device_by(key)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if device.deactivated_at.is_some() {
        return Err(AppError::DeviceDeactivated);
    }
    seen_now(store, &device, key)
}

/// A LicenseSpring app checks in by its hardware id on a license it already found: as
/// [`check_in`], and `NotFound(Device)` when no active device has that hardware id there.
pub async fn check_in_hardware(
    store: &Store,
    license_id: &str,
    hardware_id: &str,
) -> Result<DeviceStatus> {
    let key = DeviceKey::ActiveHardware {
        license_id,
        hardware_id,
    };
    let device = store
        .device_by(key)
        .await?
        .ok_or_else(|| AppError::not_found(Thing::Device))?;
    seen_now(store, &device, key)
}

/// How stale a device's `last_seen_at` may get before a check-in writes it again.
pub const SEEN_RESOLUTION_MS: Millis = 60_000;

/// The device's standing now; notes it seen when its time is a minute old, also in the memory of
/// the check-ins by `key`, so the next ones do not note it again.
fn seen_now(
    store: &Store,
    device: &rows::DeviceOnLicense,
    key: DeviceKey<'_>,
) -> Result<DeviceStatus> {
    let now = now_millis();
    // At most one write a minute per device, and not on the request's path: a check-in is a
    // read, and the Devices tab shows when a device was last seen to the minute. The device was
    // found as the database has it now (read, or remembered and checked against the log of
    // changes), so a reset is refused at the very next check-in, on any process.
    if now - device.device_seen_at >= SEEN_RESOLUTION_MS {
        store.note_seen(&device.device_id, now);
        store.remember_seen(key, now);
    }
    Ok(DeviceStatus {
        license: summary_from_row(&device.license, now)?,
        tenant_id: device.license.tenant_id.clone(),
        device_id: device.device_id.clone(),
        hardware_id: device.hardware_id.clone(),
        device_name: device.device_name.clone(),
    })
}

/// The app deactivates its own device. Uses one deactivation of the license's budget, exactly
/// like a reset in the portal, and is refused the same way (`DeactivationLimitReached`) when the
/// budget is spent. The token keeps identifying the device, so a later check-in answers
/// `DeviceDeactivated` rather than `Unauthenticated`.
pub async fn deactivate_by_token(store: &Store, token: &str, ip: &str) -> Result<AppDeactivation> {
    if token.is_empty() {
        return Err(AppError::Unauthenticated);
    }
    let hash = secret::hash(token);
    // Find the license first, so the lock below is on the right row.
    let license_id = {
        let mut conn = store.conn().await?;
        rows::license_of_token(&mut conn, &hash)
            .await?
            .ok_or(AppError::Unauthenticated)?
    };
    let mut tx = store.begin_locked(&license_id).await?;
    let device = rows::with_license(&mut tx, DeviceKey::TokenHash(&hash))
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if device.deactivated_at.is_some() {
        return Err(AppError::DeviceDeactivated);
    }
    deactivate_by_app(tx, device, ip).await
}

/// A LicenseSpring app deactivates its machine by hardware id on a license it already found: as
/// [`deactivate_by_token`], and `NotFound(Device)` when no active device has that hardware id.
pub async fn deactivate_hardware(
    store: &Store,
    license_id: &str,
    hardware_id: &str,
    ip: &str,
) -> Result<AppDeactivation> {
    let mut tx = store.begin_locked(license_id).await?;
    let device = rows::with_license(
        &mut tx,
        DeviceKey::ActiveHardware {
            license_id,
            hardware_id,
        },
    )
    .await?
    .ok_or_else(|| AppError::not_found(Thing::Device))?;
    deactivate_by_app(tx, device, ip).await
}

/// Spends one deactivation on an active device found in `tx`, which holds its license's lock.
async fn deactivate_by_app(
    mut tx: Tx,
    device: rows::DeviceOnLicense,
    ip: &str,
) -> Result<AppDeactivation> {
    let tenant_id = device.license.tenant_id;
    let license_id = device.license.id;
    let device_id = device.device_id;
    let left = spend_deactivation(
        &mut tx,
        Deactivation {
            tenant_id: &tenant_id,
            license_id: &license_id,
            device_id: &device_id,
            device_name: &device.device_name,
            // The app acts for the account that activated it (none for a license-key activation).
            actor_id: device.account_id.as_deref(),
            reason: DeactivationReason::App,
            action: AuditAction::DeviceDeactivatedByApp,
            ip,
            allowed: device.license.max_deactivations,
            used: device.license.deactivations_used,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(AppDeactivation {
        tenant_id,
        license_id,
        device_id,
        deactivations_left: left,
    })
}
