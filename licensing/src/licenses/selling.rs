//! Selling licenses: a new license, a purchase that creates the customer's license or raises it,
//! more subscriptions, and the email and order a sale writes in its transaction.

use super::service::license_row;
use super::{LicenseRole, LicenseType};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::error::{AppError, ConflictReason, Field, InvalidReason, Result};
use crate::input::{
    bounded, DAY_MS, MAX_DEACTIVATIONS, MAX_DEVICES, MAX_SEATS, MAX_SUBSCRIPTIONS, MAX_VALID_DAYS,
};
use crate::mail::{self, texts::Letter, Portal};
use crate::store::licenses::{self as rows, NewLicenseRow};
use crate::store::orders::{self, OrderClaim};
use crate::store::seats;
use crate::store::{accounts, new_id, Store, Tx};
use crate::users::{store_password_link, LinkPurpose};
use crate::{now_millis, secret, Millis};

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
    if let Some(seats) = new.license_type.fixed_seats() {
        return Ok(seats);
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
    create_license(store, new, actor, Written::default()).await
}

/// What a sale writes in its transaction besides the license: its email (with the portal the
/// links point at) and the management API order it sells.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written<'a> {
    pub email: Option<&'a Portal>,
    pub order: Option<&'a OrderClaim>,
}

/// Marks the order sold in the sale's transaction; a claim taken over by another request in the
/// meantime refuses the sale, so an order is never sold twice.
async fn mark_order(
    tx: &mut Tx,
    order: Option<&OrderClaim>,
    license_id: &str,
    created: bool,
) -> Result<()> {
    if let Some(claim) = order {
        if !orders::mark_sold(tx, claim, license_id, created).await? {
            return Err(AppError::conflict(ConflictReason::OrderInProgress {
                order_id: claim.order_id.clone(),
            }));
        }
    }
    Ok(())
}

/// [`create`], and what else the sale writes (see [`Written`] and [`tell_holders`]).
async fn create_license(
    store: &Store,
    new: &NewLicense,
    actor: Option<&str>,
    written: Written<'_>,
) -> Result<String> {
    let max_users = checked_new(new)?;
    // Checked before the transaction (accounts never change customer), so the transaction starts
    // with its first write: on SQLite a read first could not be upgraded to a write once a
    // simultaneous purchase had committed (`database is locked`, not the `Conflict` below).
    let owner_email = {
        let mut conn = store.conn().await?;
        accounts::email_in_customer(
            &mut conn,
            &new.owner_account_id,
            &new.customer_id,
            &new.tenant_id,
        )
        .await?
    };
    let Some(owner_email) = owner_email else {
        return Err(AppError::invalid(
            Field::Owner,
            InvalidReason::NotOfCustomer,
        ));
    };
    let id = new_id();
    let now = now_millis();
    let mut tx = store.begin().await?;
    rows::insert(
        &mut tx,
        &NewLicenseRow {
            id: &id,
            tenant_id: &new.tenant_id,
            customer_id: &new.customer_id,
            product: &new.product,
            license_type: new.license_type.as_str(),
            subscriptions: new.subscriptions,
            max_users,
            max_activations: new.max_activations,
            max_deactivations: new.max_deactivations,
            valid_from: new.valid_from,
            valid_until: new.valid_until,
            created_at: now,
            seats_per_subscription: new.seats_per_subscription,
            activations_per_subscription: new.max_activations / new.subscriptions,
            status: "active",
            key_hash: None,
            external_id: None,
        },
    )
    .await?;
    // After the first write: on SQLite the transaction must not start with a read (see above).
    crate::products::ensure(&mut tx, &new.tenant_id, &new.product).await?;
    let owner_role = if new.license_type.owner_is_manager() {
        LicenseRole::Manager
    } else {
        LicenseRole::User
    };
    seats::insert(
        &mut tx,
        &id,
        &new.owner_account_id,
        owner_role.as_str(),
        now,
    )
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
    if let Some(portal) = written.email {
        tell_holders(&mut tx, &id, new.subscriptions, portal).await?;
    }
    mark_order(&mut tx, written.order, &id, true).await?;
    tx.commit().await?;
    Ok(id)
}

/// A sale's email, written in the sale's transaction: each manager of the license (its user, for
/// a license without managers) who never chose a password gets their credentials (company ID,
/// email and a set-password link, never a password); everyone else a receipt of the license's new
/// seats and devices.
async fn tell_holders(tx: &mut Tx, license_id: &str, count: i64, portal: &Portal) -> Result<()> {
    let license = license_row(tx, license_id).await?;
    let holders = seats::holders(tx, license_id).await?;
    let manager = LicenseRole::Manager.as_str();
    let managers = holders.iter().filter(|h| h.role == manager).count();
    let from = mail::sender(tx, &license.tenant_id).await?;
    for holder in holders
        .iter()
        .filter(|h| managers == 0 || h.role == manager)
    {
        let link;
        let letter = if holder.password_set == 0 {
            let token = secret::random_token();
            store_password_link(tx, &holder.id, &token, LinkPurpose::Invitation).await?;
            link = portal.set_password_link(&token);
            Letter::Credentials {
                manages: holder.role == manager,
                product: &license.product,
                customer: &license.customer_name,
                company: &from.company_key,
                email: &holder.email,
                link: &link,
            }
        } else {
            Letter::Receipt {
                product: &license.product,
                customer: &license.customer_name,
                count,
                seats: license.max_users,
                devices: license.max_activations,
            }
        };
        let to = (holder.email.as_str(), holder.name.as_str());
        mail::post(tx, &from, &license.tenant_id, to, &letter).await?;
    }
    Ok(())
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
    purchase_writing(store, new, actor, Written::default()).await
}

/// [`purchase`], emailing the license's holders in its transaction when given the portal their
/// links point at: credentials to an owner who never chose a password, else a receipt.
pub async fn purchase_emailed(
    store: &Store,
    new: &NewLicense,
    actor: Option<&str>,
    email: Option<&Portal>,
) -> Result<Purchase> {
    let written = Written { email, order: None };
    purchase_writing(store, new, actor, written).await
}

/// [`purchase`], with what else the sale writes in its transaction (see [`Written`]).
pub(crate) async fn purchase_writing(
    store: &Store,
    new: &NewLicense,
    actor: Option<&str>,
    written: Written<'_>,
) -> Result<Purchase> {
    // Also when it raises a license: the order itself must be one a new license could hold.
    checked_new(new)?;
    let (license_id, license_type) = match existing_license(store, new).await? {
        Some(row) => row,
        None => match create_license(store, new, actor, written).await {
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
    if license_type != new.license_type.as_str() {
        return Err(AppError::conflict(ConflictReason::OtherLicenseType {
            product: new.product.to_owned(),
            license_type: LicenseType::parse(&license_type).ok_or(AppError::Internal)?,
        }));
    }
    raise(store, &license_id, new.subscriptions, actor, written).await?;
    Ok(Purchase {
        license_id,
        created: false,
    })
}

/// The customer's license for the product, if they bought it before.
async fn existing_license(store: &Store, new: &NewLicense) -> Result<Option<(String, String)>> {
    let mut conn = store.conn().await?;
    Ok(rows::for_product(&mut conn, &new.tenant_id, &new.customer_id, &new.product).await?)
}

/// More subscriptions of the same license: each adds the seats and device slots one subscription
/// brings (a Personal license keeps its one user). The deactivation budget is the vendor's to set.
pub async fn add_subscriptions(
    store: &Store,
    license_id: &str,
    count: i64,
    actor: Option<&str>,
) -> Result<()> {
    raise(store, license_id, count, actor, Written::default()).await
}

/// [`add_subscriptions`], and what else the sale writes (see [`Written`] and [`tell_holders`]).
pub(crate) async fn raise(
    store: &Store,
    license_id: &str,
    count: i64,
    actor: Option<&str>,
    written: Written<'_>,
) -> Result<()> {
    bounded(Field::Subscriptions, count, 1, MAX_SUBSCRIPTIONS)?;
    let mut tx = store.begin_locked(license_id).await?;
    let row = license_row(&mut tx, license_id).await?;
    let license_type = LicenseType::parse(&row.license_type).ok_or(AppError::Internal)?;
    // The new totals are computed here, checked, rather than in SQL, where an overflow is a
    // database error (Postgres) or a silent switch to floating point (SQLite).
    let raised = |now: i64, per: i64| {
        count
            .checked_mul(per)
            .and_then(|more| now.checked_add(more))
    };
    let too_many =
        |field: Field, max: i64| AppError::invalid(field, InvalidReason::WouldExceed { max });
    let subscriptions = row
        .subscriptions
        .checked_add(count)
        .filter(|total| *total <= MAX_SUBSCRIPTIONS)
        .ok_or_else(|| too_many(Field::Subscriptions, MAX_SUBSCRIPTIONS))?;
    let max_users = if license_type.fixed_seats().is_some() {
        row.max_users
    } else {
        raised(row.max_users, row.seats_per_subscription)
            .filter(|total| *total <= MAX_SEATS)
            .ok_or_else(|| too_many(Field::Seats, MAX_SEATS))?
    };
    let max_activations = raised(row.max_activations, row.activations_per_subscription)
        .filter(|total| *total <= MAX_DEVICES)
        .ok_or_else(|| too_many(Field::Devices, MAX_DEVICES))?;
    rows::set_subscriptions(
        &mut tx,
        license_id,
        subscriptions,
        max_users,
        max_activations,
    )
    .await?;
    let tenant_id = row.tenant_id;
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
    if let Some(portal) = written.email {
        tell_holders(&mut tx, license_id, count, portal).await?;
    }
    mark_order(&mut tx, written.order, license_id, false).await?;
    tx.commit().await?;
    Ok(())
}
