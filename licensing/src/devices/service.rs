//! Device activation and reset, with the activation limit and the deactivation budget.

use sqlx::Row;

use super::{Device, ResetOutcome};
use crate::audit::{self, Event};
use crate::auth::Principal;
use crate::error::{AppError, Result};
use crate::licenses::{access, LicenseRole};
use crate::now_millis;
use crate::store::{new_id, Store};

/// The active devices of a license the caller can see: a manager all of them, a user their own.
pub async fn list(store: &Store, who: &Principal, license_id: &str) -> Result<Vec<Device>> {
    let mut conn = store.pool().acquire().await?;
    let role = access(&mut conn, who, license_id).await?;
    let rows = sqlx::query(
        "SELECT d.id, d.name, d.os, d.first_activated_at, d.last_seen_at, d.account_id, \
                a.name AS activated_by \
         FROM devices d LEFT JOIN accounts a ON a.id = d.account_id \
         WHERE d.license_id = $1 AND d.deactivated_at IS NULL \
           AND ($2 = 'manager' OR d.account_id = $3) \
         ORDER BY d.first_activated_at, d.name, d.id",
    )
    .bind(license_id)
    .bind(role.as_str())
    .bind(&who.account_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Device {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                os: row.try_get("os")?,
                first_activated_at: row.try_get("first_activated_at")?,
                last_seen_at: row.try_get("last_seen_at")?,
                activated_by: row.try_get("activated_by")?,
                can_reset: true,
            })
        })
        .collect()
}

/// Resets (deactivates) one device, using one deactivation of the license's budget.
///
/// Refused with `DeactivationLimitReached` when the budget is spent: only the vendor restores it.
/// A license user may reset only a device they activated; a manager any device of the license.
pub async fn reset(
    store: &Store,
    who: &Principal,
    device_id: &str,
    ip: &str,
) -> Result<ResetOutcome> {
    // Find the license first (tenant-scoped), so the lock below is on the right row.
    let license_id: String = sqlx::query_scalar(
        "SELECT d.license_id FROM devices d JOIN licenses l ON l.id = d.license_id \
         WHERE d.id = $1 AND l.tenant_id = $2",
    )
    .bind(device_id)
    .bind(&who.tenant_id)
    .fetch_optional(store.pool())
    .await?
    .ok_or_else(|| AppError::not_found("device"))?;

    let mut tx = store.begin_locked(&license_id).await?;
    let role = access(&mut tx, who, &license_id)
        .await
        .map_err(|_| AppError::not_found("device"))?;
    let row = sqlx::query(
        "SELECT d.name, d.account_id, d.deactivated_at, l.tenant_id, l.max_deactivations, \
                l.deactivations_used \
         FROM devices d JOIN licenses l ON l.id = d.license_id WHERE d.id = $1",
    )
    .bind(device_id)
    .fetch_one(&mut *tx)
    .await?;
    let name: String = row.try_get("name")?;
    let owner: Option<String> = row.try_get("account_id")?;
    let deactivated_at: Option<i64> = row.try_get("deactivated_at")?;
    let tenant_id: String = row.try_get("tenant_id")?;
    let allowed: i64 = row.try_get("max_deactivations")?;
    let used: i64 = row.try_get("deactivations_used")?;

    if role == LicenseRole::User && owner.as_deref() != Some(who.account_id.as_str()) {
        return Err(AppError::Forbidden);
    }
    if deactivated_at.is_some() {
        return Err(AppError::Conflict {
            message: format!("The device \"{name}\" was already reset."),
        });
    }
    if used >= allowed {
        return Err(AppError::DeactivationLimitReached { allowed });
    }
    let now = now_millis();
    sqlx::query("UPDATE devices SET deactivated_at = $1, deactivated_by = $2 WHERE id = $3")
        .bind(now)
        .bind(&who.account_id)
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE licenses SET deactivations_used = deactivations_used + 1 WHERE id = $1")
        .bind(&license_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &tenant_id,
            license_id: Some(&license_id),
            actor_id: Some(&who.account_id),
            action: "device.reset",
            subject: &name,
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ResetOutcome {
        license_id,
        device_name: name,
        deactivations_left: allowed - used - 1,
    })
}

/// A device the desktop app asks to activate.
#[derive(Debug, Clone)]
pub struct NewActivation<'a> {
    pub license_id: &'a str,
    /// Who activated it; `None` for a license-key activation.
    pub account_id: Option<&'a str>,
    pub hardware_id: &'a str,
    pub name: &'a str,
    pub os: &'a str,
}

/// The activation the app gets back; `created` is false when the hardware was already active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activation {
    pub device_id: String,
    pub created: bool,
}

/// Activates a device: idempotent for a hardware id already active on the license, refused with
/// `TooManyDevices` when every slot is taken.
pub async fn activate(store: &Store, new: &NewActivation<'_>, ip: &str) -> Result<Activation> {
    if new.hardware_id.trim().is_empty() {
        return Err(AppError::invalid("hardware_id", "is required."));
    }
    let mut tx = store.begin_locked(new.license_id).await?;
    let row = sqlx::query(
        "SELECT l.tenant_id, l.status, l.valid_from, l.valid_until, l.max_activations, \
            (SELECT COUNT(*) FROM devices d WHERE d.license_id = l.id AND d.deactivated_at IS NULL) AS active, \
            (SELECT d.id FROM devices d WHERE d.license_id = l.id AND d.hardware_id = $2 \
               AND d.deactivated_at IS NULL) AS existing \
         FROM licenses l WHERE l.id = $1",
    )
    .bind(new.license_id)
    // Trimmed as it is stored, or a padded id misses its device and hits the unique index.
    .bind(new.hardware_id.trim())
    .fetch_one(&mut *tx)
    .await?;
    let now = now_millis();
    let tenant_id: String = row.try_get("tenant_id")?;
    let status: String = row.try_get("status")?;
    let valid_from: i64 = row.try_get("valid_from")?;
    let valid_until: i64 = row.try_get("valid_until")?;
    if status != "active" || now < valid_from || now >= valid_until {
        return Err(AppError::Forbidden);
    }
    if let Some(device_id) = row.try_get::<Option<String>, _>("existing")? {
        sqlx::query("UPDATE devices SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&device_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(Activation {
            device_id,
            created: false,
        });
    }
    let allowed: i64 = row.try_get("max_activations")?;
    if row.try_get::<i64, _>("active")? >= allowed {
        return Err(AppError::TooManyDevices { allowed });
    }
    let device_id = new_id();
    sqlx::query(
        "INSERT INTO devices (id, license_id, account_id, hardware_id, name, os, \
            first_activated_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&device_id)
    .bind(new.license_id)
    .bind(new.account_id)
    .bind(new.hardware_id.trim())
    .bind(new.name.trim())
    .bind(new.os.trim())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &tenant_id,
            license_id: Some(new.license_id),
            actor_id: new.account_id,
            action: "device.activated",
            subject: new.name,
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Activation {
        device_id,
        created: true,
    })
}
