//! The `/api/v4` calls on Keyport's own services: which license a LicenseSpring app's request
//! names, and activation, check and deactivation through the same rules, limits and audit log as
//! `/api/v1` and the portal. No rule lives here that the device API does not share.
//!
//! The API key has already named the tenant ([`super::authenticate`]): every lookup below is
//! within it, so a key, an account or a product of another tenant is simply not found.

use super::error::V4Error;
use super::license::{numeric_id, LicenseFor, LicenseObject, LicenseUser};
use crate::auth::throttle::ThrottlePolicy;
use crate::auth::{authenticate, Credentials};
use crate::devices::{self, ActivationAuth, ActivationTarget, AppDeactivation, DeviceInfo};
use crate::error::{AppError, Thing};
use crate::input::normalised_email;
use crate::licenses::{self, License, LicenseStatus, LicenseType};
use crate::products::{self, Product};
use crate::store::{accounts, tenants, Store};

/// What identifies the license in a request: the ID block of the contract (section 3).
#[derive(Debug, Clone, Copy, Default)]
pub struct LicenseRequest<'a> {
    pub product: &'a str,
    pub hardware_id: &'a str,
    pub license_key: Option<&'a str>,
    pub username: Option<&'a str>,
    /// Sent on activation by user only.
    pub password: Option<&'a str>,
    /// The `id` an earlier answer gave, echoed once the app knows it (a decimal string).
    pub license_id: Option<&'a str>,
}

/// The machine as the SDK describes it on activation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Machine<'a> {
    pub hostname: &'a str,
    pub os_ver: &'a str,
}

/// The person a user-based license answer names.
#[derive(Debug, Clone)]
pub struct Holder {
    pub account_id: String,
    pub email: String,
    pub name: String,
}

/// A license as one answer shows it: owned, so a handler can serialise it after the services
/// returned.
#[derive(Debug, Clone)]
pub struct LicenseAnswer {
    pub license: License,
    pub product: Product,
    pub license_key: Option<String>,
    pub user: Option<Holder>,
    pub hardware_id: String,
}

impl LicenseAnswer {
    pub fn object(&self) -> LicenseObject<'_> {
        LicenseFor {
            license: &self.license,
            short_code: &self.product.short_code,
            license_key: self.license_key.as_deref(),
            user: self.user.as_ref().map(|u| LicenseUser {
                account_id: &u.account_id,
                email: &u.email,
                name: &u.name,
            }),
            hardware_id: &self.hardware_id,
        }
        .object()
    }
}

/// The tenant's product with the code the app sent: `unknown_product` when it has none.
pub async fn product(store: &Store, tenant_id: &str, code: &str) -> Result<Product, V4Error> {
    if code.trim().is_empty() {
        return Err(V4Error::MissingParameter("product"));
    }
    products::by_code(store, tenant_id, code)
        .await?
        .ok_or(V4Error::UnknownProduct)
}

/// How a machine asks for its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The app online (`activate_license`).
    App,
    /// A request file of a machine without a connection (`activate_offline`): Offline
    /// Organisation licenses only, like the portal's own offline files.
    OfflineFile,
}

/// `activate_license`: by license key (throttled per address like `/api/v1`'s) or by the
/// portal's email and password (the portal's login throttle), a slot taken through the one
/// activation path (idempotent for a hardware id already active; `license_activated_max_times`
/// when full).
pub async fn activate(
    store: &Store,
    tenant_id: &str,
    request: &LicenseRequest<'_>,
    machine: &Machine<'_>,
    ip: &str,
    throttle: &ThrottlePolicy,
    via: Via,
) -> Result<LicenseAnswer, V4Error> {
    let product = product(store, tenant_id, request.product).await?;
    let hardware_id = hardware_id(request)?;
    let (target, user) = match (request.license_key, request.username) {
        (Some(key), _) if !key.trim().is_empty() => {
            let target = devices::activation_target(
                store,
                &ActivationAuth::LicenseKey(key.to_owned()),
                ip,
                throttle,
            )
            .await
            // Keys are looked up before any tenant is known: an unknown one is not found here.
            .map_err(|err| match err {
                AppError::InvalidCredentials => AppError::not_found(Thing::License),
                other => other,
            })?;
            if target.tenant_id != tenant_id {
                return Err(AppError::not_found(Thing::License).into());
            }
            (target, None)
        }
        (_, Some(email)) if !email.trim().is_empty() => {
            let password = request
                .password
                .filter(|p| !p.is_empty())
                .ok_or(V4Error::MissingParameter("password"))?;
            let mut conn = store.conn().await?;
            let company = tenants::company_key(&mut conn, tenant_id)
                .await?
                .ok_or(AppError::Internal)?;
            drop(conn);
            let creds = Credentials {
                company,
                email: email.to_owned(),
                password: password.to_owned(),
            };
            let who = authenticate(store, &creds, ip, throttle).await?;
            let license = users_license(
                store,
                tenant_id,
                &who.account_id,
                &product,
                request.license_id,
            )
            .await?;
            let target = ActivationTarget {
                tenant_id: tenant_id.to_owned(),
                license_id: license.id,
                account_id: Some(who.account_id.clone()),
            };
            let holder = Holder {
                account_id: who.account_id,
                email: who.email,
                name: who.name,
            };
            (target, Some(holder))
        }
        _ => return Err(V4Error::MissingParameter("license_key")),
    };
    let license = licenses::for_app(store, &target.license_id).await?;
    if license.product != product.name {
        return Err(AppError::not_found(Thing::License).into());
    }
    refuse_inactive(&license)?;
    if via == Via::OfflineFile && license.license_type != LicenseType::OfflineOrganisation {
        return Err(V4Error::OfflineNotAllowed);
    }
    // What the SDK reads off the machine, which its user cannot change: cut to Keyport's limits
    // rather than refused.
    let name = clip(
        first_filled(&[machine.hostname, hardware_id]),
        devices::MAX_DEVICE_NAME,
    );
    let os = clip(first_filled(&[machine.os_ver, "unknown"]), devices::MAX_OS);
    let device = DeviceInfo {
        hardware_id,
        name,
        os,
    };
    let activated = match via {
        Via::App => devices::activate_device(store, &target, &device, ip)
            .await
            .map(|_| ()),
        Via::OfflineFile => devices::activate_offline(store, &target, &device, ip)
            .await
            .map(|_| ()),
    };
    if let Err(err) = activated {
        // Suspended or expired in between: say which.
        if matches!(err, AppError::LicenseInactive) {
            refuse_inactive(&licenses::for_app(store, &target.license_id).await?)?;
        }
        return Err(err.into());
    }
    Ok(LicenseAnswer {
        license: licenses::for_app(store, &target.license_id).await?,
        product,
        license_key: request.license_key.map(str::to_owned),
        user,
        hardware_id: hardware_id.to_owned(),
    })
}

/// `check_license`: the license as it is now, for a machine active on it (`device_not_found`
/// otherwise); an expired or suspended license is refused with its own code, which the SDK turns
/// into its license-state errors.
pub async fn check(
    store: &Store,
    tenant_id: &str,
    request: &LicenseRequest<'_>,
) -> Result<LicenseAnswer, V4Error> {
    let product = product(store, tenant_id, request.product).await?;
    let hardware_id = hardware_id(request)?;
    let (license, user) = named_license(store, tenant_id, request, &product).await?;
    refuse_inactive(&license)?;
    // A check-in changes nothing the answer shows of the license: the one just read is current.
    devices::check_in_hardware(store, &license.id, hardware_id).await?;
    Ok(LicenseAnswer {
        license,
        product,
        license_key: request.license_key.map(str::to_owned),
        user,
        hardware_id: hardware_id.to_owned(),
    })
}

/// `deactivate_license`: the machine gives its slot back, spending one deactivation like a reset
/// in the portal (`deactivation_limit_reached` when the budget is spent). Allowed whatever the
/// license's status, so a customer can always move off an expired license's machine.
pub async fn deactivate(
    store: &Store,
    tenant_id: &str,
    request: &LicenseRequest<'_>,
    ip: &str,
) -> Result<AppDeactivation, V4Error> {
    let product = product(store, tenant_id, request.product).await?;
    let hardware_id = hardware_id(request)?;
    let (license, _) = named_license(store, tenant_id, request, &product).await?;
    Ok(devices::deactivate_hardware(store, &license.id, hardware_id, ip).await?)
}

fn hardware_id<'a>(request: &LicenseRequest<'a>) -> Result<&'a str, V4Error> {
    match request.hardware_id.trim() {
        "" => Err(V4Error::MissingParameter("hardware_id")),
        _ => Ok(request.hardware_id),
    }
}

fn first_filled<'a>(candidates: &[&'a str]) -> &'a str {
    candidates
        .iter()
        .copied()
        .find(|s| !s.trim().is_empty())
        .unwrap_or_default()
}

fn clip(text: &str, max_chars: usize) -> &str {
    let text = text.trim();
    text.char_indices()
        .nth(max_chars)
        .map_or(text, |(end, _)| &text[..end])
}

/// An expired license is `license_expired`, a suspended one `license_not_active`.
fn refuse_inactive(license: &License) -> Result<(), V4Error> {
    match license.status {
        LicenseStatus::Expired => Err(V4Error::LicenseExpired),
        LicenseStatus::Suspended => Err(AppError::LicenseInactive.into()),
        _ => Ok(()),
    }
}

/// The license a check or deactivation names: by its key, or by the `username` an activation
/// answered with (no password: the API key is the authority, as on LicenseSpring).
async fn named_license(
    store: &Store,
    tenant_id: &str,
    request: &LicenseRequest<'_>,
    product: &Product,
) -> Result<(License, Option<Holder>), V4Error> {
    let not_found = || V4Error::App(AppError::not_found(Thing::License));
    match (request.license_key, request.username) {
        (Some(key), _) if !key.trim().is_empty() => {
            let (license_id, key_tenant) = licenses::license_for_key(store, key)
                .await?
                .ok_or_else(not_found)?;
            if key_tenant != tenant_id {
                return Err(not_found());
            }
            let license = licenses::for_app(store, &license_id).await?;
            if license.product != product.name {
                return Err(not_found());
            }
            Ok((license, None))
        }
        (_, Some(email)) if !email.trim().is_empty() => {
            let mut conn = store.conn().await?;
            let account =
                accounts::by_email_in_tenant(&mut conn, tenant_id, &normalised_email(email))
                    .await?
                    .ok_or_else(not_found)?;
            drop(conn);
            let license =
                users_license(store, tenant_id, &account.id, product, request.license_id).await?;
            let holder = Holder {
                account_id: account.id,
                email: account.email,
                name: account.name,
            };
            Ok((license, Some(holder)))
        }
        _ => Err(V4Error::MissingParameter("license_key")),
    }
}

/// The account's license of the product: the one whose `id` the app echoes when it sends one,
/// else an active one before an inactive one. `license_not_found` when it holds none.
async fn users_license(
    store: &Store,
    tenant_id: &str,
    account_id: &str,
    product: &Product,
    echoed_id: Option<&str>,
) -> Result<License, V4Error> {
    let mut held: Vec<License> = licenses::of_account_for_app(store, tenant_id, account_id)
        .await?
        .into_iter()
        .filter(|l| l.product == product.name)
        .filter(|l| echoed_id.is_none_or(|id| id.trim() == numeric_id(&l.id).to_string()))
        .collect();
    held.sort_by_key(|l| l.status != LicenseStatus::Active);
    held.into_iter()
        .next()
        .ok_or_else(|| AppError::not_found(Thing::License).into())
}
