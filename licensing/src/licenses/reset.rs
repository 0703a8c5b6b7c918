//! The manager's *Reset license*, and the deactivation budget it shares with every other kind of
//! deactivation.

use super::service::license_row;
use super::{LicenseResetOutcome, LicenseRole};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::error::{AppError, ConflictReason, Result};
use crate::now_millis;
use crate::store::devices::{self as device_rows, Deactivate, DeactivationReason};
use crate::store::licenses as rows;
use crate::store::seats::{self, Seats};
use crate::store::sessions::{self, Sessions};
use crate::store::{Store, Tx};

/// *Reset license*: deactivates every device and removes every license user (managers keep their
/// seats), in one transaction. A manager's tool for starting over; it uses one deactivation from
/// the budget, like a device reset, and is refused the same way when none is left.
pub async fn reset_license(
    store: &Store,
    actor: &Actor,
    license_id: &str,
) -> Result<LicenseResetOutcome> {
    let who = &actor.principal;
    let mut tx = store.begin_locked(license_id).await?;
    let grant = access::manager(&mut tx, who, license_id).await?;
    let row = license_row(&mut tx, license_id).await?;
    let (allowed, used, devices) = (
        row.max_deactivations,
        row.deactivations_used,
        row.devices_active,
    );
    let manager = LicenseRole::Manager.as_str();
    let users = seats::count(&mut tx, Seats::NotInRole(license_id, manager)).await?;
    if devices == 0 && users == 0 {
        // Spending a deactivation on nothing would only hurt the customer.
        return Err(AppError::conflict(ConflictReason::NothingToReset));
    }
    let left = spend_deactivation_budget(&mut tx, license_id, allowed, used).await?;
    let now = now_millis();
    device_rows::deactivate(
        &mut tx,
        Deactivate::OfLicense(license_id),
        Some(&who.account_id),
        DeactivationReason::LicenseReset,
        now,
    )
    .await?;
    // The unassigned license users' sessions end with their seats.
    sessions::end(&mut tx, Sessions::UsersOf(license_id)).await?;
    seats::remove(&mut tx, Seats::NotInRole(license_id, manager)).await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &grant.tenant_id,
            license_id: Some(license_id),
            actor_id: Some(&who.account_id),
            action: AuditAction::LicenseReset,
            subject: AuditSubject::LicenseReset { devices, users },
            ip: Some(&actor.ip),
        },
    )
    .await?;
    if left == 0 {
        crate::webhooks::budget_spent(&mut tx, &grant.tenant_id, license_id, allowed).await?;
    }
    tx.commit().await?;
    Ok(LicenseResetOutcome {
        license_id: license_id.to_owned(),
        devices_reset: devices,
        users_removed: users,
        deactivations_left: left,
    })
}

/// The deactivation budget, in one place for every kind of deactivation (a device reset, the
/// app's own deactivation, *Reset license*): refused when spent, else one more is counted. Runs in
/// the caller's locked transaction with the budget it read there; returns how many are left.
pub(crate) async fn spend_deactivation_budget(
    tx: &mut Tx,
    license_id: &str,
    allowed: i64,
    used: i64,
) -> Result<i64> {
    if used >= allowed {
        return Err(AppError::DeactivationLimitReached { allowed });
    }
    rows::count_deactivation(tx, license_id).await?;
    Ok(allowed - used - 1)
}
