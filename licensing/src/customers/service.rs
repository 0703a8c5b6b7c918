//! The customer services of the vendor console; vendor staff only, their own tenant only.

use sqlx::Row;

use super::{CustomerAccount, CustomerDetail, CustomerSummary, Seat};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::Principal;
use crate::error::{AppError, Field, InvalidReason, Result, Thing};
use crate::licenses::{self, LicenseRole};
use crate::now_millis;
use crate::store::{new_id, Store};

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

fn checked_name(name: &str) -> Result<&str> {
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
    let rows = sqlx::query(
        "SELECT c.id, c.name, c.created_at, \
            (SELECT COUNT(*) FROM licenses l WHERE l.customer_id = c.id) AS licenses, \
            (SELECT COUNT(*) FROM accounts a WHERE a.customer_id = c.id) AS accounts \
         FROM customers c WHERE c.tenant_id = $1 AND LOWER(c.name) LIKE $2 ORDER BY c.name, c.id",
    )
    .bind(&vendor.tenant_id)
    .bind(contains_pattern(search))
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CustomerSummary {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                licenses: row.try_get("licenses")?,
                accounts: row.try_get("accounts")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// Creates a customer of the caller's tenant; returns its id.
pub async fn create(store: &Store, actor: &Actor, name: &str) -> Result<String> {
    let (who, ip) = (&actor.principal, actor.ip.as_str());
    let vendor = access::vendor_admin(who)?;
    let name = checked_name(name)?;
    let id = new_id();
    let mut tx = store.begin().await?;
    sqlx::query("INSERT INTO customers (id, tenant_id, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(&vendor.tenant_id)
        .bind(name)
        .bind(now_millis())
        .execute(&mut *tx)
        .await?;
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
    let changed = sqlx::query("UPDATE customers SET name = $1 WHERE id = $2 AND tenant_id = $3")
        .bind(name)
        .bind(id)
        .bind(&vendor.tenant_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
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
    let row =
        sqlx::query("SELECT id, name, created_at FROM customers WHERE id = $1 AND tenant_id = $2")
            .bind(id)
            .bind(&vendor.tenant_id)
            .fetch_optional(store.pool())
            .await?
            .ok_or_else(|| AppError::not_found(Thing::Customer))?;
    let seats = sqlx::query(
        "SELECT a.id, a.name, a.email, lu.role, l.product FROM accounts a \
         LEFT JOIN license_users lu ON lu.account_id = a.id \
         LEFT JOIN licenses l ON l.id = lu.license_id \
         WHERE a.customer_id = $1 ORDER BY a.name, a.email, l.product",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await?;
    let mut accounts: Vec<CustomerAccount> = Vec::new();
    for seat in &seats {
        let account_id: String = seat.try_get("id")?;
        if accounts.last().map(|a| &a.id) != Some(&account_id) {
            accounts.push(CustomerAccount {
                id: account_id,
                name: seat.try_get("name")?,
                email: seat.try_get("email")?,
                seats: Vec::new(),
            });
        }
        let role: Option<String> = seat.try_get("role")?;
        let product: Option<String> = seat.try_get("product")?;
        if let (Some(role), Some(product), Some(account)) = (role, product, accounts.last_mut()) {
            let role = LicenseRole::parse(&role).ok_or(AppError::Internal)?;
            account.seats.push(Seat { role, product });
        }
    }
    Ok(CustomerDetail {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
        licenses: licenses::list_for_customer(store, who, id).await?,
        accounts,
    })
}
