//! Reading licenses, selling them and the manager's *Reset license*.

use sqlx::AnyConnection;

use super::{Dashboard, License, LicenseResetOutcome, LicenseRole, LicenseStatus, LicenseType};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::{AccountKind, Principal};
use crate::error::{AppError, ConflictReason, Field, InvalidReason, Result, Thing};
use crate::input::{
    bounded, DAY_MS, MAX_DEACTIVATIONS, MAX_DEVICES, MAX_SEATS, MAX_SUBSCRIPTIONS, MAX_VALID_DAYS,
};
use crate::mail::{self, texts::Letter, Portal};
use crate::store::devices::{self as device_rows, Deactivate, DeactivationReason};
use crate::store::licenses::{self as rows, LicenseRow, NewLicenseRow};
use crate::store::orders::{self, OrderClaim};
use crate::store::seats::{self, Seats};
use crate::store::sessions::{self, Sessions};
use crate::store::{accounts, new_id, Store, Tx};
use crate::users::{store_password_link, LinkPurpose};
use crate::{now_millis, secret, Millis};

/// A license as its customer sees it, from its row and the viewer's role.
pub(super) fn license_from_row(
    row: LicenseRow,
    my_role: LicenseRole,
    now: Millis,
) -> Result<License> {
    Ok(License {
        license_type: LicenseType::parse(&row.license_type).ok_or(AppError::Internal)?,
        status: LicenseStatus::effective(&row.status, row.valid_from, row.valid_until, now),
        id: row.id,
        customer_name: row.customer_name,
        product: row.product,
        subscriptions: row.subscriptions,
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        seats_used: row.seats_used,
        max_users: row.max_users,
        devices_active: row.devices_active,
        max_activations: row.max_activations,
        deactivations_used: row.deactivations_used,
        max_deactivations: row.max_deactivations,
        my_role,
    })
}

/// The row of a license known to exist (the caller's guard or lock found it).
pub(crate) async fn license_row(conn: &mut AnyConnection, license_id: &str) -> Result<LicenseRow> {
    rows::get(conn, license_id)
        .await?
        .ok_or_else(|| AppError::not_found(Thing::License))
}

/// Reads one license the caller may see.
pub async fn get(store: &Store, who: &Principal, license_id: &str) -> Result<License> {
    let mut conn = store.conn().await?;
    let role = access::license(&mut conn, who, license_id).await?.role;
    license_from_row(
        license_row(&mut conn, license_id).await?,
        role,
        now_millis(),
    )
}

/// A license as a LicenseSpring app reads it, its tenant's API key being the authority: no
/// person views it, so the role is that of a plain user, which nothing on that surface reads.
pub async fn for_app(store: &Store, license_id: &str) -> Result<License> {
    let mut conn = store.conn().await?;
    license_from_row(
        license_row(&mut conn, license_id).await?,
        LicenseRole::User,
        now_millis(),
    )
}

/// The licenses an account holds a seat on, as an app of its tenant reads them.
pub async fn of_account_for_app(
    store: &Store,
    tenant_id: &str,
    account_id: &str,
) -> Result<Vec<License>> {
    let mut conn = store.conn().await?;
    let now = now_millis();
    rows::of_account(&mut conn, account_id, tenant_id)
        .await?
        .into_iter()
        .map(|assigned| license_from_row(assigned.license, LicenseRole::User, now))
        .collect()
}

/// The licenses the caller is assigned to: one entry per license, however many subscriptions
/// were bought for it (more subscriptions raise the seats of the same license).
pub async fn list(store: &Store, who: &Principal) -> Result<Vec<License>> {
    let mut conn = store.conn().await?;
    let now = now_millis();
    rows::of_account(&mut conn, &who.account_id, &who.tenant_id)
        .await?
        .into_iter()
        .map(|assigned| {
            let role = LicenseRole::parse(&assigned.my_role).ok_or(AppError::Internal)?;
            license_from_row(assigned.license, role, now)
        })
        .collect()
}

/// The dashboard: who is logged in and whether they manage a license.
pub async fn dashboard(store: &Store, who: &Principal) -> Result<Dashboard> {
    let mut conn = store.conn().await?;
    let roles = seats::roles_of(&mut conn, &who.account_id, &who.tenant_id).await?;
    let customer_name = match &who.customer_id {
        Some(id) => crate::store::customers::name(&mut conn, id).await?,
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
