//! Seat changes on a license: assigning and unassigning people and changing their role. Seats
//! never exceed `max_users`, and a license always keeps one manager.

use super::service::{customer_account, manage};
use super::UserChange;
use crate::access::{Actor, ManagerGrant};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::error::{AppError, ConflictReason, Result, Thing};
use crate::licenses::{license_row, LicenseRole};
use crate::now_millis;
use crate::store::devices::{self as devices, Deactivate, DeactivationReason};
use crate::store::seats::{self, Seats};
use crate::store::sessions::{self, Sessions};
use crate::store::{Store, Tx};

/// "Assign license user": gives an existing account of the license's customer a seat.
pub async fn assign(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    account_id: &str,
) -> Result<UserChange> {
    let (who, ip) = (&actor.principal, actor.ip.as_str());
    let mut tx = store.begin_locked(license_id).await?;
    let managed = manage(&mut tx, who, license_id).await?;
    let name = seat_account(
        &mut tx,
        &managed,
        license_id,
        account_id,
        LicenseRole::User,
        (Some(&who.account_id), Some(ip)),
    )
    .await?;
    tx.commit().await?;
    Ok(UserChange {
        license_id: license_id.to_owned(),
        account_id: account_id.to_owned(),
        name,
        devices_deactivated: 0,
    })
}

/// "Unassign": frees the person's seat and deactivates the devices they activated on the license,
/// in one transaction. Those deactivations are the manager's housekeeping, not device resets, so
/// they do not use the deactivation budget. The last manager cannot be unassigned.
pub async fn unassign(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    account_id: &str,
) -> Result<UserChange> {
    let (who, ip) = (&actor.principal, actor.ip.as_str());
    let mut tx = store.begin_locked(license_id).await?;
    let managed = manage(&mut tx, who, license_id).await?;
    let seat = seat_of(&mut tx, license_id, account_id).await?;
    if seat.role == LicenseRole::Manager {
        keep_one_manager(&mut tx, license_id).await?;
    }
    let devices = devices::deactivate(
        &mut tx,
        Deactivate::OfAccount {
            license_id,
            account_id,
        },
        Some(&who.account_id),
        DeactivationReason::Unassigned,
        now_millis(),
    )
    .await? as i64;
    seats::remove(&mut tx, Seats::Of(license_id, account_id)).await?;
    // Whatever the person had open must not outlive the seat: they log in afresh.
    sessions::end(&mut tx, Sessions::Account(account_id)).await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &managed.tenant_id,
            license_id: Some(license_id),
            actor_id: Some(&who.account_id),
            action: AuditAction::UserUnassigned,
            subject: AuditSubject::Unassigned {
                name: seat.name.clone(),
                email: seat.email.clone(),
                devices,
            },
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(UserChange {
        license_id: license_id.to_owned(),
        account_id: account_id.to_owned(),
        name: seat.name,
        devices_deactivated: devices,
    })
}

/// Makes a license user a manager of the license, or a manager a plain user again; the last
/// manager stays a manager.
pub async fn set_role(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    account_id: &str,
    role: LicenseRole,
) -> Result<UserChange> {
    let (who, ip) = (&actor.principal, actor.ip.as_str());
    let mut tx = store.begin_locked(license_id).await?;
    let managed = manage(&mut tx, who, license_id).await?;
    let seat = seat_of(&mut tx, license_id, account_id).await?;
    if seat.role == role {
        let name = seat.name;
        return Err(AppError::conflict(match role {
            LicenseRole::Manager => ConflictReason::AlreadyManager { name },
            LicenseRole::User => ConflictReason::AlreadyUser { name },
        }));
    }
    if seat.role == LicenseRole::Manager {
        keep_one_manager(&mut tx, license_id).await?;
    }
    seats::set_role(&mut tx, license_id, account_id, role.as_str()).await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &managed.tenant_id,
            license_id: Some(license_id),
            actor_id: Some(&who.account_id),
            action: AuditAction::UserRoleChanged,
            subject: AuditSubject::RoleChanged {
                name: seat.name.clone(),
                email: seat.email.clone(),
                role,
            },
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(UserChange {
        license_id: license_id.to_owned(),
        account_id: account_id.to_owned(),
        name: seat.name,
        devices_deactivated: 0,
    })
}

/// Gives an account of the license's customer a seat without asking who is calling: for the
/// vendor's own tools and the demo seed. Portal requests go through [`assign`].
pub async fn grant_seat(
    store: &Store,
    license_id: &str,
    account_id: &str,
    role: LicenseRole,
    actor: Option<&str>,
) -> Result<()> {
    let mut tx = store.begin_locked(license_id).await?;
    let row = license_row(&mut tx, license_id).await?;
    // No guard: the caller is the vendor's own tooling, not a request.
    let license = ManagerGrant {
        license_id: license_id.to_owned(),
        tenant_id: row.tenant_id,
        customer_id: row.customer_id,
    };
    seat_account(
        &mut tx,
        &license,
        license_id,
        account_id,
        role,
        (actor, None),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives an existing account of the license's customer a seat and audits it, in the caller's
/// locked transaction; returns the person's name. `by` is who acted and from where.
async fn seat_account(
    tx: &mut Tx,
    license: &ManagerGrant,
    license_id: &str,
    account_id: &str,
    role: LicenseRole,
    by: (Option<&str>, Option<&str>),
) -> Result<String> {
    let (name, email) = customer_account(tx, &license.customer_id, account_id).await?;
    take_seat(tx, license_id, account_id, role).await?;
    audit::record(
        tx,
        Event {
            tenant_id: &license.tenant_id,
            license_id: Some(license_id),
            actor_id: by.0,
            action: AuditAction::UserAssigned,
            subject: AuditSubject::Account {
                name: name.clone(),
                email: email.clone(),
                assigned: false,
            },
            ip: by.1,
        },
    )
    .await?;
    Ok(name)
}

/// The seat rule, in one place: refused past `max_users` and for someone already seated. Runs in
/// the caller's locked transaction.
pub(super) async fn take_seat(
    tx: &mut Tx,
    license_id: &str,
    account_id: &str,
    role: LicenseRole,
) -> Result<()> {
    let license = license_row(tx, license_id).await?;
    if seats::count(tx, Seats::Of(license_id, account_id)).await? > 0 {
        return Err(AppError::conflict(ConflictReason::AlreadyAssigned));
    }
    if license.seats_used >= license.max_users {
        return Err(AppError::SeatLimitReached {
            allowed: license.max_users,
        });
    }
    seats::insert(tx, license_id, account_id, role.as_str(), now_millis()).await?;
    Ok(())
}

struct Seat {
    name: String,
    email: String,
    role: LicenseRole,
}

/// Someone's seat on this license, or `NotFound` when they hold none.
async fn seat_of(tx: &mut Tx, license_id: &str, account_id: &str) -> Result<Seat> {
    let seat = seats::get(tx, license_id, account_id)
        .await?
        .ok_or_else(|| AppError::not_found(Thing::User))?;
    Ok(Seat {
        role: LicenseRole::parse(&seat.role).ok_or(AppError::Internal)?,
        name: seat.name,
        email: seat.email,
    })
}

/// Refuses to take away the license's last manager: nobody could manage it any more.
async fn keep_one_manager(tx: &mut Tx, license_id: &str) -> Result<()> {
    let manager = LicenseRole::Manager.as_str();
    let managers = seats::count(tx, Seats::InRole(license_id, manager)).await?;
    if managers <= 1 {
        return Err(AppError::conflict(ConflictReason::LastManager));
    }
    Ok(())
}
