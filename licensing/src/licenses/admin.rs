//! What vendor staff do to a license: lift the deactivation limit (the seed's "contact us to
//! reset your limit"), change its limits and validity, suspend and resume it, list the tenant's
//! licenses. Every action is the caller's own tenant only and is audited with their name.

use super::selling::{check_valid_until, raise, Written};
use super::service::{license_from_row, license_row};
use super::{
    issue_key, purchase_writing, LicenseRole, LicenseType, NewLicense, Purchase, TenantLicense,
};
use crate::access::{self, Actor, VendorLicenseGrant};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::Principal;
use crate::customers::contains_pattern;
use crate::error::{AppError, ConflictReason, Field, InvalidReason, Result, Thing};
use crate::input::{
    bounded, DAY_MS, MAX_DEACTIVATIONS, MAX_DEVICES, MAX_SEATS, MAX_SUBSCRIPTIONS, MAX_VALID_DAYS,
};
use crate::mail::Portal;
use crate::store::licenses::{self as rows, LimitsRow, TenantScope};
use crate::store::orders::OrderClaim;
use crate::store::{Store, Tx};
use crate::{now_millis, Millis};

/// New limits for a license; none may fall below what is in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub max_users: i64,
    pub max_activations: i64,
    pub max_deactivations: i64,
    pub valid_until: Millis,
}

/// Opens the locked transaction a vendor action runs in, with what the guards granted: vendor
/// staff (checked before anything is locked) and a license of their tenant.
async fn vendor_tx(
    store: &Store,
    who: &Principal,
    license_id: &str,
) -> Result<(Tx, VendorLicenseGrant)> {
    let vendor = access::vendor_admin(who)?;
    let mut tx = store.begin_locked(license_id).await?;
    let grant = access::vendor_license(&mut tx, &vendor, license_id).await?;
    Ok((tx, grant))
}

/// "Reset deactivation limit": every deactivation is available again. The reason is required,
/// so the audit log says why support lifted it.
pub async fn reset_deactivation_limit(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    reason: &str,
) -> Result<()> {
    let reason = required_reason(reason)?;
    let (mut tx, grant) = vendor_tx(store, &actor.principal, license_id).await?;
    let used = license_row(&mut tx, license_id).await?.deactivations_used;
    rows::clear_deactivations(&mut tx, license_id).await?;
    record(
        &mut tx,
        &grant,
        actor,
        AuditAction::LicenseDeactivationLimitReset,
        AuditSubject::DeactivationLimitReset {
            used_before: used,
            reason: reason.to_owned(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes a license's limits and validity. Lowering a limit below what is in use is refused
/// with what to do first; nothing changes then.
pub async fn update_limits(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    limits: &Limits,
) -> Result<()> {
    let (mut tx, grant) = vendor_tx(store, &actor.principal, license_id).await?;
    let row = license_row(&mut tx, license_id).await?;
    let (seats_used, devices_active, deactivations_used, valid_from) = (
        row.seats_used,
        row.devices_active,
        row.deactivations_used,
        row.valid_from,
    );
    let license_type = LicenseType::parse(&row.license_type).ok_or(AppError::Internal)?;
    bounded(Field::Seats, limits.max_users, 1, MAX_SEATS)?;
    bounded(Field::Devices, limits.max_activations, 0, MAX_DEVICES)?;
    bounded(
        Field::Deactivations,
        limits.max_deactivations,
        0,
        MAX_DEACTIVATIONS,
    )?;
    check_valid_until(limits.valid_until)?;
    if license_type
        .fixed_seats()
        .is_some_and(|seats| limits.max_users != seats)
    {
        return Err(AppError::invalid(
            Field::Seats,
            InvalidReason::PersonalOneUser,
        ));
    }
    if limits.max_users < seats_used {
        return Err(AppError::invalid(
            Field::Seats,
            InvalidReason::BelowSeatsInUse { used: seats_used },
        ));
    }
    if limits.max_activations < devices_active {
        return Err(AppError::invalid(
            Field::Devices,
            InvalidReason::BelowDevicesActive {
                active: devices_active,
            },
        ));
    }
    if limits.max_deactivations < deactivations_used {
        return Err(AppError::invalid(
            Field::Deactivations,
            InvalidReason::BelowDeactivationsUsed {
                used: deactivations_used,
            },
        ));
    }
    if limits.valid_until <= valid_from {
        return Err(AppError::invalid(
            Field::ValidUntil,
            InvalidReason::AfterStart,
        ));
    }
    rows::set_limits(
        &mut tx,
        license_id,
        &LimitsRow {
            max_users: limits.max_users,
            max_activations: limits.max_activations,
            max_deactivations: limits.max_deactivations,
            valid_until: limits.valid_until,
        },
    )
    .await?;
    record(
        &mut tx,
        &grant,
        actor,
        AuditAction::LicenseLimitsChanged,
        AuditSubject::Limits {
            seats: limits.max_users,
            devices: limits.max_activations,
            deactivations: limits.max_deactivations,
            valid_until: limits.valid_until,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Suspends a license (its devices are refused until it is resumed) or resumes it.
pub async fn set_suspended(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    suspended: bool,
) -> Result<()> {
    let (mut tx, grant) = vendor_tx(store, &actor.principal, license_id).await?;
    let status = if suspended { "suspended" } else { "active" };
    if !rows::set_status(&mut tx, license_id, status).await? {
        return Err(AppError::conflict(if suspended {
            ConflictReason::AlreadySuspended
        } else {
            ConflictReason::AlreadyActive
        }));
    }
    let (action, status) = if suspended {
        (
            AuditAction::LicenseSuspended,
            super::LicenseStatus::Suspended,
        )
    } else {
        (AuditAction::LicenseResumed, super::LicenseStatus::Active)
    };
    record(
        &mut tx,
        &grant,
        actor,
        action,
        AuditSubject::Status { status },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Which of the tenant's licenses a vendor query returns.
enum Scope<'a> {
    /// Those whose customer name or product contains the text.
    Search(Option<&'a str>),
    Customer(&'a str),
    License(&'a str),
}

async fn tenant_licenses(
    store: &Store,
    who: &Principal,
    scope: Scope<'_>,
) -> Result<Vec<TenantLicense>> {
    let vendor = access::vendor_admin(who)?;
    let pattern;
    let scope = match scope {
        Scope::Search(text) => {
            pattern = contains_pattern(text);
            TenantScope::Matching(&pattern)
        }
        Scope::Customer(id) => TenantScope::Customer(id),
        Scope::License(id) => TenantScope::License(id),
    };
    let mut conn = store.conn().await?;
    let now = now_millis();
    rows::of_tenant(&mut conn, &vendor.tenant_id, scope)
        .await?
        .into_iter()
        .map(|row| {
            Ok(TenantLicense {
                customer_id: row.customer_id.clone(),
                // Vendor staff act as managers of every license of their tenant.
                license: license_from_row(row, LicenseRole::Manager, now)?,
            })
        })
        .collect()
}

/// Every license of the caller's tenant by customer name and product, optionally only those
/// whose customer name or product contains `search` (case-insensitive).
pub async fn list_for_tenant(
    store: &Store,
    who: &Principal,
    search: Option<&str>,
) -> Result<Vec<TenantLicense>> {
    tenant_licenses(store, who, Scope::Search(search)).await
}

/// The licenses of one customer of the caller's tenant.
pub async fn list_for_customer(
    store: &Store,
    who: &Principal,
    customer_id: &str,
) -> Result<Vec<TenantLicense>> {
    tenant_licenses(store, who, Scope::Customer(customer_id)).await
}

/// One license of the caller's tenant, with its customer; another tenant's is `NotFound`.
pub async fn get_for_vendor(
    store: &Store,
    who: &Principal,
    license_id: &str,
) -> Result<TenantLicense> {
    tenant_licenses(store, who, Scope::License(license_id))
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found(Thing::License))
}

/// What the vendor sells a customer, from the console or `keyport license create`.
#[derive(Debug, Clone)]
pub struct Sale {
    pub customer_id: String,
    pub product: String,
    pub license_type: LicenseType,
    pub subscriptions: i64,
    pub seats_per_subscription: i64,
    pub devices_per_subscription: i64,
    pub max_deactivations: i64,
    pub valid_days: i64,
    pub owner_account_id: String,
}

/// Vendor staff sell subscriptions: the customer's license for the product is created (and its
/// license key issued, returned once) or raised.
///
/// The license's holders are emailed in the sale's transaction: credentials to an owner who never
/// chose a password, else a receipt.
pub async fn sell(
    store: &Store,
    who: &Principal,
    sale: &Sale,
    portal: &Portal,
) -> Result<(Purchase, Option<String>)> {
    sell_writing(store, who, sale, portal, None).await
}

/// [`sell`], marking a management API order sold in the sale's transaction.
pub(crate) async fn sell_writing(
    store: &Store,
    who: &Principal,
    sale: &Sale,
    portal: &Portal,
    order: Option<&OrderClaim>,
) -> Result<(Purchase, Option<String>)> {
    let vendor = access::vendor_admin(who)?;
    check_sale(sale)?;
    // Bounded factors: the product fits in an i64, and `purchase` checks it against its bound.
    let max_activations = sale.devices_per_subscription * sale.subscriptions;
    let customer = {
        let mut conn = store.conn().await?;
        access::vendor_customer(&mut conn, &vendor, &sale.customer_id).await?
    };
    let now = now_millis();
    let written = Written {
        email: Some(portal),
        order,
    };
    let purchase = purchase_writing(
        store,
        &NewLicense {
            tenant_id: customer.tenant_id,
            customer_id: customer.customer_id,
            product: sale.product.trim().to_owned(),
            license_type: sale.license_type,
            subscriptions: sale.subscriptions,
            seats_per_subscription: sale.seats_per_subscription,
            max_activations,
            max_deactivations: sale.max_deactivations,
            valid_from: now,
            valid_until: now + sale.valid_days * DAY_MS,
            owner_account_id: sale.owner_account_id.clone(),
        },
        Some(&who.account_id),
        written,
    )
    .await?;
    let key = if purchase.created {
        Some(issue_key(store, &purchase.license_id).await?)
    } else {
        None
    };
    Ok((purchase, key))
}

/// What a sale's terms must be, checked before anything is read or written.
pub(crate) fn check_sale(sale: &Sale) -> Result<()> {
    if sale.product.trim().is_empty() {
        return Err(AppError::invalid(Field::Product, InvalidReason::Required));
    }
    bounded(
        Field::Subscriptions,
        sale.subscriptions,
        1,
        MAX_SUBSCRIPTIONS,
    )?;
    bounded(Field::Seats, sale.seats_per_subscription, 1, MAX_SEATS)?;
    bounded(
        Field::Devices,
        sale.devices_per_subscription,
        0,
        MAX_DEVICES,
    )?;
    bounded(
        Field::Deactivations,
        sale.max_deactivations,
        0,
        MAX_DEACTIVATIONS,
    )?;
    bounded(Field::ValidFor, sale.valid_days, 1, MAX_VALID_DAYS)?;
    Ok(())
}

/// Vendor staff add subscriptions (seats and devices) to a license of their tenant; its holders
/// get a receipt (or credentials) by email.
pub async fn sell_subscriptions(
    store: &Store,
    who: &Principal,
    license_id: &str,
    count: i64,
    portal: &Portal,
) -> Result<()> {
    let vendor = access::vendor_admin(who)?;
    let license = {
        let mut conn = store.conn().await?;
        access::vendor_license(&mut conn, &vendor, license_id).await?
    };
    let by = Some(who.account_id.as_str());
    let written = Written {
        email: Some(portal),
        order: None,
    };
    raise(store, &license.license_id, count, by, written).await
}

fn required_reason(reason: &str) -> Result<&str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            Field::Reason,
            InvalidReason::RequiredForAudit,
        ));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid(
            Field::Reason,
            InvalidReason::TooLong { max: 500 },
        ));
    }
    Ok(reason)
}

async fn record(
    tx: &mut Tx,
    grant: &VendorLicenseGrant,
    actor: &Actor,
    action: AuditAction,
    subject: AuditSubject,
) -> Result<()> {
    audit::record(
        tx,
        Event {
            tenant_id: &grant.tenant_id,
            license_id: Some(&grant.license_id),
            actor_id: Some(&actor.principal.account_id),
            action,
            subject,
            ip: Some(&actor.ip),
        },
    )
    .await
}
