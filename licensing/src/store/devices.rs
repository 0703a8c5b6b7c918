//! The `devices` table: activations, check-ins and the one way devices are deactivated.

use std::borrow::Cow;

use sqlx::AnyConnection;

use super::licenses::{self, LicenseRow};
use crate::devices::Device;
use crate::Millis;

/// Why a device stopped being active; kept in `devices.deactivated_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeactivationReason {
    /// A reset in the portal.
    Reset,
    /// The desktop app deactivated itself.
    App,
    /// *Reset license* deactivated every device.
    LicenseReset,
    /// Its owner's seat was taken away.
    Unassigned,
    /// The vendor removed it (no deactivation used).
    Vendor,
}

impl DeactivationReason {
    /// The stored value; existing databases hold these, so they never change.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::App => "app",
            Self::LicenseReset => "license_reset",
            Self::Unassigned => "unassigned",
            Self::Vendor => "vendor",
        }
    }
}

/// Which active devices a deactivation ends.
#[derive(Debug, Clone, Copy)]
pub enum Deactivate<'a> {
    One(&'a str),
    OfLicense(&'a str),
    OfAccount {
        license_id: &'a str,
        account_id: &'a str,
    },
}

/// Marks the chosen active devices deactivated, by whom and why; returns how many were.
pub async fn deactivate(
    conn: &mut AnyConnection,
    which: Deactivate<'_>,
    by: Option<&str>,
    reason: DeactivationReason,
    now: Millis,
) -> sqlx::Result<u64> {
    let (filter, a, b) = match which {
        Deactivate::One(id) => ("id = $4", id, None),
        Deactivate::OfLicense(license_id) => ("license_id = $4", license_id, None),
        Deactivate::OfAccount {
            license_id,
            account_id,
        } => (
            "license_id = $4 AND account_id = $5",
            license_id,
            Some(account_id),
        ),
    };
    let sql = format!(
        "UPDATE devices SET deactivated_at = $1, deactivated_by = $2, deactivated_reason = $3 \
         WHERE {filter} AND deactivated_at IS NULL"
    );
    let mut query = sqlx::query(&sql)
        .bind(now)
        .bind(by)
        .bind(reason.as_str())
        .bind(a);
    if let Some(b) = b {
        query = query.bind(b);
    }
    Ok(query.execute(conn).await?.rows_affected())
}

/// The active devices of a license, all of them or (with `account_id`) those one account
/// activated.
pub async fn active(
    conn: &mut AnyConnection,
    license_id: &str,
    account_id: Option<&str>,
) -> sqlx::Result<Vec<Device>> {
    sqlx::query_as(&active_devices(""))
        .bind(license_id)
        .bind(if account_id.is_some() { "own" } else { "all" })
        .bind(account_id.unwrap_or_default())
        .bind("%%")
        .fetch_all(conn)
        .await
}

/// The active devices of a license as [`active`] chooses them, whose lower-cased name or hardware
/// id matches a `LIKE` pattern: `limit` of them from `offset` on, and how many match in all.
pub async fn active_page(
    conn: &mut AnyConnection,
    (license_id, account_id): (&str, Option<&str>),
    pattern: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<Device>, i64)> {
    let own = if account_id.is_some() { "own" } else { "all" };
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM devices d WHERE {ACTIVE_OF_LICENSE}"
    ))
    .bind(license_id)
    .bind(own)
    .bind(account_id.unwrap_or_default())
    .bind(pattern)
    .fetch_one(&mut *conn)
    .await?;
    let devices = sqlx::query_as(&active_devices(" LIMIT $5 OFFSET $6"))
        .bind(license_id)
        .bind(own)
        .bind(account_id.unwrap_or_default())
        .bind(pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((devices, total))
}

/// The active devices `d` of license `$1`: all of them (`$2` = 'all') or those account `$3`
/// activated (`$2` = 'own'), whose lower-cased name or hardware id matches the pattern `$4`
/// (`\` escapes a wildcard; `%%` is every device).
const ACTIVE_OF_LICENSE: &str = "d.license_id = $1 AND d.deactivated_at IS NULL \
    AND ($2 = 'all' OR d.account_id = $3) \
    AND ($4 = '%%' OR LOWER(d.name) LIKE $4 ESCAPE '\\' OR LOWER(d.hardware_id) LIKE $4 ESCAPE '\\')";

/// The Devices tab's rows of the devices [`ACTIVE_OF_LICENSE`] chooses, in order of first
/// activation, then `tail` (a `LIMIT`).
fn active_devices(tail: &str) -> String {
    format!(
        "SELECT d.id, d.name, d.os, d.first_activated_at, d.last_seen_at, \
                a.name AS activated_by \
         FROM devices d LEFT JOIN accounts a ON a.id = d.account_id \
         WHERE {ACTIVE_OF_LICENSE} ORDER BY d.first_activated_at, d.name, d.id{tail}"
    )
}

/// The active device of this hardware on the license, as `(id, name)`.
pub async fn active_with_hardware(
    conn: &mut AnyConnection,
    license_id: &str,
    hardware_id: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT id, name FROM devices \
         WHERE license_id = $1 AND hardware_id = $2 AND deactivated_at IS NULL",
    )
    .bind(license_id)
    .bind(hardware_id)
    .fetch_optional(conn)
    .await
}

/// A license with its active device of one hardware id, if any: what an activation reads first.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LicenseForActivation {
    #[sqlx(flatten)]
    pub license: LicenseRow,
    pub active_device_id: Option<String>,
    pub active_device_name: Option<String>,
}

impl LicenseForActivation {
    /// The license, and the id and name of the hardware's active device on it.
    pub fn into_parts(self) -> (LicenseRow, Option<(String, String)>) {
        let device = self.active_device_id.zip(self.active_device_name);
        (self.license, device)
    }
}

/// The license and its active device of `hardware_id` in one statement (one hand-off under the
/// write lock instead of two); `None` when there is no such license.
pub async fn license_for_activation(
    conn: &mut AnyConnection,
    license_id: &str,
    hardware_id: &str,
) -> sqlx::Result<Option<LicenseForActivation>> {
    let sql = licenses::select(
        ", d.id AS active_device_id, d.name AS active_device_name",
        "licenses l JOIN customers c ON c.id = l.customer_id \
         LEFT JOIN devices d ON d.license_id = l.id AND d.hardware_id = $2 \
         AND d.deactivated_at IS NULL",
        "l.id = $1",
    );
    sqlx::query_as(&sql)
        .bind(license_id)
        .bind(hardware_id)
        .fetch_optional(conn)
        .await
}

/// A device with the license it is on.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeviceOnLicense {
    pub device_id: String,
    pub hardware_id: String,
    pub device_name: String,
    pub account_id: Option<String>,
    pub deactivated_at: Option<Millis>,
    pub device_seen_at: Millis,
    #[sqlx(flatten)]
    pub license: LicenseRow,
}

/// Finds a device: active or not by its id or its app's token; the active one of a hardware id on
/// a license (what a LicenseSpring app names its machine by).
#[derive(Debug, Clone, Copy)]
pub enum DeviceKey<'a> {
    Id(&'a str),
    TokenHash(&'a str),
    ActiveHardware {
        license_id: &'a str,
        hardware_id: &'a str,
    },
}

impl DeviceKey<'_> {
    /// What the check-ins' memory (`check_ins.rs`) knows a device by: its token's hash (the
    /// device API), or its license and hardware id (a LicenseSpring check); `None` when a device
    /// found this way is not remembered.
    pub(crate) fn remembered_as(&self) -> Option<Cow<'_, str>> {
        match *self {
            // A token hash is hex: it never starts like the other kind.
            DeviceKey::TokenHash(hash) => Some(Cow::Borrowed(hash)),
            // The license id's length keeps the two ids apart whatever characters they hold.
            DeviceKey::ActiveHardware {
                license_id,
                hardware_id,
            } => Some(Cow::Owned(format!(
                "hardware:{}:{license_id}{hardware_id}",
                license_id.len()
            ))),
            DeviceKey::Id(_) => None,
        }
    }
}

pub async fn with_license(
    conn: &mut AnyConnection,
    key: DeviceKey<'_>,
) -> sqlx::Result<Option<DeviceOnLicense>> {
    let (filter, value, second) = match key {
        DeviceKey::Id(id) => ("d.id = $1", id, None),
        DeviceKey::TokenHash(hash) => ("d.token_hash = $1", hash, None),
        DeviceKey::ActiveHardware {
            license_id,
            hardware_id,
        } => (
            "d.license_id = $1 AND d.hardware_id = $2 AND d.deactivated_at IS NULL",
            license_id,
            Some(hardware_id),
        ),
    };
    let sql = licenses::select(
        ", d.id AS device_id, d.hardware_id, d.name AS device_name, d.account_id, d.deactivated_at, \
         d.last_seen_at AS device_seen_at",
        "devices d JOIN licenses l ON l.id = d.license_id JOIN customers c ON c.id = l.customer_id",
        filter,
    );
    let mut query = sqlx::query_as(&sql).bind(value);
    if let Some(second) = second {
        query = query.bind(second);
    }
    query.fetch_optional(conn).await
}

/// The license of the device holding this token.
pub async fn license_of_token(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT license_id FROM devices WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(conn)
        .await
}

/// The license of a device of this tenant.
pub async fn license_in_tenant(
    conn: &mut AnyConnection,
    device_id: &str,
    tenant_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT d.license_id FROM devices d JOIN licenses l ON l.id = d.license_id \
         WHERE d.id = $1 AND l.tenant_id = $2",
    )
    .bind(device_id)
    .bind(tenant_id)
    .fetch_optional(conn)
    .await
}

/// Who activated a device (`None` for a license-key activation).
pub async fn owner(conn: &mut AnyConnection, device_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT account_id FROM devices WHERE id = $1")
        .bind(device_id)
        .fetch_one(conn)
        .await
}

/// A device to insert, active from `now`.
pub struct NewDeviceRow<'a> {
    pub id: &'a str,
    pub license_id: &'a str,
    pub account_id: Option<&'a str>,
    pub hardware_id: &'a str,
    pub name: &'a str,
    pub os: &'a str,
    pub now: Millis,
    /// When its app last checked in: `now` for a new activation, earlier for an imported one.
    pub last_seen_at: Millis,
    pub token_hash: Option<&'a str>,
}

pub async fn insert(conn: &mut AnyConnection, new: &NewDeviceRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO devices (id, license_id, account_id, hardware_id, name, os, \
            first_activated_at, last_seen_at, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new.id)
    .bind(new.license_id)
    .bind(new.account_id)
    .bind(new.hardware_id)
    .bind(new.name)
    .bind(new.os)
    .bind(new.now)
    .bind(new.last_seen_at)
    .bind(new.token_hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records that an active device was seen, and replaces its token when one is given. A device
/// deactivated in between stays as it is.
pub async fn seen(
    conn: &mut AnyConnection,
    device_id: &str,
    now: Millis,
    token_hash: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE devices SET last_seen_at = $1, token_hash = COALESCE($2, token_hash) \
         WHERE id = $3 AND deactivated_at IS NULL",
    )
    .bind(now)
    .bind(token_hash)
    .bind(device_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A device still active was seen at `at`, when that is later than the time it has.
pub async fn seen_if_later(
    conn: &mut AnyConnection,
    device_id: &str,
    at: Millis,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE devices SET last_seen_at = $1 \
         WHERE id = $2 AND deactivated_at IS NULL AND last_seen_at < $1",
    )
    .bind(at)
    .bind(device_id)
    .execute(conn)
    .await?;
    Ok(())
}
