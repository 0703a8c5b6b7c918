//! Demo data for `make run` and for trying Keyport out: two vendor tenants, so tenant isolation
//! can be seen, and a license with devices, so the deactivation limit can be reached by hand.

use crate::auth::AccountKind;
use crate::devices::{self, DeviceInfo, NewActivation};
use crate::error::Result;
use crate::licenses::{self, LicenseRole, LicenseType, NewLicense};
use crate::now_millis;
use crate::store::Store;
use crate::tenants::{create_account, create_customer, create_tenant, NewAccount};
use crate::users;

pub const DEMO_PASSWORD: &str = "keyport-demo";

/// The logins the demo creates, printed by the server at start.
pub const DEMO_LOGINS: [(&str, &str, &str); 6] = [
    (
        "CodeGlass",
        "manager@acme.example",
        "license manager of Acme Corp",
    ),
    (
        "CodeGlass",
        "user@acme.example",
        "license user of Acme Corp",
    ),
    (
        "CodeGlass",
        "admin@codeglass.example",
        "vendor admin of CodeGlass (the vendor console)",
    ),
    (
        "OtherSoft",
        "manager@globex.example",
        "license manager of Globex Ltd",
    ),
    (
        "OtherSoft",
        "user@globex.example",
        "license user of Globex Ltd",
    ),
    (
        "OtherSoft",
        "admin@othersoft.example",
        "vendor admin of OtherSoft (the vendor console)",
    ),
];

/// The demo's vendors: company ID, vendor name, customer name, email domain, product.
const DEMO_VENDORS: [(&str, &str, &str, &str, &str); 2] = [
    ("CodeGlass", "CodeGlass", "Acme Corp", "acme", "CodeGlass"),
    (
        "OtherSoft",
        "OtherSoft",
        "Globex Ltd",
        "globex",
        "OtherSoft Studio",
    ),
];

const YEAR_MS: i64 = 365 * 24 * 60 * 60 * 1000;

/// What a seeded vendor tenant holds, for the admin command and tests to print or use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoTenant {
    pub company_id: String,
    pub tenant_id: String,
    pub license_id: String,
    /// A license key for the demo license, for activating the desktop app without a login.
    /// Shown only here: the database keeps its hash.
    pub license_key: String,
}

/// Seeds the demo data when the database has no tenant yet; returns the seeded tenants (none
/// when the database was not empty).
pub async fn seed_if_empty(store: &Store) -> Result<Vec<DemoTenant>> {
    let tenants = {
        let mut conn = store.conn().await?;
        crate::store::tenants::count(&mut conn).await?
    };
    if tenants > 0 {
        return Ok(Vec::new());
    }
    let mut seeded = Vec::with_capacity(DEMO_VENDORS.len());
    for (company, vendor, customer, domain, product) in DEMO_VENDORS {
        seeded.push(seed_vendor(store, company, vendor, customer, domain, product).await?);
    }
    Ok(seeded)
}

/// The seeded vendor admin's email: `admin@codeglass.example` for the vendor "CodeGlass".
pub fn admin_email(vendor_name: &str) -> String {
    let host: String = vendor_name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("admin@{host}.example")
}

/// One vendor tenant with its vendor admin ([`admin_email`]), a customer, its manager and user
/// (password [`DEMO_PASSWORD`] for all), an Organisation license (5 seats, 10 devices, 3 deactivations, one year), four active devices
/// and a license key. Tests call it with a fresh company ID to get a world of their own.
pub async fn seed_vendor(
    store: &Store,
    company_id: &str,
    vendor_name: &str,
    customer_name: &str,
    domain: &str,
    product: &str,
) -> Result<DemoTenant> {
    let tenant = create_tenant(store, company_id, vendor_name).await?;
    let customer = create_customer(store, &tenant, customer_name).await?;
    let account = |email: String, name: &'static str| {
        let (tenant, customer) = (tenant.clone(), customer.clone());
        async move {
            create_account(
                store,
                &NewAccount {
                    tenant_id: &tenant,
                    customer_id: Some(&customer),
                    kind: AccountKind::Customer,
                    email: &email,
                    name,
                    password: DEMO_PASSWORD,
                },
            )
            .await
        }
    };
    create_account(
        store,
        &NewAccount {
            tenant_id: &tenant,
            customer_id: None,
            kind: AccountKind::VendorAdmin,
            email: &admin_email(vendor_name),
            name: "Vera Vendor",
            password: DEMO_PASSWORD,
        },
    )
    .await?;
    let manager = account(format!("manager@{domain}.example"), "Morgan Manager").await?;
    let user = account(format!("user@{domain}.example"), "Uma User").await?;
    let now = now_millis();
    let license = licenses::create(
        store,
        &NewLicense {
            tenant_id: tenant.clone(),
            customer_id: customer,
            product: product.into(),
            license_type: LicenseType::Organisation,
            subscriptions: 1,
            seats_per_subscription: 5,
            max_activations: 10,
            max_deactivations: 3,
            valid_from: now,
            valid_until: now + YEAR_MS,
            owner_account_id: manager.clone(),
        },
        None,
    )
    .await?;
    users::grant_seat(store, &license, &user, LicenseRole::User, None).await?;
    let devices = [
        (&user, "uma-laptop", "Uma's laptop", "Windows 11"),
        (&user, "uma-desktop", "Uma's desktop", "Ubuntu 24.04"),
        (&manager, "morgan-mbp", "Morgan's MacBook", "macOS 15"),
        (&manager, "morgan-ws", "Morgan's workstation", "Windows 11"),
    ];
    for (who, hardware, name, os) in devices {
        devices::activate(
            store,
            &NewActivation {
                license_id: &license,
                account_id: Some(who),
                device: DeviceInfo {
                    hardware_id: &format!("{domain}-{hardware}"),
                    name,
                    os,
                },
            },
            "127.0.0.1",
        )
        .await?;
    }
    let license_key = licenses::issue_key(store, &license).await?;
    Ok(DemoTenant {
        company_id: company_id.to_owned(),
        tenant_id: tenant,
        license_id: license,
        license_key,
    })
}

#[cfg(test)]
mod tests {
    use super::{admin_email, DEMO_LOGINS, DEMO_VENDORS};

    /// The banner and the README print `DEMO_LOGINS`: every account the demo seeds with the
    /// published password must be on it, or an operator cannot know to remove it.
    #[test]
    fn every_seeded_login_is_listed() {
        for (company, vendor, _, domain, _) in DEMO_VENDORS {
            for email in [
                admin_email(vendor),
                format!("manager@{domain}.example"),
                format!("user@{domain}.example"),
            ] {
                assert!(
                    DEMO_LOGINS
                        .iter()
                        .any(|(c, e, _)| *c == company && *e == email),
                    "{company} {email} is not in DEMO_LOGINS"
                );
            }
        }
        assert_eq!(DEMO_LOGINS.len(), 3 * DEMO_VENDORS.len());
    }

    /// The README and `make run`'s banner tell apps built on LicenseSpring's SDK to send
    /// `product="codeglass"` for the demo's CodeGlass.
    #[test]
    fn the_demo_product_short_code_is_codeglass() {
        let (_, _, _, _, product) = DEMO_VENDORS[0];
        assert_eq!(crate::products::short_code_for(product), "codeglass");
    }
}
