//! Reading licenses: one the caller may see, those they hold, an app's view of them, and the
//! dashboard. Selling is in `selling`, *Reset license* in `reset`.

use sqlx::AnyConnection;

use super::{Dashboard, License, LicenseRole, LicenseStatus, LicenseType};
use crate::access;
use crate::auth::{AccountKind, Principal};
use crate::error::{AppError, Result, Thing};
use crate::store::licenses::{self as rows, LicenseRow};
use crate::store::seats;
use crate::store::Store;
use crate::{now_millis, Millis};

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
