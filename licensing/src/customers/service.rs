//! The customer services of the vendor console; vendor staff only, their own tenant only.

use super::{CustomerAccount, CustomerDetail, CustomerSummary, Seat};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::Principal;
use crate::error::{AppError, Field, InvalidReason, Result, Thing};
use crate::licenses::{self, LicenseRole};
use crate::now_millis;
use crate::store::customers as rows;
use crate::store::{accounts, new_id, Store};

/// A `LIKE` pattern matching names that contain `search`, case-insensitively; wildcards typed by
/// the user match literally nothing special.
pub(crate) fn contains_pattern(search: Option<&str>) -> String {
    let text = search
        .unwrap_or_default()
        .trim()
        .to_lowercase()
        .replace(['%', '_', '\\'], "");
    format!("%{text}%")
}

pub(crate) fn checked_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(Field::Name, InvalidReason::Required));
    }
    if name.chars().count() > 200 {
        return Err(AppError::invalid(
            Field::Name,
            InvalidReason::TooLong { max: 200 },
        ));
    }
    Ok(name)
}

/// The tenant's customers whose name contains `search`, by name.
pub async fn list(
    store: &Store,
    who: &Principal,
    search: Option<&str>,
) -> Result<Vec<CustomerSummary>> {
    let vendor = access::vendor_admin(who)?;
    let mut conn = store.conn().await?;
    Ok(
        rows::matching(&mut conn, &vendor.tenant_id, &contains_pattern(search))
            .await?
            .into_iter()
            .map(summary)
            .collect(),
    )
}

fn summary(row: rows::CustomerRow) -> CustomerSummary {
    CustomerSummary {
        id: row.id,
        name: row.name,
        licenses: row.licenses,
        accounts: row.accounts,
        created_at: row.created_at,
    }
}

/// Creates a customer of the caller's tenant; returns its id.
pub async fn create(store: &Store, actor: &Actor, name: &str) -> Result<String> {
    let (who, ip) = (&actor.principal, actor.ip.as_str());
    let vendor = access::vendor_admin(who)?;
    let name = checked_name(name)?;
    let id = new_id();
    let mut tx = store.begin().await?;
    rows::insert(&mut tx, &id, &vendor.tenant_id, name, now_millis()).await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &vendor.tenant_id,
            license_id: None,
            actor_id: Some(&who.account_id),
            action: AuditAction::CustomerCreated,
            subject: AuditSubject::Customer {
                name: name.to_owned(),
            },
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames a customer of the caller's tenant.
pub async fn rename(store: &Store, actor: &Actor, id: &str, name: &str) -> Result<()> {
    let (who, ip) = (&actor.principal, actor.ip.as_str());
    let vendor = access::vendor_admin(who)?;
    let name = checked_name(name)?;
    let mut tx = store.begin().await?;
    if !rows::rename(&mut tx, id, &vendor.tenant_id, name).await? {
        return Err(AppError::not_found(Thing::Customer));
    }
    audit::record(
        &mut tx,
        Event {
            tenant_id: &vendor.tenant_id,
            license_id: None,
            actor_id: Some(&who.account_id),
            action: AuditAction::CustomerRenamed,
            subject: AuditSubject::Customer {
                name: name.to_owned(),
            },
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A customer of the caller's tenant with its licenses and accounts; another tenant's is
/// `NotFound`.
pub async fn get(store: &Store, who: &Principal, id: &str) -> Result<CustomerDetail> {
    let vendor = access::vendor_admin(who)?;
    let mut conn = store.conn().await?;
    let row = rows::get(&mut conn, id, &vendor.tenant_id)
        .await?
        .ok_or_else(|| AppError::not_found(Thing::Customer))?;
    let mut accounts: Vec<CustomerAccount> = Vec::new();
    for seat in accounts::seats_of_customer(&mut conn, id).await? {
        if accounts.last().map(|a| &a.id) != Some(&seat.id) {
            accounts.push(CustomerAccount {
                id: seat.id,
                name: seat.name,
                email: seat.email,
                seats: Vec::new(),
                invitation_pending: seat.password_set == 0,
            });
        }
        if let (Some(role), Some(product), Some(account)) =
            (seat.role, seat.product, accounts.last_mut())
        {
            let role = LicenseRole::parse(&role).ok_or(AppError::Internal)?;
            account.seats.push(Seat { role, product });
        }
    }
    drop(conn);
    Ok(CustomerDetail {
        id: row.id,
        name: row.name,
        created_at: row.created_at,
        licenses: licenses::list_for_customer(store, who, id).await?,
        accounts,
    })
}
