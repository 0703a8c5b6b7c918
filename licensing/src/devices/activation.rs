//! The desktop app's side of devices: activation (by login, license key or offline request) within
//! the license's limit; its check-in and own deactivation are in `check_in`.

use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::throttle::{self, ThrottlePolicy};
use crate::auth::{authenticate, Credentials};
use crate::error::{AppError, Field, InvalidReason, Result, Thing};
use crate::licenses::{self, LicenseStatus, LicenseType};
use crate::store::devices as rows;
use crate::store::licenses::LicenseRow;
use crate::store::{new_id, Backend, Store, Tx};
use crate::{now_millis, secret, Millis};

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
pub(super) enum Channel<'a> {
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
/// device gets a token and what is audited. On SQLite it shares its transaction with the other
/// writes queued at the lock (`store::batch`); on Postgres it locks the license's row.
async fn activate_locked(
    store: &Store,
    new: &NewActivation<'_>,
    channel: Channel<'_>,
    ip: &str,
) -> Result<(Activation, DeviceStatus)> {
    let decision = if store.backend() == Backend::Sqlite {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = super::queued::ActivationJob::new(new, channel, ip, reply);
        store.write_batched(Box::new(job), answer).await?
    } else {
        let mut tx = store.begin_locked(new.license_id).await?;
        let decision = write_activation(&mut tx, new, channel, ip).await?;
        match decision {
            Decision::Activated(..) => tx.commit().await?,
            Decision::Refused { .. } | Decision::Declined(_) => tx.rollback().await?,
        }
        decision
    };
    match decision {
        Decision::Activated(activation, status) => Ok((activation, status)),
        Decision::Refused { allowed, tenant_id } => {
            // Nothing of the refused activation is kept; the refusal itself is logged on its own.
            record_limit_refused(store, &tenant_id, new, ip).await;
            Err(AppError::TooManyDevices { allowed })
        }
        Decision::Declined(err) => Err(err),
    }
}

/// What an activation's transaction decided.
#[derive(Debug)]
pub(super) enum Decision {
    Activated(Activation, DeviceStatus),
    /// Every slot is taken: nothing was written.
    Refused {
        allowed: i64,
        tenant_id: String,
    },
    /// The license is gone, expired or suspended: the answer, decided before any write. Not an
    /// `Err`, which may follow a write and so must break the transaction (on SQLite, the
    /// transaction of every activation batched with this one).
    Declined(AppError),
}

impl Decision {
    fn activated(status: DeviceStatus, created: bool) -> Self {
        let activation = Activation {
            device_id: status.device_id.clone(),
            created,
        };
        Self::Activated(activation, status)
    }
}

/// The activation's reads and writes in a transaction that holds the license's write lock: a new
/// machine takes a slot if one is free, a known one gets a new token. An error may leave the
/// transaction half-written: it must not be committed.
pub(super) async fn write_activation(
    tx: &mut Tx,
    new: &NewActivation<'_>,
    channel: Channel<'_>,
    ip: &str,
) -> Result<Decision> {
    let token_hash = channel.token_hash();
    let (activated_action, reactivated_action) = channel.actions();
    // Trimmed as it is stored, or a padded id misses its device and hits the unique index.
    let hardware_id = new.device.hardware_id.trim();
    let name = new.device.name.trim();
    let Some(found) = rows::license_for_activation(tx, new.license_id, hardware_id).await? else {
        return Ok(Decision::Declined(AppError::not_found(Thing::License)));
    };
    let (row, existing) = found.into_parts();
    let now = now_millis();
    let allowed = row.max_activations;
    let active = row.devices_active;
    let mut license = summary_from_row(&row, now)?;
    let tenant_id = row.tenant_id;
    if license.status != LicenseStatus::Active {
        return Ok(Decision::Declined(AppError::LicenseInactive));
    }
    if let Some((device_id, device_name)) = existing {
        rows::seen(tx, &device_id, now, token_hash).await?;
        if let Some(action) = reactivated_action {
            // A new token or license file for the machine: a change worth a line in the log.
            audit::record(tx, device_event(&tenant_id, new, action, &device_name, ip)).await?;
        }
        let status = DeviceStatus {
            tenant_id,
            device_id,
            hardware_id: hardware_id.to_owned(),
            device_name,
            license,
        };
        return Ok(Decision::activated(status, false));
    }
    if active >= allowed {
        return Ok(Decision::Refused { allowed, tenant_id });
    }
    let device_id = new_id();
    rows::insert(
        tx,
        &rows::NewDeviceRow {
            id: &device_id,
            license_id: new.license_id,
            account_id: new.account_id,
            hardware_id,
            name,
            os: new.device.os.trim(),
            now,
            last_seen_at: now,
            token_hash,
        },
    )
    .await?;
    audit::record(
        tx,
        device_event(&tenant_id, new, activated_action, name, ip),
    )
    .await?;
    license.devices_active = active + 1;
    let status = DeviceStatus {
        tenant_id,
        device_id,
        hardware_id: hardware_id.to_owned(),
        device_name: name.to_owned(),
        license,
    };
    Ok(Decision::activated(status, true))
}

/// The audit event of an activation refused for the device limit.
pub(super) fn limit_refused_event<'e>(
    tenant_id: &'e str,
    new: &'e NewActivation<'_>,
    ip: &'e str,
) -> Event<'e> {
    let name = new.device.name.trim();
    device_event(tenant_id, new, AuditAction::DeviceLimitRefused, name, ip)
}

/// The audit event of an activation's device, whatever became of it.
fn device_event<'e>(
    tenant_id: &'e str,
    new: &'e NewActivation<'_>,
    action: AuditAction,
    device_name: &str,
    ip: &'e str,
) -> Event<'e> {
    Event {
        tenant_id,
        license_id: Some(new.license_id),
        actor_id: new.account_id,
        action,
        subject: AuditSubject::Device {
            name: device_name.to_owned(),
        },
        ip: Some(ip),
    }
}

/// Logs an activation refused for `too_many_devices`, after the refused one wrote nothing: on
/// SQLite in the write queue's next transaction (an app retrying at a full license would
/// otherwise take a commit of its own at the lock for each refusal), on Postgres in a
/// transaction of its own. Best effort: failing to log must not turn the refusal into a 500.
async fn record_limit_refused(store: &Store, tenant_id: &str, new: &NewActivation<'_>, ip: &str) {
    let result = if store.backend() == Backend::Sqlite {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = super::queued::RefusalLog::new(new, tenant_id, ip, reply);
        store.write_batched(Box::new(job), answer).await
    } else {
        async {
            let mut tx = store.begin().await?;
            audit::record(&mut tx, limit_refused_event(tenant_id, new, ip)).await?;
            tx.commit().await?;
            Ok::<_, AppError>(())
        }
        .await
    };
    if let Err(err) = result {
        tracing::error!(error = %err, license = new.license_id, "could not log a refused activation");
    }
}

/// The license part of an activation or check-in answer.
pub(super) fn summary_from_row(row: &LicenseRow, now: Millis) -> Result<LicenseSummary> {
    Ok(LicenseSummary {
        id: row.id.clone(),
        product: row.product.clone(),
        license_type: LicenseType::parse(&row.license_type).ok_or(AppError::Internal)?,
        status: LicenseStatus::effective(&row.status, row.valid_from, row.valid_until, now),
        valid_until: row.valid_until,
        max_activations: row.max_activations,
        devices_active: row.devices_active,
    })
}
