//! Reading licenses, selling them and the manager's *Reset license*.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Dashboard, License, LicenseResetOutcome, LicenseRole, LicenseStatus, LicenseType};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::{AccountKind, Principal};
use crate::error::{AppError, ConflictReason, Field, InvalidReason, Result};
use crate::input::{
    bounded, DAY_MS, MAX_DEACTIVATIONS, MAX_DEVICES, MAX_SEATS, MAX_SUBSCRIPTIONS, MAX_VALID_DAYS,
};
use crate::store::{new_id, Store, Tx};
use crate::{now_millis, Millis};

pub(super) const LICENSE_COLUMNS: &str = "l.id, c.name AS customer_name, l.product, l.license_type, l.status, \
    l.subscriptions, l.valid_from, l.valid_until, l.max_users, l.max_activations, \
    l.max_deactivations, l.deactivations_used, \
    (SELECT COUNT(*) FROM license_users u WHERE u.license_id = l.id) AS seats_used, \
    (SELECT COUNT(*) FROM devices d WHERE d.license_id = l.id AND d.deactivated_at IS NULL) AS devices_active";

pub(super) fn license_from_row(row: &AnyRow, my_role: LicenseRole, now: Millis) -> Result<License> {
    let license_type: String = row.try_get("license_type")?;
    let status: String = row.try_get("status")?;
    let valid_from: Millis = row.try_get("valid_from")?;
    let valid_until: Millis = row.try_get("valid_until")?;
    let status = LicenseStatus::effective(&status, valid_from, valid_until, now);
    Ok(License {
        id: row.try_get("id")?,
        customer_name: row.try_get("customer_name")?,
        product: row.try_get("product")?,
        license_type: LicenseType::parse(&license_type).ok_or(AppError::Internal)?,
        status,
        subscriptions: row.try_get("subscriptions")?,
        valid_from,
        valid_until,
        seats_used: row.try_get("seats_used")?,
        max_users: row.try_get("max_users")?,
        devices_active: row.try_get("devices_active")?,
        max_activations: row.try_get("max_activations")?,
        deactivations_used: row.try_get("deactivations_used")?,
        max_deactivations: row.try_get("max_deactivations")?,
        my_role,
    })
}

/// Reads one license the caller may see.
pub async fn get(store: &Store, who: &Principal, license_id: &str) -> Result<License> {
    let mut conn = store.pool().acquire().await?;
    let role = access::license(&mut conn, who, license_id).await?.role;
    let row = sqlx::query(&format!(
        "SELECT {LICENSE_COLUMNS} FROM licenses l JOIN customers c ON c.id = l.customer_id \
         WHERE l.id = $1"
    ))
    .bind(license_id)
    .fetch_one(&mut *conn)
    .await?;
    license_from_row(&row, role, now_millis())
}

/// The licenses the caller is assigned to: one entry per license, however many subscriptions
/// were bought for it (more subscriptions raise the seats of the same license).
pub async fn list(store: &Store, who: &Principal) -> Result<Vec<License>> {
    let rows = sqlx::query(&format!(
        "SELECT {LICENSE_COLUMNS}, lu.role AS my_role \
         FROM license_users lu JOIN licenses l ON l.id = lu.license_id \
         JOIN customers c ON c.id = l.customer_id \
         WHERE lu.account_id = $1 AND l.tenant_id = $2 ORDER BY l.created_at"
    ))
    .bind(&who.account_id)
    .bind(&who.tenant_id)
    .fetch_all(store.pool())
    .await?;
    let now = now_millis();
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("my_role")?;
            license_from_row(
                row,
                LicenseRole::parse(&role).ok_or(AppError::Internal)?,
                now,
            )
        })
        .collect()
}

/// The dashboard: who is logged in and whether they manage a license.
pub async fn dashboard(store: &Store, who: &Principal) -> Result<Dashboard> {
    let roles: Vec<String> = sqlx::query_scalar(
        "SELECT lu.role FROM license_users lu JOIN licenses l ON l.id = lu.license_id \
         WHERE lu.account_id = $1 AND l.tenant_id = $2",
    )
    .bind(&who.account_id)
    .bind(&who.tenant_id)
    .fetch_all(store.pool())
    .await?;
    let customer_name: Option<String> = match &who.customer_id {
        Some(id) => {
            sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
                .bind(id)
                .fetch_optional(store.pool())
                .await?
        }
        None => None,
    };
    let role = roles
        .iter()
        .filter_map(|r| LicenseRole::parse(r))
        .min_by_key(|r| match r {
            LicenseRole::Manager => 0,
            LicenseRole::User => 1,
        });
    Ok(Dashboard {
        name: who.name.clone(),
        email: who.email.clone(),
        company: who.tenant_name.clone(),
        customer_name,
        role,
        license_count: roles.len() as i64,
        vendor_admin: who.kind == AccountKind::VendorAdmin,
    })
}

/// What the vendor sells a customer. Seats grow with the number of subscriptions bought.
#[derive(Debug, Clone)]
pub struct NewLicense {
    pub tenant_id: String,
    pub customer_id: String,
    pub product: String,
    pub license_type: LicenseType,
    pub subscriptions: i64,
    pub seats_per_subscription: i64,
    pub max_activations: i64,
    pub max_deactivations: i64,
    pub valid_from: Millis,
    pub valid_until: Millis,
    /// The buyer: manager of the license when its type says so, its one user otherwise.
    pub owner_account_id: String,
}

/// The seat count of a new license: `Invalid` on the field past its bound in `crate::input`, so
/// that no product or sum of its limits can overflow here or in the database.
fn checked_new(new: &NewLicense) -> Result<i64> {
    bounded(
        Field::Subscriptions,
        new.subscriptions,
        1,
        MAX_SUBSCRIPTIONS,
    )?;
    bounded(Field::Seats, new.seats_per_subscription, 1, MAX_SEATS)?;
    bounded(Field::Devices, new.max_activations, 0, MAX_DEVICES)?;
    bounded(
        Field::Deactivations,
        new.max_deactivations,
        0,
        MAX_DEACTIVATIONS,
    )?;
    if new.valid_until <= new.valid_from {
        return Err(AppError::invalid(
            Field::ValidUntil,
            InvalidReason::AfterStart,
        ));
    }
    check_valid_until(new.valid_until)?;
    if new.license_type == LicenseType::Personal {
        return Ok(1);
    }
    // Both factors are bounded, so the product fits; the total has its own bound.
    bounded(
        Field::Seats,
        new.subscriptions * new.seats_per_subscription,
        1,
        MAX_SEATS,
    )
}

/// Refuses an end of validity further than [`MAX_VALID_DAYS`] from now.
pub(super) fn check_valid_until(valid_until: Millis) -> Result<()> {
    let latest = now_millis().saturating_add(MAX_VALID_DAYS * DAY_MS);
    if valid_until > latest {
        return Err(AppError::invalid(
            Field::ValidUntil,
            InvalidReason::NoLaterThanDays {
                days: MAX_VALID_DAYS,
            },
        ));
    }
    Ok(())
}

/// Creates a license and assigns its owner, in one transaction with its audit event.
pub async fn create(store: &Store, new: &NewLicense, actor: Option<&str>) -> Result<String> {
    let max_users = checked_new(new)?;
    // Checked before the transaction (accounts never change customer), so the transaction starts
    // with its first write: on SQLite a read first could not be upgraded to a write once a
    // simultaneous purchase had committed (`database is locked`, not the `Conflict` below).
    let owner_email: Option<String> = sqlx::query_scalar(
        "SELECT a.email FROM accounts a JOIN customers c ON c.id = a.customer_id \
         WHERE a.id = $1 AND a.customer_id = $2 AND c.tenant_id = $3",
    )
    .bind(&new.owner_account_id)
    .bind(&new.customer_id)
    .bind(&new.tenant_id)
    .fetch_optional(store.pool())
    .await?;
    let Some(owner_email) = owner_email else {
        return Err(AppError::invalid(
            Field::Owner,
            InvalidReason::NotOfCustomer,
        ));
    };
    let id = new_id();
    let now = now_millis();
    let mut tx = store.begin().await?;
    sqlx::query(
        "INSERT INTO licenses (id, tenant_id, customer_id, product, license_type, status, \
            subscriptions, max_users, max_activations, max_deactivations, deactivations_used, \
            valid_from, valid_until, created_at, seats_per_subscription, activations_per_subscription) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, 0, $10, $11, $12, $13, $14)",
    )
    .bind(&id)
    .bind(&new.tenant_id)
    .bind(&new.customer_id)
    .bind(&new.product)
    .bind(new.license_type.as_str())
    .bind(new.subscriptions)
    .bind(max_users)
    .bind(new.max_activations)
    .bind(new.max_deactivations)
    .bind(new.valid_from)
    .bind(new.valid_until)
    .bind(now)
    .bind(new.seats_per_subscription)
    .bind(new.max_activations / new.subscriptions)
    .execute(&mut *tx)
    .await?;
    let owner_role = if new.license_type.owner_is_manager() {
        LicenseRole::Manager
    } else {
        LicenseRole::User
    };
    sqlx::query(
        "INSERT INTO license_users (license_id, account_id, role, assigned_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(&new.owner_account_id)
    .bind(owner_role.as_str())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &new.tenant_id,
            license_id: Some(&id),
            actor_id: actor,
            action: AuditAction::LicenseCreated,
            subject: AuditSubject::LicenseSold {
                license_type: new.license_type,
                owner_email: owner_email.clone(),
            },
            ip: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// What a purchase did: created the customer's license for the product, or raised it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub license_id: String,
    pub created: bool,
}

/// A customer buys subscriptions: the first purchase of a product creates the license, every
/// later one raises that same license, so the customer never sees more than one entry for it.
pub async fn purchase(store: &Store, new: &NewLicense, actor: Option<&str>) -> Result<Purchase> {
    // Also when it raises a license: the order itself must be one a new license could hold.
    checked_new(new)?;
    let row = match existing_license(store, new).await? {
        Some(row) => row,
        None => match create(store, new, actor).await {
            Ok(license_id) => {
                return Ok(Purchase {
                    license_id,
                    created: true,
                })
            }
            // A simultaneous first purchase created it in between (the one-license-per-product
            // index refused this one): this purchase raises that license.
            Err(conflict @ AppError::Conflict { .. }) => {
                existing_license(store, new).await?.ok_or(conflict)?
            }
            Err(other) => return Err(other),
        },
    };
    let license_id: String = row.try_get("id")?;
    let license_type: String = row.try_get("license_type")?;
    if license_type != new.license_type.as_str() {
        return Err(AppError::conflict(ConflictReason::OtherLicenseType {
            product: new.product.to_owned(),
            license_type: LicenseType::parse(&license_type).ok_or(AppError::Internal)?,
        }));
    }
    add_subscriptions(store, &license_id, new.subscriptions, actor).await?;
    Ok(Purchase {
        license_id,
        created: false,
    })
}

/// The customer's license for the product, if they bought it before.
async fn existing_license(store: &Store, new: &NewLicense) -> Result<Option<AnyRow>> {
    Ok(sqlx::query(
        "SELECT id, license_type FROM licenses WHERE tenant_id = $1 AND customer_id = $2 AND product = $3",
    )
    .bind(&new.tenant_id)
    .bind(&new.customer_id)
    .bind(&new.product)
    .fetch_optional(store.pool())
    .await?)
}

/// More subscriptions of the same license: each adds the seats and device slots one subscription
/// brings (a Personal license keeps its one user). The deactivation budget is the vendor's to set.
pub async fn add_subscriptions(
    store: &Store,
    license_id: &str,
    count: i64,
    actor: Option<&str>,
) -> Result<()> {
    bounded(Field::Subscriptions, count, 1, MAX_SUBSCRIPTIONS)?;
    let mut tx = store.begin_locked(license_id).await?;
    let row = sqlx::query(
        "SELECT tenant_id, license_type, subscriptions, max_users, max_activations, \
            seats_per_subscription, activations_per_subscription FROM licenses WHERE id = $1",
    )
    .bind(license_id)
    .fetch_one(&mut *tx)
    .await?;
    let tenant_id: String = row.try_get("tenant_id")?;
    let license_type: String = row.try_get("license_type")?;
    // The new totals are computed here, checked, rather than in SQL, where an overflow is a
    // database error (Postgres) or a silent switch to floating point (SQLite).
    let raised = |column: &str, per_subscription: &str| -> Result<Option<i64>> {
        let now: i64 = row.try_get(column)?;
        let per: i64 = row.try_get(per_subscription)?;
        Ok(count
            .checked_mul(per)
            .and_then(|more| now.checked_add(more)))
    };
    let too_many =
        |field: Field, max: i64| AppError::invalid(field, InvalidReason::WouldExceed { max });
    let subscriptions = row
        .try_get::<i64, _>("subscriptions")?
        .checked_add(count)
        .filter(|total| *total <= MAX_SUBSCRIPTIONS)
        .ok_or_else(|| too_many(Field::Subscriptions, MAX_SUBSCRIPTIONS))?;
    let max_users = if license_type == LicenseType::Personal.as_str() {
        row.try_get("max_users")?
    } else {
        raised("max_users", "seats_per_subscription")?
            .filter(|total| *total <= MAX_SEATS)
            .ok_or_else(|| too_many(Field::Seats, MAX_SEATS))?
    };
    let max_activations = raised("max_activations", "activations_per_subscription")?
        .filter(|total| *total <= MAX_DEVICES)
        .ok_or_else(|| too_many(Field::Devices, MAX_DEVICES))?;
    sqlx::query(
        "UPDATE licenses SET subscriptions = $1, max_users = $2, max_activations = $3 \
         WHERE id = $4",
    )
    .bind(subscriptions)
    .bind(max_users)
    .bind(max_activations)
    .bind(license_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &tenant_id,
            license_id: Some(license_id),
            actor_id: actor,
            action: AuditAction::LicenseSubscriptionsAdded,
            subject: AuditSubject::SubscriptionsAdded { count },
            ip: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

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
    let row = sqlx::query(
        "SELECT l.max_deactivations, l.deactivations_used, \
            (SELECT COUNT(*) FROM devices d WHERE d.license_id = l.id AND d.deactivated_at IS NULL) AS devices, \
            (SELECT COUNT(*) FROM license_users u WHERE u.license_id = l.id AND u.role <> 'manager') AS users \
         FROM licenses l WHERE l.id = $1",
    )
    .bind(license_id)
    .fetch_one(&mut *tx)
    .await?;
    let allowed: i64 = row.try_get("max_deactivations")?;
    let used: i64 = row.try_get("deactivations_used")?;
    let devices: i64 = row.try_get("devices")?;
    let users: i64 = row.try_get("users")?;
    if devices == 0 && users == 0 {
        // Spending a deactivation on nothing would only hurt the customer.
        return Err(AppError::conflict(ConflictReason::NothingToReset));
    }
    let left = spend_deactivation_budget(&mut tx, license_id, allowed, used).await?;
    let now = now_millis();
    sqlx::query(
        "UPDATE devices SET deactivated_at = $1, deactivated_by = $2, deactivated_reason = 'license_reset' \
         WHERE license_id = $3 AND deactivated_at IS NULL",
    )
    .bind(now)
    .bind(&who.account_id)
    .bind(license_id)
    .execute(&mut *tx)
    .await?;
    // The unassigned license users' sessions end with their seats.
    sqlx::query(
        "DELETE FROM sessions WHERE account_id IN \
         (SELECT account_id FROM license_users WHERE license_id = $1 AND role <> 'manager')",
    )
    .bind(license_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM license_users WHERE license_id = $1 AND role <> 'manager'")
        .bind(license_id)
        .execute(&mut *tx)
        .await?;
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
    sqlx::query("UPDATE licenses SET deactivations_used = deactivations_used + 1 WHERE id = $1")
        .bind(license_id)
        .execute(&mut **tx)
        .await?;
    Ok(allowed - used - 1)
}
