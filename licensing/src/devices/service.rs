//! Device activation and reset, with the activation limit and the deactivation budget; and the
//! desktop app's side of it: activation by login or license key, check-in, self-deactivation.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Device, ResetOutcome};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::throttle::{self, ThrottlePolicy};
use crate::auth::{authenticate, Credentials};
use crate::error::{AppError, ConflictReason, Field, InvalidReason, Result};
use crate::licenses::{self, LicenseStatus, LicenseType};
use crate::store::{new_id, Store, Tx};
use crate::{now_millis, secret, Millis};

/// The active devices of a license the caller can see: a manager all of them, a user their own.
pub async fn list(store: &Store, actor: &Actor, license_id: &str) -> Result<Vec<Device>> {
    let who = &actor.principal;
    let mut conn = store.pool().acquire().await?;
    let role = access::license(&mut conn, who, license_id).await?.role;
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
            })
        })
        .collect()
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
        let mut conn = store.pool().acquire().await?;
        access::device_license(&mut conn, who, device_id).await?
    };
    let mut tx = store.begin_locked(&license_id).await?;
    let grant = access::device(&mut tx, who, device_id).await?;
    let row = sqlx::query(
        "SELECT d.name, d.deactivated_at, l.max_deactivations, l.deactivations_used \
         FROM devices d JOIN licenses l ON l.id = d.license_id WHERE d.id = $1",
    )
    .bind(device_id)
    .fetch_one(&mut *tx)
    .await?;
    let name: String = row.try_get("name")?;
    let deactivated_at: Option<i64> = row.try_get("deactivated_at")?;
    let allowed: i64 = row.try_get("max_deactivations")?;
    let used: i64 = row.try_get("deactivations_used")?;

    if deactivated_at.is_some() {
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
            reason: "reset",
            action: AuditAction::DeviceReset,
            ip: &actor.ip,
            allowed,
            used,
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

/// A device the desktop app asks to activate.
#[derive(Debug, Clone)]
pub struct NewActivation<'a> {
    pub license_id: &'a str,
    /// Who activated it; `None` for a license-key activation.
    pub account_id: Option<&'a str>,
    pub device: DeviceInfo<'a>,
}

/// The activation the app gets back; `created` is false when the hardware was already active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activation {
    pub device_id: String,
    pub created: bool,
}

/// Activates a device: idempotent for a hardware id already active on the license, refused with
/// `TooManyDevices` when every slot is taken (and `LicenseInactive` when the license is expired
/// or suspended).
pub async fn activate(store: &Store, new: &NewActivation<'_>, ip: &str) -> Result<Activation> {
    if new.device.hardware_id.trim().is_empty() {
        return Err(AppError::invalid(
            Field::HardwareId,
            InvalidReason::Required,
        ));
    }
    activate_locked(store, new, Channel::Direct, ip)
        .await
        .map(|(activation, _)| activation)
}

// ---------------------------------------------------------------------------------------------
// The desktop app's device API: activation by login or license key, check-in, deactivation.
// ---------------------------------------------------------------------------------------------

/// How the desktop app proves it may use a license.
#[derive(Clone)]
pub enum ActivationAuth {
    /// The same company ID, email and password as the portal login.
    Credentials(Credentials),
    /// A license key issued by the vendor (`licenses::issue_key`).
    LicenseKey(String),
}

impl std::fmt::Debug for ActivationAuth {
    /// Secrets stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Credentials(c) => f
                .debug_struct("Credentials")
                .field("company", &c.company)
                .field("email", &c.email)
                .finish_non_exhaustive(),
            Self::LicenseKey(_) => f.write_str("LicenseKey(..)"),
        }
    }
}

/// The license an activation is for, and the account that asked (`None` for a license key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationTarget {
    pub tenant_id: String,
    pub license_id: String,
    pub account_id: Option<String>,
}

/// The machine the app runs on, as it describes itself.
#[derive(Debug, Clone, Copy)]
pub struct DeviceInfo<'a> {
    /// Stable id of the machine, computed by the app; one active slot per license.
    pub hardware_id: &'a str,
    pub name: &'a str,
    pub os: &'a str,
}

/// The license as the app sees it: enough to decide whether to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseSummary {
    pub id: String,
    pub product: String,
    pub license_type: LicenseType,
    /// Computed now: `Expired` past the validity period, whatever is stored.
    pub status: LicenseStatus,
    pub valid_until: Millis,
    pub max_activations: i64,
    pub devices_active: i64,
}

/// One device's current standing, as the check-in returns it (and the activation, with a token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceStatus {
    /// The tenant whose key signs the answer.
    pub tenant_id: String,
    pub device_id: String,
    pub hardware_id: String,
    pub device_name: String,
    pub license: LicenseSummary,
}

/// A successful activation through the device API.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceActivation {
    /// False when the hardware was already active on the license (no new slot was taken).
    pub created: bool,
    /// The bearer secret for check-in and deactivation. Shown once, stored only hashed; every
    /// activation issues a new one and the device's previous token stops working.
    pub token: String,
    pub status: DeviceStatus,
}

impl std::fmt::Debug for DeviceActivation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceActivation")
            .field("created", &self.created)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// What the app's own deactivation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDeactivation {
    pub tenant_id: String,
    pub license_id: String,
    pub device_id: String,
    pub deactivations_left: i64,
}

/// Longest accepted hardware id, device name and OS description, in characters.
pub const MAX_HARDWARE_ID: usize = 256;
pub const MAX_DEVICE_NAME: usize = 200;
pub const MAX_OS: usize = 200;

/// Which license an activation is for.
///
/// By login: the licenses the account is assigned to (as the portal lists them), the first
/// active one; `NoLicense` when none is assigned, `LicenseInactive` when none is active. Any
/// wrong part of the login is the same `InvalidCredentials`.
/// By license key: the license holding that key; an unknown key is `InvalidCredentials` too.
///
/// Both ways are throttled per client address (and a login per account too, see
/// `auth::authenticate`): past the limit the answer is `TooManyAttempts`, before any check.
pub async fn activation_target(
    store: &Store,
    auth: &ActivationAuth,
    ip: &str,
    throttle: &ThrottlePolicy,
) -> Result<ActivationTarget> {
    match auth {
        ActivationAuth::Credentials(creds) => {
            for (field, value) in [
                (Field::ApiCompany, &creds.company),
                (Field::ApiEmail, &creds.email),
                (Field::ApiPassword, &creds.password),
            ] {
                if value.trim().is_empty() {
                    return Err(AppError::invalid(field, InvalidReason::Required));
                }
            }
            let who = authenticate(store, creds, ip, throttle).await?;
            let assigned = licenses::list(store, &who).await?;
            if assigned.is_empty() {
                return Err(AppError::NoLicense);
            }
            let license = assigned
                .into_iter()
                .find(|l| l.status == LicenseStatus::Active)
                .ok_or(AppError::LicenseInactive)?;
            Ok(ActivationTarget {
                tenant_id: who.tenant_id,
                license_id: license.id,
                account_id: Some(who.account_id),
            })
        }
        ActivationAuth::LicenseKey(key) => {
            if key.trim().is_empty() {
                return Err(AppError::invalid(
                    Field::LicenseKey,
                    InvalidReason::Required,
                ));
            }
            let attempt = throttle::admit(store, throttle, None, ip).await?;
            let found = match licenses::license_for_key(store, key).await {
                Ok(found) => found,
                Err(err) => {
                    attempt.withdraw(store).await?;
                    return Err(err);
                }
            };
            let Some((license_id, tenant_id)) = found else {
                attempt.failed(store).await?;
                tracing::warn!(address = %ip, "activation with an unknown license key");
                return Err(AppError::InvalidCredentials);
            };
            attempt.succeeded(store).await?;
            Ok(ActivationTarget {
                tenant_id,
                license_id,
                account_id: None,
            })
        }
    }
}

/// Activates the app's machine on the target license and issues it a device token.
///
/// A new machine takes a slot (refused with `TooManyDevices` when none is free; the refusal is
/// logged as `device.limit_refused` while the license stays unchanged). A machine already active
/// on the license takes no new slot: it gets a fresh token and its old one stops working.
pub async fn activate_device(
    store: &Store,
    target: &ActivationTarget,
    device: &DeviceInfo<'_>,
    ip: &str,
) -> Result<DeviceActivation> {
    check_device_info(device)?;
    let token = secret::random_token();
    let new = NewActivation {
        license_id: &target.license_id,
        account_id: target.account_id.as_deref(),
        device: *device,
    };
    let token_hash = secret::hash(&token);
    let (activation, status) = activate_locked(
        store,
        &new,
        Channel::App {
            token_hash: &token_hash,
        },
        ip,
    )
    .await?;
    Ok(DeviceActivation {
        created: activation.created,
        token,
        status,
    })
}

/// Activates a machine that never reaches the server, for an offline license file: it takes a
/// slot exactly like [`activate_device`] (idempotent for a hardware id already active,
/// `TooManyDevices` when full, `LicenseInactive` when expired or suspended) but gets no device
/// token, since it never checks in. Audited as `device.activated_offline`, or as
/// `device.reactivated_offline` when a new file is made for a machine already active.
pub async fn activate_offline(
    store: &Store,
    target: &ActivationTarget,
    device: &DeviceInfo<'_>,
    ip: &str,
) -> Result<(Activation, DeviceStatus)> {
    check_device_info(device)?;
    let new = NewActivation {
        license_id: &target.license_id,
        account_id: target.account_id.as_deref(),
        device: *device,
    };
    activate_locked(store, &new, Channel::OfflineFile, ip).await
}

/// The app's description of its machine: every part given, none longer than its limit.
fn check_device_info(device: &DeviceInfo<'_>) -> Result<()> {
    for (field, value, max) in [
        (Field::HardwareId, device.hardware_id, MAX_HARDWARE_ID),
        (Field::DeviceName, device.name, MAX_DEVICE_NAME),
        (Field::Os, device.os, MAX_OS),
    ] {
        if value.trim().is_empty() {
            return Err(AppError::invalid(field, InvalidReason::Required));
        }
        if value.trim().chars().count() > max {
            return Err(AppError::invalid(
                field.clone(),
                InvalidReason::TooLong { max: max as i64 },
            ));
        }
    }
    Ok(())
}

/// How an activation arrives, which decides the device's token and the audit events it writes.
#[derive(Debug, Clone, Copy)]
enum Channel<'a> {
    /// The seed and the portal's tests: no token; a re-activation only touches `last_seen_at`.
    Direct,
    /// The device API: the device's token is replaced and a re-activation is audited too.
    App { token_hash: &'a str },
    /// An offline license file made in the portal: no token (the machine never checks in); a
    /// new file for a machine already active is audited too.
    OfflineFile,
}

impl<'a> Channel<'a> {
    fn token_hash(self) -> Option<&'a str> {
        match self {
            Self::App { token_hash } => Some(token_hash),
            Self::Direct | Self::OfflineFile => None,
        }
    }

    /// The audit action of a new device, and of a re-activation (`None`: not audited).
    fn actions(self) -> (AuditAction, Option<AuditAction>) {
        match self {
            Self::Direct => (AuditAction::DeviceActivated, None),
            Self::App { .. } => (
                AuditAction::DeviceActivated,
                Some(AuditAction::DeviceReactivated),
            ),
            Self::OfflineFile => (
                AuditAction::DeviceActivatedOffline,
                Some(AuditAction::DeviceReactivatedOffline),
            ),
        }
    }
}

/// The one activation transaction, under the license's write lock; `channel` says whether the
/// device gets a token and what is audited.
async fn activate_locked(
    store: &Store,
    new: &NewActivation<'_>,
    channel: Channel<'_>,
    ip: &str,
) -> Result<(Activation, DeviceStatus)> {
    let token_hash = channel.token_hash();
    let (activated_action, reactivated_action) = channel.actions();
    // Trimmed as it is stored, or a padded id misses its device and hits the unique index.
    let hardware_id = new.device.hardware_id.trim();
    let name = new.device.name.trim();
    let mut tx = store.begin_locked(new.license_id).await?;
    let row = sqlx::query(
        "SELECT l.tenant_id, l.product, l.license_type, l.status, l.valid_from, l.valid_until, \
            l.max_activations, \
            (SELECT COUNT(*) FROM devices d WHERE d.license_id = l.id AND d.deactivated_at IS NULL) AS active, \
            (SELECT d.id FROM devices d WHERE d.license_id = l.id AND d.hardware_id = $2 \
               AND d.deactivated_at IS NULL) AS existing, \
            (SELECT d.name FROM devices d WHERE d.license_id = l.id AND d.hardware_id = $2 \
               AND d.deactivated_at IS NULL) AS existing_name \
         FROM licenses l WHERE l.id = $1",
    )
    .bind(new.license_id)
    .bind(hardware_id)
    .fetch_one(&mut *tx)
    .await?;
    let now = now_millis();
    let tenant_id: String = row.try_get("tenant_id")?;
    let allowed: i64 = row.try_get("max_activations")?;
    let active: i64 = row.try_get("active")?;
    let mut license = summary_from_row(&row, new.license_id, active, now)?;
    if license.status != LicenseStatus::Active {
        return Err(AppError::LicenseInactive);
    }
    if let Some(device_id) = row.try_get::<Option<String>, _>("existing")? {
        let device_name: String = row.try_get("existing_name")?;
        sqlx::query(
            "UPDATE devices SET last_seen_at = $1, token_hash = COALESCE($2, token_hash) \
             WHERE id = $3",
        )
        .bind(now)
        .bind(token_hash)
        .bind(&device_id)
        .execute(&mut *tx)
        .await?;
        if let Some(action) = reactivated_action {
            // A new token or license file for the machine: a change worth a line in the log.
            audit::record(
                &mut tx,
                Event {
                    tenant_id: &tenant_id,
                    license_id: Some(new.license_id),
                    actor_id: new.account_id,
                    action,
                    subject: AuditSubject::Device {
                        name: device_name.clone(),
                    },
                    ip: Some(ip),
                },
            )
            .await?;
        }
        tx.commit().await?;
        let status = DeviceStatus {
            tenant_id,
            device_id: device_id.clone(),
            hardware_id: hardware_id.to_owned(),
            device_name,
            license,
        };
        return Ok((
            Activation {
                device_id,
                created: false,
            },
            status,
        ));
    }
    if active >= allowed {
        // Nothing of the refused activation is kept; the refusal itself is logged on its own.
        tx.rollback().await?;
        record_limit_refused(store, &tenant_id, new, ip).await;
        return Err(AppError::TooManyDevices { allowed });
    }
    let device_id = new_id();
    sqlx::query(
        "INSERT INTO devices (id, license_id, account_id, hardware_id, name, os, \
            first_activated_at, last_seen_at, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
    )
    .bind(&device_id)
    .bind(new.license_id)
    .bind(new.account_id)
    .bind(hardware_id)
    .bind(name)
    .bind(new.device.os.trim())
    .bind(now)
    .bind(token_hash)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &tenant_id,
            license_id: Some(new.license_id),
            actor_id: new.account_id,
            action: activated_action,
            subject: AuditSubject::Device {
                name: name.to_owned(),
            },
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    license.devices_active = active + 1;
    let status = DeviceStatus {
        tenant_id,
        device_id: device_id.clone(),
        hardware_id: hardware_id.to_owned(),
        device_name: name.to_owned(),
        license,
    };
    Ok((
        Activation {
            device_id,
            created: true,
        },
        status,
    ))
}

/// Logs an activation refused for `too_many_devices`, in a transaction of its own after the
/// refused one rolled back. Best effort: failing to log must not turn the refusal into a 500.
async fn record_limit_refused(store: &Store, tenant_id: &str, new: &NewActivation<'_>, ip: &str) {
    let result = async {
        let mut tx = store.begin().await?;
        audit::record(
            &mut tx,
            Event {
                tenant_id,
                license_id: Some(new.license_id),
                actor_id: new.account_id,
                action: AuditAction::DeviceLimitRefused,
                subject: AuditSubject::Device {
                    name: new.device.name.trim().to_owned(),
                },
                ip: Some(ip),
            },
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    if let Err(err) = result {
        tracing::error!(error = %err, license = new.license_id, "could not log a refused activation");
    }
}

/// The app's check-in: the device's current standing, and `last_seen_at` set to now.
///
/// An unknown token is `Unauthenticated`; a token of a device that was reset in the portal or
/// deactivated in any other way is `DeviceDeactivated`. An expired or suspended license is not
/// an error here: its status is in the answer, for the app to act on.
pub async fn check_in(store: &Store, token: &str) -> Result<DeviceStatus> {
    if token.is_empty() {
        return Err(AppError::Unauthenticated);
    }
    let hash = secret::hash(token);
    let row = sqlx::query(
        "SELECT d.id AS device_id, d.hardware_id, d.name AS device_name, d.deactivated_at, \
            l.id AS license_id, l.tenant_id, l.product, l.license_type, l.status, l.valid_from, \
            l.valid_until, l.max_activations, \
            (SELECT COUNT(*) FROM devices x WHERE x.license_id = l.id AND x.deactivated_at IS NULL) AS active \
         FROM devices d JOIN licenses l ON l.id = d.license_id WHERE d.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(store.pool())
    .await?
    .ok_or(AppError::Unauthenticated)?;
    if row.try_get::<Option<i64>, _>("deactivated_at")?.is_some() {
        return Err(AppError::DeviceDeactivated);
    }
    let now = now_millis();
    let device_id: String = row.try_get("device_id")?;
    let license_id: String = row.try_get("license_id")?;
    // Only while still active: a reset committed in between wins.
    sqlx::query("UPDATE devices SET last_seen_at = $1 WHERE id = $2 AND deactivated_at IS NULL")
        .bind(now)
        .bind(&device_id)
        .execute(store.pool())
        .await?;
    Ok(DeviceStatus {
        tenant_id: row.try_get("tenant_id")?,
        device_id,
        hardware_id: row.try_get("hardware_id")?,
        device_name: row.try_get("device_name")?,
        license: summary_from_row(&row, &license_id, row.try_get("active")?, now)?,
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
    let license_id: String =
        sqlx::query_scalar("SELECT license_id FROM devices WHERE token_hash = $1")
            .bind(&hash)
            .fetch_optional(store.pool())
            .await?
            .ok_or(AppError::Unauthenticated)?;
    let mut tx = store.begin_locked(&license_id).await?;
    let row = sqlx::query(
        "SELECT d.id, d.name, d.account_id, d.deactivated_at, l.tenant_id, l.max_deactivations, \
                l.deactivations_used \
         FROM devices d JOIN licenses l ON l.id = d.license_id WHERE d.token_hash = $1",
    )
    .bind(&hash)
    .fetch_one(&mut *tx)
    .await?;
    let device_id: String = row.try_get("id")?;
    let name: String = row.try_get("name")?;
    // The app acts for the account that activated it (none for a license-key activation).
    let owner: Option<String> = row.try_get("account_id")?;
    let tenant_id: String = row.try_get("tenant_id")?;
    let allowed: i64 = row.try_get("max_deactivations")?;
    let used: i64 = row.try_get("deactivations_used")?;
    if row.try_get::<Option<i64>, _>("deactivated_at")?.is_some() {
        return Err(AppError::DeviceDeactivated);
    }
    let left = spend_deactivation(
        &mut tx,
        Deactivation {
            tenant_id: &tenant_id,
            license_id: &license_id,
            device_id: &device_id,
            device_name: &name,
            actor_id: owner.as_deref(),
            reason: "app",
            action: AuditAction::DeviceDeactivatedByApp,
            ip,
            allowed,
            used,
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

/// One device deactivation that counts against the license's budget.
struct Deactivation<'a> {
    tenant_id: &'a str,
    license_id: &'a str,
    device_id: &'a str,
    device_name: &'a str,
    actor_id: Option<&'a str>,
    /// Stored in `devices.deactivated_reason`.
    reason: &'a str,
    action: AuditAction,
    ip: &'a str,
    /// The license's budget as read inside the locked transaction.
    allowed: i64,
    used: i64,
}

/// The one way a single device is deactivated against the budget (a portal reset or the app's own
/// deactivation): refused when the budget is spent, else the device is marked, the deactivation
/// counted and audited, inside the caller's locked transaction. Returns the deactivations left.
async fn spend_deactivation(tx: &mut Tx, d: Deactivation<'_>) -> Result<i64> {
    let left = licenses::spend_deactivation_budget(tx, d.license_id, d.allowed, d.used).await?;
    sqlx::query(
        "UPDATE devices SET deactivated_at = $1, deactivated_by = $2, deactivated_reason = $3 \
         WHERE id = $4",
    )
    .bind(now_millis())
    .bind(d.actor_id)
    .bind(d.reason)
    .bind(d.device_id)
    .execute(&mut **tx)
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
    Ok(left)
}

/// The license part of an activation or check-in answer, from a row with the license columns.
fn summary_from_row(
    row: &AnyRow,
    license_id: &str,
    active: i64,
    now: Millis,
) -> Result<LicenseSummary> {
    let license_type: String = row.try_get("license_type")?;
    let stored: String = row.try_get("status")?;
    let valid_from: Millis = row.try_get("valid_from")?;
    let valid_until: Millis = row.try_get("valid_until")?;
    let status = LicenseStatus::effective(&stored, valid_from, valid_until, now);
    Ok(LicenseSummary {
        id: license_id.to_owned(),
        product: row.try_get("product")?,
        license_type: LicenseType::parse(&license_type).ok_or(AppError::Internal)?,
        status,
        valid_until,
        max_activations: row.try_get("max_activations")?,
        devices_active: active,
    })
}
