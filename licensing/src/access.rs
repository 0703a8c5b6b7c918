//! Who may do what: every "may this caller do this" of the services, one guard per capability.
//!
//! A guard either refuses or returns a grant saying what the caller was given (the license and
//! their role on it, the device, the vendor's tenant), and the service works from the grant
//! rather than checking again. Two rules hold for every guard, so they live here once:
//! - Everything is scoped to the caller's tenant, and an id of another tenant or customer is
//!   `NotFound`, exactly like an id that does not exist: a refusal must not tell a stranger that
//!   the thing is there.
//! - `Forbidden` is only for what the caller can see but not change (a license user asking for a
//!   manager's action, a customer asking for the vendor console).
//!
//! Guards that decide on rows a change depends on run inside the service's locked transaction
//! (they take a connection), so the answer cannot go stale before the change commits.

use sqlx::AnyConnection;

use crate::auth::{AccountKind, Principal};
use crate::error::{AppError, Result, Thing};
use crate::licenses::LicenseRole;
use crate::store::{customers, devices, licenses, seats};

/// Who is asking and from where: the logged-in account a request acts for and the client address
/// its audit events record. One value travels from the server function or handler through the
/// service, so the two cannot be mixed up with other `&str` parameters or go missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub principal: Principal,
    /// The client's address, or what the change came from (`admin command`) where there is none.
    pub ip: String,
}

impl Actor {
    pub fn new(principal: Principal, ip: impl Into<String>) -> Self {
        Self {
            principal,
            ip: ip.into(),
        }
    }
}

/// A license the caller may see, and their role on it. Vendor admins hold the manager role on
/// every license of their own tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseGrant {
    pub license_id: String,
    pub role: LicenseRole,
    /// The license's tenant, which is the caller's.
    pub tenant_id: String,
    pub customer_id: String,
}

/// A license the caller manages (a license manager, or a vendor admin of its tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerGrant {
    pub license_id: String,
    pub tenant_id: String,
    pub customer_id: String,
}

/// A device the caller may reset: any device of a license they manage, or one they activated
/// themselves on a license they use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceGrant {
    pub device_id: String,
    pub license: LicenseGrant,
}

/// The caller is vendor staff of this tenant: the vendor console's actions are theirs, on this
/// tenant's data only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorGrant {
    pub tenant_id: String,
}

/// A license of the vendor's tenant, for a vendor action on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorLicenseGrant {
    pub tenant_id: String,
    pub license_id: String,
}

/// A customer of the vendor's tenant, for a vendor action on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerGrant {
    pub tenant_id: String,
    pub customer_id: String,
}

/// May the caller see this license: their role on it, or `NotFound` when it is in another tenant
/// or they hold no seat on it.
pub async fn license(
    conn: &mut AnyConnection,
    who: &Principal,
    license_id: &str,
) -> Result<LicenseGrant> {
    let found = match who.kind {
        // Vendor staff manage every license of their tenant.
        AccountKind::VendorAdmin => licenses::customer_in_tenant(conn, license_id, &who.tenant_id)
            .await?
            .map(|customer_id| (LicenseRole::Manager.as_str().to_owned(), customer_id)),
        AccountKind::Customer => {
            seats::role_on(conn, license_id, &who.account_id, &who.tenant_id).await?
        }
    };
    let Some((role, customer_id)) = found else {
        return Err(AppError::not_found(Thing::License));
    };
    Ok(LicenseGrant {
        license_id: license_id.to_owned(),
        role: LicenseRole::parse(&role).ok_or_else(|| AppError::not_found(Thing::License))?,
        tenant_id: who.tenant_id.clone(),
        customer_id,
    })
}

/// May the caller manage this license (reset it, its users, its log, offline activation): a
/// license user is `Forbidden`, a license they cannot see `NotFound`.
pub async fn manager(
    conn: &mut AnyConnection,
    who: &Principal,
    license_id: &str,
) -> Result<ManagerGrant> {
    let grant = license(conn, who, license_id).await?;
    if grant.role != LicenseRole::Manager {
        return Err(AppError::Forbidden);
    }
    Ok(ManagerGrant {
        license_id: grant.license_id,
        tenant_id: grant.tenant_id,
        customer_id: grant.customer_id,
    })
}

/// The license a device of the caller's tenant is on, so a service can lock that license before
/// [`device`] decides; `NotFound` for a device of another tenant or none.
pub async fn device_license(
    conn: &mut AnyConnection,
    who: &Principal,
    device_id: &str,
) -> Result<String> {
    devices::license_in_tenant(conn, device_id, &who.tenant_id)
        .await?
        .ok_or_else(|| AppError::not_found(Thing::Device))
}

/// May the caller reset this device: a manager any device of the license, a license user only
/// one they activated (`Forbidden` otherwise). A device on a license they cannot see is
/// `NotFound` as a device, not as a license: the id they gave was a device's.
pub async fn device(
    conn: &mut AnyConnection,
    who: &Principal,
    device_id: &str,
) -> Result<DeviceGrant> {
    let license_id = device_license(conn, who, device_id).await?;
    let license = license(conn, who, &license_id)
        .await
        .map_err(|_| AppError::not_found(Thing::Device))?;
    if license.role == LicenseRole::User {
        let owner = devices::owner(conn, device_id).await?;
        if owner.as_deref() != Some(who.account_id.as_str()) {
            return Err(AppError::Forbidden);
        }
    }
    Ok(DeviceGrant {
        device_id: device_id.to_owned(),
        license,
    })
}

/// Is the caller vendor staff: the guard of every vendor-console action and admin command. A
/// customer is `Forbidden` (they know the console exists); what the grant reaches is their own
/// tenant only.
pub fn vendor_admin(who: &Principal) -> Result<VendorGrant> {
    match who.kind {
        AccountKind::VendorAdmin => Ok(VendorGrant {
            tenant_id: who.tenant_id.clone(),
        }),
        AccountKind::Customer => Err(AppError::Forbidden),
    }
}

/// A license of the vendor's own tenant; another tenant's is `NotFound`.
pub async fn vendor_license(
    conn: &mut AnyConnection,
    vendor: &VendorGrant,
    license_id: &str,
) -> Result<VendorLicenseGrant> {
    Ok(VendorLicenseGrant {
        tenant_id: vendor.tenant_id.clone(),
        license_id: licenses::customer_in_tenant(conn, license_id, &vendor.tenant_id)
            .await?
            .map(|_| license_id.to_owned())
            .ok_or_else(|| AppError::not_found(Thing::License))?,
    })
}

/// A customer of the vendor's own tenant; another tenant's is `NotFound`.
pub async fn vendor_customer(
    conn: &mut AnyConnection,
    vendor: &VendorGrant,
    customer_id: &str,
) -> Result<CustomerGrant> {
    Ok(CustomerGrant {
        tenant_id: vendor.tenant_id.clone(),
        customer_id: customers::name_in_tenant(conn, customer_id, &vendor.tenant_id)
            .await?
            .map(|_| customer_id.to_owned())
            .ok_or_else(|| AppError::not_found(Thing::Customer))?,
    })
}
