//! Conformance suite for the licensing services and their storage: every rule of DESIGN.md checked
//! through the public service functions, written once and run unchanged on SQLite and Postgres.
//!
//! Without `KEYPORT_TEST_DATABASE_URL` every test gets its own SQLite file in a scratch directory.
//! With it (a `postgres://` URL) all tests share that database; each seeds its own tenant under a
//! random company ID, so tests never see each other's data and may run in parallel.
//!
//! Every failing operation is checked for its exact error *and* for having changed nothing.

#![cfg(feature = "server")]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use licensing::audit;
use licensing::auth::{self, AccountKind, Credentials, Principal, SessionPolicy};
use licensing::demo::{seed_vendor, DEMO_PASSWORD};
use licensing::devices::{self, Activation, Device, DeviceInfo, NewActivation, ResetOutcome};
use licensing::licenses::{self, License, LicenseRole, LicenseStatus, LicenseType};
use licensing::store::Backend;
use licensing::tenants::{self, NewAccount};
use licensing::{AppError, Store};

const DATABASE_ENV: &str = "KEYPORT_TEST_DATABASE_URL";
const IP: &str = "127.0.0.1";

// ---------------------------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------------------------

/// A scratch directory removed when the test ends (keeps the SQLite file alive until then).
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> Self {
        let path = std::env::temp_dir().join(format!("keyport-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).expect("create scratch dir");
        Self(path)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One seeded vendor tenant, as `demo::seed_vendor` builds it.
struct Tenant {
    company: String,
    vendor: String,
    customer: String,
    domain: String,
    manager: Principal,
    user: Principal,
    license_id: String,
}

impl Tenant {
    fn manager_email(&self) -> String {
        format!("manager@{}.example", self.domain)
    }

    fn user_email(&self) -> String {
        format!("user@{}.example", self.domain)
    }
}

struct World {
    store: Store,
    /// The database URL, so a test can open a second pool (a second "server process").
    url: String,
    a: Tenant,
    _dir: Option<ScratchDir>,
}

impl World {
    async fn add_tenant(&self, vendor: &str, customer: &str, domain: &str) -> Tenant {
        seed_tenant(&self.store, vendor, customer, domain).await
    }
}

/// The database under test: Postgres when `KEYPORT_TEST_DATABASE_URL` is set, else a fresh
/// SQLite file.
async fn database() -> (Store, String, Option<ScratchDir>) {
    match std::env::var(DATABASE_ENV) {
        Ok(url) if !url.trim().is_empty() => {
            let store = Store::connect(&url)
                .await
                .expect("connect to test database");
            assert_eq!(
                store.backend(),
                Backend::Postgres,
                "{DATABASE_ENV} must be postgres"
            );
            (store, url, None)
        }
        _ => {
            let dir = ScratchDir::new();
            let url = format!("sqlite://{}", dir.0.join("keyport.db").display());
            let store = Store::connect(&url)
                .await
                .expect("open SQLite test database");
            assert_eq!(store.backend(), Backend::Sqlite);
            (store, url, Some(dir))
        }
    }
}

/// A fresh database (or a fresh tenant in the shared one) with one seeded vendor: Acme Corp.
async fn world() -> World {
    let (store, url, dir) = database().await;
    let a = seed_tenant(&store, "CodeGlass", "Acme Corp", "acme").await;
    World {
        store,
        url,
        a,
        _dir: dir,
    }
}

/// A company ID nobody else uses, with upper-case letters so case-insensitivity is exercised.
fn fresh_company() -> String {
    format!("Kp-{}", uuid::Uuid::new_v4().simple())
}

async fn seed_tenant(store: &Store, vendor: &str, customer: &str, domain: &str) -> Tenant {
    let company = fresh_company();
    seed_vendor(store, &company, vendor, customer, domain, "CodeGlass")
        .await
        .expect("seed vendor");
    let manager = principal(store, &company, &format!("manager@{domain}.example")).await;
    let user = principal(store, &company, &format!("user@{domain}.example")).await;
    let listed = licenses::list(store, &manager)
        .await
        .expect("list licenses");
    assert_eq!(listed.len(), 1, "seed creates one license");
    Tenant {
        license_id: listed[0].id.clone(),
        company,
        vendor: vendor.into(),
        customer: customer.into(),
        domain: domain.into(),
        manager,
        user,
    }
}

fn creds(company: &str, email: &str, password: &str) -> Credentials {
    Credentials {
        company: company.into(),
        email: email.into(),
        password: password.into(),
    }
}

async fn principal(store: &Store, company: &str, email: &str) -> Principal {
    auth::check_credentials(store, &creds(company, email, DEMO_PASSWORD), IP)
        .await
        .unwrap_or_else(|e| panic!("login {email} at {company}: {e:?}"))
}

/// What the manager sees of a license: its counters and its active devices. Compared before and
/// after a refused operation to prove it changed nothing.
async fn snapshot(store: &Store, manager: &Principal, license_id: &str) -> (License, Vec<Device>) {
    let license = licenses::get(store, manager, license_id)
        .await
        .expect("get license");
    let devices = devices::list(store, manager, license_id)
        .await
        .expect("list devices");
    (license, devices)
}

fn named<'a>(devices: &'a [Device], name: &str) -> &'a Device {
    devices
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no active device named {name:?} in {devices:?}"))
}

fn names(devices: &[Device]) -> BTreeSet<String> {
    devices.iter().map(|d| d.name.clone()).collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

async fn audit_count(store: &Store, license_id: &str, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE license_id = $1 AND action = $2")
        .bind(license_id)
        .bind(action)
        .fetch_one(store.pool())
        .await
        .expect("count audit events")
}

async fn tenant_audit_count(store: &Store, tenant_id: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1")
        .bind(tenant_id)
        .fetch_one(store.pool())
        .await
        .expect("count audit events")
}

async fn session_count(store: &Store, account_id: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(store.pool())
        .await
        .expect("count sessions")
}

async fn activate(
    store: &Store,
    license_id: &str,
    account_id: &str,
    hardware_id: &str,
) -> Result<Activation, AppError> {
    devices::activate(
        store,
        &NewActivation {
            license_id,
            account_id: Some(account_id),
            device: DeviceInfo {
                hardware_id,
                name: &format!("Device {hardware_id}"),
                os: "Linux",
            },
        },
        IP,
    )
    .await
}

async fn set_max_activations(store: &Store, license_id: &str, max: i64) {
    sqlx::query("UPDATE licenses SET max_activations = $1 WHERE id = $2")
        .bind(max)
        .bind(license_id)
        .execute(store.pool())
        .await
        .expect("raise max_activations");
}

async fn new_customer_account(
    store: &Store,
    tenant_id: &str,
    customer_id: &str,
    email: &str,
) -> String {
    tenants::create_account(
        store,
        &NewAccount {
            tenant_id,
            customer_id: Some(customer_id),
            kind: AccountKind::Customer,
            email,
            name: "Extra Person",
            password: DEMO_PASSWORD,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("create account {email}: {e:?}"))
}

// ---------------------------------------------------------------------------------------------
// 1. Login
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn login_checks_company_email_and_password() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);

    let ok = auth::check_credentials(
        store,
        &creds(&a.company, &a.manager_email(), DEMO_PASSWORD),
        IP,
    )
    .await
    .expect("right credentials log in");
    assert_eq!(ok.email, a.manager_email());
    assert_eq!(ok.name, "Morgan Manager");
    assert_eq!(ok.kind, AccountKind::Customer);
    assert_eq!(ok.tenant_name, a.vendor);
    assert!(ok.customer_id.is_some());
    assert_eq!(ok, a.manager);

    // The company ID is matched case-insensitively (and trimmed); so is the email.
    for company in [
        a.company.to_uppercase(),
        a.company.to_lowercase(),
        format!("  {}  ", a.company),
    ] {
        let p =
            auth::check_credentials(store, &creds(&company, &a.user_email(), DEMO_PASSWORD), IP)
                .await
                .unwrap_or_else(|e| panic!("company {company:?} should log in: {e:?}"));
        assert_eq!(p.account_id, a.user.account_id);
    }
    let p = auth::check_credentials(
        store,
        &creds(&a.company, &a.user_email().to_uppercase(), DEMO_PASSWORD),
        IP,
    )
    .await
    .expect("email is case-insensitive");
    assert_eq!(p.account_id, a.user.account_id);

    // Every wrong part gives the same error, so nobody can probe for accounts.
    let wrong = [
        creds(&a.company, &a.manager_email(), "not-the-password"),
        creds(
            &a.company,
            &a.manager_email(),
            &DEMO_PASSWORD.to_uppercase(),
        ),
        creds(&a.company, "nobody@acme.example", DEMO_PASSWORD),
        creds(&fresh_company(), &a.manager_email(), DEMO_PASSWORD),
    ];
    for c in &wrong {
        assert_eq!(
            auth::check_credentials(store, c, IP).await,
            Err(AppError::InvalidCredentials),
            "{c:?}"
        );
    }

    // Empty (or blank) fields are a form error, named after the field.
    let cases = [
        (creds("", &a.manager_email(), DEMO_PASSWORD), "Company ID"),
        (creds(&a.company, "   ", DEMO_PASSWORD), "Email"),
        (creds(&a.company, &a.manager_email(), ""), "Password"),
    ];
    for (c, field) in &cases {
        assert_eq!(
            auth::check_credentials(store, c, IP).await,
            Err(AppError::invalid(field, "is required.")),
            "{c:?}"
        );
    }

    // `login` refuses the same way and opens no session.
    let before = session_count(store, &a.manager.account_id).await;
    assert_eq!(before, 0);
    let refused = auth::login(store, &wrong[0], None, SessionPolicy::default(), IP).await;
    assert_eq!(refused.err(), Some(AppError::InvalidCredentials));
    assert_eq!(session_count(store, &a.manager.account_id).await, 0);
}

// ---------------------------------------------------------------------------------------------
// 2. Sessions
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn sessions_open_end_and_rotate() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = SessionPolicy::default();
    let c = creds(&a.company, &a.manager_email(), DEMO_PASSWORD);

    let s1 = auth::login(store, &c, None, policy, IP)
        .await
        .expect("login");
    assert_eq!(s1.principal, a.manager);
    assert_eq!(s1.token.len(), 64, "32 random bytes, hex");
    assert!(s1.expires_at > licensing::now_millis());
    assert_eq!(
        auth::principal_for_session(store, &s1.token, policy).await,
        Ok(a.manager.clone())
    );
    assert_eq!(session_count(store, &a.manager.account_id).await, 1);

    // An unknown token is not a session.
    assert_eq!(
        auth::principal_for_session(store, &"0".repeat(64), policy).await,
        Err(AppError::Unauthenticated)
    );

    // Logout ends it; logging out twice is fine.
    auth::logout(store, &s1.token).await.expect("logout");
    assert_eq!(
        auth::principal_for_session(store, &s1.token, policy).await,
        Err(AppError::Unauthenticated)
    );
    auth::logout(store, &s1.token)
        .await
        .expect("second logout is not an error");
    assert_eq!(session_count(store, &a.manager.account_id).await, 0);

    // Logging in again with the previous token ends the previous session: the id always changes.
    let s2 = auth::login(store, &c, None, policy, IP)
        .await
        .expect("login");
    let s3 = auth::login(store, &c, Some(&s2.token), policy, IP)
        .await
        .expect("login again");
    assert_ne!(s2.token, s3.token);
    assert_eq!(
        auth::principal_for_session(store, &s2.token, policy).await,
        Err(AppError::Unauthenticated)
    );
    assert_eq!(
        auth::principal_for_session(store, &s3.token, policy).await,
        Ok(a.manager.clone())
    );
    assert_eq!(session_count(store, &a.manager.account_id).await, 1);

    // A second person's session is independent of the first's.
    let u = auth::login(
        store,
        &creds(&a.company, &a.user_email(), DEMO_PASSWORD),
        None,
        policy,
        IP,
    )
    .await
    .expect("user login");
    assert_eq!(
        auth::principal_for_session(store, &u.token, policy).await,
        Ok(a.user.clone())
    );
    auth::logout(store, &s3.token).await.expect("logout");
    assert_eq!(
        auth::principal_for_session(store, &u.token, policy).await,
        Ok(a.user.clone())
    );

    // Sessions past their idle or absolute lifetime are refused.
    let idle = SessionPolicy {
        idle_ms: 0,
        ..policy
    };
    assert_eq!(
        auth::principal_for_session(store, &u.token, idle).await,
        Err(AppError::Unauthenticated)
    );
    let short = SessionPolicy {
        absolute_ms: 0,
        ..policy
    };
    let s4 = auth::login(store, &c, None, short, IP)
        .await
        .expect("login");
    assert_eq!(
        auth::principal_for_session(store, &s4.token, policy).await,
        Err(AppError::Unauthenticated)
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Dashboard
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn dashboard_shows_the_role() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);

    let m = licenses::dashboard(store, &a.manager)
        .await
        .expect("manager dashboard");
    assert_eq!(m.role, Some(LicenseRole::Manager));
    assert_eq!(m.license_count, 1);
    assert_eq!(m.name, "Morgan Manager");
    assert_eq!(m.email, a.manager_email());
    assert_eq!(m.company, a.vendor);
    assert_eq!(m.customer_name.as_deref(), Some(a.customer.as_str()));

    let u = licenses::dashboard(store, &a.user)
        .await
        .expect("user dashboard");
    assert_eq!(u.role, Some(LicenseRole::User));
    assert_eq!(u.license_count, 1);
    assert_eq!(u.name, "Uma User");
    assert_eq!(u.email, a.user_email());
}

// ---------------------------------------------------------------------------------------------
// 4. License list and counters
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn license_list_has_one_entry_with_its_counters() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);

    let ml = licenses::list(store, &a.manager)
        .await
        .expect("manager list");
    assert_eq!(ml.len(), 1);
    assert_eq!(ml[0].id, a.license_id);
    assert_eq!(ml[0].my_role, LicenseRole::Manager);
    let ul = licenses::list(store, &a.user).await.expect("user list");
    assert_eq!(ul.len(), 1);
    assert_eq!(ul[0].id, a.license_id);
    assert_eq!(ul[0].my_role, LicenseRole::User);

    let l = licenses::get(store, &a.manager, &a.license_id)
        .await
        .expect("get");
    assert_eq!(l.customer_name, a.customer);
    assert_eq!(l.product, "CodeGlass");
    assert_eq!(l.license_type, LicenseType::Organisation);
    assert_eq!(l.status, LicenseStatus::Active);
    assert_eq!(l.subscriptions, 1);
    assert_eq!((l.seats_used, l.max_users), (2, 5));
    assert_eq!((l.devices_active, l.max_activations), (4, 10));
    assert_eq!((l.deactivations_used, l.max_deactivations), (0, 3));
    assert_eq!(l.deactivations_left(), 3);
    assert!(l.valid_from < l.valid_until);
    assert_eq!(l.my_role, LicenseRole::Manager);
    // The list shows the same values as `get`.
    assert_eq!(ml[0], l);

    let lu = licenses::get(store, &a.user, &a.license_id)
        .await
        .expect("user get");
    assert_eq!(lu.my_role, LicenseRole::User);
    assert_eq!(
        License {
            my_role: LicenseRole::Manager,
            ..lu
        },
        l
    );

    assert_eq!(
        licenses::get(store, &a.manager, "no-such-license").await,
        Err(AppError::not_found("license"))
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Device list
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn device_list_manager_sees_all_user_sees_own() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);

    let all = devices::list(store, &a.manager, &a.license_id)
        .await
        .expect("manager devices");
    assert_eq!(all.len(), 4);
    assert_eq!(
        names(&all),
        set(&[
            "Uma's laptop",
            "Uma's desktop",
            "Morgan's MacBook",
            "Morgan's workstation"
        ])
    );
    assert!(all.iter().all(|d| d.can_reset));
    assert_eq!(
        named(&all, "Uma's laptop").activated_by.as_deref(),
        Some("Uma User")
    );
    assert_eq!(named(&all, "Uma's laptop").os, "Windows 11");
    assert_eq!(
        named(&all, "Morgan's MacBook").activated_by.as_deref(),
        Some("Morgan Manager")
    );

    let own = devices::list(store, &a.user, &a.license_id)
        .await
        .expect("user devices");
    assert_eq!(own.len(), 2);
    assert_eq!(names(&own), set(&["Uma's laptop", "Uma's desktop"]));
    assert!(own
        .iter()
        .all(|d| d.activated_by.as_deref() == Some("Uma User") && d.can_reset));
}

// ---------------------------------------------------------------------------------------------
// 6. Reset rules
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn reset_rules_ownership_conflict_and_budget() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let (_, all) = snapshot(store, &a.manager, &a.license_id).await;
    let laptop = named(&all, "Uma's laptop").id.clone();
    let desktop = named(&all, "Uma's desktop").id.clone();
    let mbp = named(&all, "Morgan's MacBook").id.clone();
    let ws = named(&all, "Morgan's workstation").id.clone();

    // A user resets their own device.
    assert_eq!(
        devices::reset(store, &a.user, &laptop, IP).await,
        Ok(ResetOutcome {
            license_id: a.license_id.clone(),
            device_name: "Uma's laptop".into(),
            deactivations_left: 2,
        })
    );
    let (l, all) = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(l.deactivations_used, 1);
    assert_eq!(l.deactivations_left(), 2);
    assert_eq!(l.devices_active, 3);
    assert!(all.iter().all(|d| d.id != laptop));
    let own = devices::list(store, &a.user, &a.license_id).await.unwrap();
    assert_eq!(names(&own), set(&["Uma's desktop"]));

    // A user may not reset the manager's device; nothing changes.
    let before = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(
        devices::reset(store, &a.user, &mbp, IP).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);

    // A manager resets any device of the license, including a user's.
    assert_eq!(
        devices::reset(store, &a.manager, &desktop, IP).await,
        Ok(ResetOutcome {
            license_id: a.license_id.clone(),
            device_name: "Uma's desktop".into(),
            deactivations_left: 1,
        })
    );
    assert!(devices::list(store, &a.user, &a.license_id)
        .await
        .unwrap()
        .is_empty());

    // Resetting a device that is already reset is a conflict and uses no deactivation.
    let before = snapshot(store, &a.manager, &a.license_id).await;
    let already = AppError::Conflict {
        message: "The device \"Uma's laptop\" was already reset.".into(),
    };
    assert_eq!(
        devices::reset(store, &a.user, &laptop, IP).await,
        Err(already.clone())
    );
    assert_eq!(
        devices::reset(store, &a.manager, &laptop, IP).await,
        Err(already)
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);
    assert_eq!(before.0.deactivations_used, 2);

    // An unknown device is not found.
    assert_eq!(
        devices::reset(store, &a.manager, "no-such-device", IP).await,
        Err(AppError::not_found("device"))
    );

    // The third reset uses the last deactivation.
    assert_eq!(
        devices::reset(store, &a.manager, &mbp, IP).await,
        Ok(ResetOutcome {
            license_id: a.license_id.clone(),
            device_name: "Morgan's MacBook".into(),
            deactivations_left: 0,
        })
    );

    // With the budget spent the next reset is refused and the device stays active.
    let before = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(before.0.deactivations_used, 3);
    assert_eq!(before.0.devices_active, 1);
    assert_eq!(
        devices::reset(store, &a.manager, &ws, IP).await,
        Err(AppError::DeactivationLimitReached { allowed: 3 })
    );
    let after = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(after, before);
    assert_eq!(after.0.deactivations_used, 3);
    assert_eq!(names(&after.1), set(&["Morgan's workstation"]));
    assert_eq!(audit_count(store, &a.license_id, "device.reset").await, 3);
}

// ---------------------------------------------------------------------------------------------
// 7. Tenant isolation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn tenants_are_isolated() {
    let w = world().await;
    let store = &w.store;
    let a = &w.a;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    assert_ne!(a.manager.tenant_id, b.manager.tenant_id);

    let a_before = snapshot(store, &a.manager, &a.license_id).await;
    let a_audit = tenant_audit_count(store, &a.manager.tenant_id).await;
    let a_device = a_before.1[0].id.clone();
    let a_user_device = named(&a_before.1, "Uma's laptop").id.clone();

    for intruder in [&b.manager, &b.user] {
        assert_eq!(
            licenses::get(store, intruder, &a.license_id).await,
            Err(AppError::not_found("license"))
        );
        assert_eq!(
            devices::list(store, intruder, &a.license_id).await,
            Err(AppError::not_found("license"))
        );
        for device in [&a_device, &a_user_device] {
            assert_eq!(
                devices::reset(store, intruder, device, IP).await,
                Err(AppError::not_found("device"))
            );
        }
        let own = licenses::list(store, intruder).await.unwrap();
        assert_eq!(own.len(), 1);
        assert_eq!(own[0].id, b.license_id);
    }

    // Tenant A's accounts cannot log in under tenant B's company ID, nor the other way round.
    assert_eq!(
        auth::check_credentials(
            store,
            &creds(&b.company, &a.manager_email(), DEMO_PASSWORD),
            IP
        )
        .await,
        Err(AppError::InvalidCredentials)
    );
    assert_eq!(
        auth::check_credentials(
            store,
            &creds(&a.company, &b.user_email(), DEMO_PASSWORD),
            IP
        )
        .await,
        Err(AppError::InvalidCredentials)
    );

    // Tenant B's manager cannot pull a tenant A account onto tenant B's license.
    assert_eq!(
        licenses::assign_user(
            store,
            &b.license_id,
            &a.user.account_id,
            LicenseRole::User,
            None
        )
        .await,
        Err(AppError::not_found("account"))
    );

    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, a_before);
    assert_eq!(
        tenant_audit_count(store, &a.manager.tenant_id).await,
        a_audit
    );
    let b_after = licenses::get(store, &b.manager, &b.license_id)
        .await
        .unwrap();
    assert_eq!((b_after.seats_used, b_after.deactivations_used), (2, 0));
}

/// Within one tenant, the manager of one customer reaches nothing of another customer.
#[tokio::test]
async fn customers_of_one_tenant_are_isolated() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let tenant_id = &a.manager.tenant_id;
    let other_customer = tenants::create_customer(store, tenant_id, "Initech")
        .await
        .unwrap();
    let other_owner =
        new_customer_account(store, tenant_id, &other_customer, "boss@initech.example").await;
    let now = licensing::now_millis();
    let other_license = licenses::create(
        store,
        &licenses::NewLicense {
            tenant_id: tenant_id.clone(),
            customer_id: other_customer.clone(),
            product: "CodeGlass".into(),
            license_type: LicenseType::Organisation,
            subscriptions: 1,
            seats_per_subscription: 5,
            max_activations: 10,
            max_deactivations: 3,
            valid_from: now,
            valid_until: now + 1_000_000,
            owner_account_id: other_owner.clone(),
        },
        None,
    )
    .await
    .unwrap();
    let other_device = activate(store, &other_license, &other_owner, "initech-1")
        .await
        .unwrap();
    let boss = principal(store, &a.company, "boss@initech.example").await;
    let before = snapshot(store, &boss, &other_license).await;

    assert_eq!(
        licenses::get(store, &a.manager, &other_license).await,
        Err(AppError::not_found("license"))
    );
    assert_eq!(
        devices::list(store, &a.manager, &other_license).await,
        Err(AppError::not_found("license"))
    );
    assert_eq!(
        devices::reset(store, &a.manager, &other_device.device_id, IP).await,
        Err(AppError::not_found("device"))
    );
    assert_eq!(snapshot(store, &boss, &other_license).await, before);
    assert_eq!(before.1.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 8. Activation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn activation_is_idempotent_and_limited() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let uid = &a.user.account_id;

    let first = activate(store, lic, uid, "hw-new").await.expect("activate");
    assert!(first.created);
    let (l, all) = snapshot(store, &a.manager, lic).await;
    assert_eq!(l.devices_active, 5);
    let dev = all
        .iter()
        .find(|d| d.id == first.device_id)
        .expect("listed");
    assert_eq!(dev.name, "Device hw-new");
    assert_eq!(dev.activated_by.as_deref(), Some("Uma User"));
    assert_eq!(devices::list(store, &a.user, lic).await.unwrap().len(), 3);

    // The same hardware again takes no new slot.
    let again = activate(store, lic, uid, "hw-new")
        .await
        .expect("activate again");
    assert_eq!(
        again,
        Activation {
            device_id: first.device_id.clone(),
            created: false,
        }
    );
    // Surrounding whitespace is not a different machine.
    let spaced = activate(store, lic, uid, "  hw-new ")
        .await
        .expect("activate spaced");
    assert_eq!(spaced, again);
    assert_eq!(
        licenses::get(store, &a.manager, lic)
            .await
            .unwrap()
            .devices_active,
        5
    );

    // Fill every slot.
    for i in 0..5 {
        let act = activate(store, lic, uid, &format!("hw-fill-{i}"))
            .await
            .expect("fill");
        assert!(act.created);
    }
    let full = snapshot(store, &a.manager, lic).await;
    assert_eq!((full.0.devices_active, full.0.max_activations), (10, 10));

    // One more is refused, and nothing changes.
    assert_eq!(
        activate(store, lic, uid, "hw-one-too-many").await,
        Err(AppError::TooManyDevices { allowed: 10 })
    );
    assert_eq!(snapshot(store, &a.manager, lic).await, full);
    // An already active device still checks in on a full license.
    let again = activate(store, lic, uid, "hw-new")
        .await
        .expect("idempotent when full");
    assert!(!again.created);
    assert_eq!(again.device_id, first.device_id);
    assert_eq!(
        licenses::get(store, &a.manager, lic)
            .await
            .unwrap()
            .devices_active,
        10
    );
    assert_eq!(audit_count(store, lic, "device.activated").await, 4 + 6);

    // A blank hardware id is a form error.
    assert_eq!(
        activate(store, lic, uid, "  ").await,
        Err(AppError::invalid("hardware_id", "is required."))
    );

    // A reset frees a slot; the reset hardware may then activate again as a new device.
    devices::reset(store, &a.manager, &first.device_id, IP)
        .await
        .expect("reset");
    let back = activate(store, lic, uid, "hw-new")
        .await
        .expect("reactivate");
    assert!(back.created);
    assert_ne!(back.device_id, first.device_id);
    assert_eq!(
        licenses::get(store, &a.manager, lic)
            .await
            .unwrap()
            .devices_active,
        10
    );
}

// ---------------------------------------------------------------------------------------------
// 9. Seat limit
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn seat_limit_and_foreign_accounts() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let tenant_id = &a.manager.tenant_id;
    let customer_id = a
        .manager
        .customer_id
        .clone()
        .expect("manager has a customer");

    // An account of another customer of the same tenant is not assignable.
    let other_customer = tenants::create_customer(store, tenant_id, "Initech")
        .await
        .unwrap();
    let outsider =
        new_customer_account(store, tenant_id, &other_customer, "peter@initech.example").await;
    let before = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        licenses::assign_user(store, lic, &outsider, LicenseRole::User, None).await,
        Err(AppError::not_found("account"))
    );
    assert_eq!(
        licenses::assign_user(store, lic, "no-such-account", LicenseRole::User, None).await,
        Err(AppError::not_found("account"))
    );
    // Assigning someone twice is a conflict.
    assert!(matches!(
        licenses::assign_user(store, lic, &a.user.account_id, LicenseRole::User, None).await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(licenses::get(store, &a.manager, lic).await.unwrap(), before);

    // Up to the seat limit every assignment works.
    for i in 0..3 {
        let acct = new_customer_account(
            store,
            tenant_id,
            &customer_id,
            &format!("extra{i}@acme.example"),
        )
        .await;
        licenses::assign_user(
            store,
            lic,
            &acct,
            LicenseRole::User,
            Some(&a.manager.account_id),
        )
        .await
        .unwrap_or_else(|e| panic!("assign seat {}: {e:?}", i + 3));
    }
    let full = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!((full.seats_used, full.max_users), (5, 5));
    assert_eq!(audit_count(store, lic, "user.assigned").await, 1 + 3);

    // One more is refused and takes no seat.
    let late = new_customer_account(store, tenant_id, &customer_id, "late@acme.example").await;
    assert_eq!(
        licenses::assign_user(store, lic, &late, LicenseRole::User, None).await,
        Err(AppError::SeatLimitReached { allowed: 5 })
    );
    assert_eq!(licenses::get(store, &a.manager, lic).await.unwrap(), full);
    let late_p = principal(store, &a.company, "late@acme.example").await;
    assert_eq!(
        licenses::dashboard(store, &late_p).await.unwrap().role,
        None
    );
    assert!(licenses::list(store, &late_p).await.unwrap().is_empty());
    assert_eq!(
        licenses::get(store, &late_p, lic).await,
        Err(AppError::not_found("license"))
    );
    assert_eq!(audit_count(store, lic, "user.assigned").await, 4);
}

// ---------------------------------------------------------------------------------------------
// 10. Audit
// ---------------------------------------------------------------------------------------------

/// tenant_id, actor_id, subject, ip, at
type AuditRow = (String, Option<String>, String, Option<String>, i64);

#[tokio::test]
async fn reset_writes_one_audit_event() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let (_, all) = snapshot(store, &a.manager, &a.license_id).await;
    let laptop = named(&all, "Uma's laptop").id.clone();
    let mbp = named(&all, "Morgan's MacBook").id.clone();
    assert_eq!(audit_count(store, &a.license_id, "device.reset").await, 0);

    devices::reset(store, &a.user, &laptop, "203.0.113.7")
        .await
        .expect("reset");

    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT tenant_id, actor_id, subject, ip, at FROM audit_events \
         WHERE license_id = $1 AND action = 'device.reset'",
    )
    .bind(&a.license_id)
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    let (tenant, actor, subject, ip, at) = rows[0].clone();
    assert_eq!(tenant, a.user.tenant_id);
    assert_eq!(actor.as_deref(), Some(a.user.account_id.as_str()));
    assert_eq!(subject, "Uma's laptop");
    assert_eq!(ip.as_deref(), Some("203.0.113.7"));
    assert!(
        (licensing::now_millis() - at).abs() < 60_000,
        "timestamp is UTC millis"
    );

    // Refused resets write nothing.
    assert_eq!(
        devices::reset(store, &a.user, &mbp, IP).await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        devices::reset(store, &a.user, &laptop, IP).await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(audit_count(store, &a.license_id, "device.reset").await, 1);
}

// ---------------------------------------------------------------------------------------------
// 11. Concurrency
// ---------------------------------------------------------------------------------------------

/// Twenty simultaneous resets against a budget of three, split over two pools (two "server
/// processes" on one database): exactly three succeed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_resets_respect_the_budget() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    set_max_activations(store, &a.license_id, 20).await;
    for i in 0..16 {
        let act = activate(
            store,
            &a.license_id,
            &a.manager.account_id,
            &format!("hw-{i}"),
        )
        .await
        .expect("activate");
        assert!(act.created);
    }
    let (l, all) = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!((l.devices_active, l.max_activations), (20, 20));
    assert_eq!((l.deactivations_used, l.max_deactivations), (0, 3));
    assert_eq!(all.len(), 20);

    let second = Store::connect(&w.url).await.expect("second pool");
    let barrier = Arc::new(tokio::sync::Barrier::new(all.len()));
    let mut tasks = Vec::new();
    for (i, device) in all.iter().enumerate() {
        let store = if i % 2 == 0 {
            store.clone()
        } else {
            second.clone()
        };
        let who = a.manager.clone();
        let id = device.id.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            devices::reset(&store, &who, &id, IP).await
        }));
    }
    let mut ok = Vec::new();
    let mut refused = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(outcome) => ok.push(outcome.deactivations_left),
            Err(AppError::DeactivationLimitReached { allowed: 3 }) => refused += 1,
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    ok.sort_unstable();
    assert_eq!(ok, vec![0, 1, 2]);
    assert_eq!(refused, 17);

    let (l, left) = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(l.deactivations_used, 3);
    assert_eq!(l.devices_active, 17);
    assert_eq!(left.len(), 17);
    assert_eq!(audit_count(store, &a.license_id, "device.reset").await, 3);
}

/// Simultaneous activations: one hardware id activated many times at once takes one slot, and
/// many new machines at once never exceed the activation limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_activations_respect_the_limit() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let second = Store::connect(&w.url).await.expect("second pool");

    async fn race(
        stores: [&Store; 2],
        license_id: &str,
        account_id: &str,
        hardware: Vec<String>,
    ) -> Vec<Result<Activation, AppError>> {
        let barrier = Arc::new(tokio::sync::Barrier::new(hardware.len()));
        let tasks: Vec<_> = hardware
            .into_iter()
            .enumerate()
            .map(|(i, hw)| {
                let store = stores[i % 2].clone();
                let (lic, acct, barrier) = (
                    license_id.to_owned(),
                    account_id.to_owned(),
                    barrier.clone(),
                );
                tokio::spawn(async move {
                    barrier.wait().await;
                    activate(&store, &lic, &acct, &hw).await
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("task"));
        }
        out
    }

    // Eight activations of one new machine: one slot, one device id.
    let same = race(
        [store, &second],
        &a.license_id,
        &a.user.account_id,
        vec!["hw-same".to_owned(); 8],
    )
    .await;
    let same: Vec<Activation> = same
        .into_iter()
        .map(|r| r.expect("activate same"))
        .collect();
    assert_eq!(same.iter().filter(|x| x.created).count(), 1);
    assert!(same.iter().all(|x| x.device_id == same[0].device_id));
    assert_eq!(
        licenses::get(store, &a.manager, &a.license_id)
            .await
            .unwrap()
            .devices_active,
        5
    );

    // Ten new machines for five free slots.
    let many = race(
        [store, &second],
        &a.license_id,
        &a.user.account_id,
        (0..10).map(|i| format!("hw-many-{i}")).collect(),
    )
    .await;
    let created = many
        .iter()
        .filter(|r| matches!(r, Ok(x) if x.created))
        .count();
    let refused = many
        .iter()
        .filter(|r| **r == Err(AppError::TooManyDevices { allowed: 10 }))
        .count();
    assert_eq!((created, refused), (5, 5), "{many:?}");
    let l = licenses::get(store, &a.manager, &a.license_id)
        .await
        .unwrap();
    assert_eq!(l.devices_active, 10);
}

/// Simultaneous assignments never exceed the seat limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_assignments_respect_the_seat_limit() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let second = Store::connect(&w.url).await.expect("second pool");
    let customer_id = a.manager.customer_id.clone().unwrap();
    let mut accounts = Vec::new();
    for i in 0..6 {
        accounts.push(
            new_customer_account(
                store,
                &a.manager.tenant_id,
                &customer_id,
                &format!("c{i}@acme.example"),
            )
            .await,
        );
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(accounts.len()));
    let tasks: Vec<_> = accounts
        .into_iter()
        .enumerate()
        .map(|(i, acct)| {
            let store = if i % 2 == 0 {
                store.clone()
            } else {
                second.clone()
            };
            let (lic, barrier) = (a.license_id.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                licenses::assign_user(&store, &lic, &acct, LicenseRole::User, None).await
            })
        })
        .collect();
    let (mut ok, mut refused) = (0, 0);
    for t in tasks {
        match t.await.expect("task") {
            Ok(()) => ok += 1,
            Err(AppError::SeatLimitReached { allowed: 5 }) => refused += 1,
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!((ok, refused), (3, 3));
    let l = licenses::get(store, &a.manager, &a.license_id)
        .await
        .unwrap();
    assert_eq!((l.seats_used, l.max_users), (5, 5));
}

// ---------------------------------------------------------------------------------------------
// Reset license and the activity log
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn reset_license_clears_devices_and_users_for_one_deactivation() {
    let w = world().await;
    let store = &w.store;
    let a = &w.a;
    let other = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let before = snapshot(store, &a.manager, &a.license_id).await;

    // A license user, and a manager of another tenant, may not; nothing changes.
    assert_eq!(
        licenses::reset_license(store, &a.user, &a.license_id, IP).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        licenses::reset_license(store, &other.manager, &a.license_id, IP).await,
        Err(AppError::not_found("license"))
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);
    assert_eq!(audit_count(store, &a.license_id, "license.reset").await, 0);

    let outcome = licenses::reset_license(store, &a.manager, &a.license_id, IP)
        .await
        .expect("manager resets the license");
    assert_eq!(outcome.devices_reset, 4);
    assert_eq!(outcome.users_removed, 1);
    assert_eq!(outcome.deactivations_left, 2);
    let (license, devices) = snapshot(store, &a.manager, &a.license_id).await;
    assert!(devices.is_empty());
    assert_eq!(license.devices_active, 0);
    assert_eq!(license.seats_used, 1, "the manager keeps their seat");
    assert_eq!(license.deactivations_used, 1);
    assert!(licenses::list(store, &a.user).await.unwrap().is_empty());
    assert_eq!(audit_count(store, &a.license_id, "license.reset").await, 1);

    // Nothing left to reset: refused without spending a deactivation.
    assert!(matches!(
        licenses::reset_license(store, &a.manager, &a.license_id, IP).await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(
        licenses::get(store, &a.manager, &a.license_id)
            .await
            .unwrap()
            .deactivations_used,
        1
    );
}

#[tokio::test]
async fn reset_license_is_refused_when_the_budget_is_spent() {
    let w = world().await;
    let store = &w.store;
    let a = &w.a;
    sqlx::query("UPDATE licenses SET deactivations_used = max_deactivations WHERE id = $1")
        .bind(&a.license_id)
        .execute(store.pool())
        .await
        .unwrap();
    let before = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(
        licenses::reset_license(store, &a.manager, &a.license_id, IP).await,
        Err(AppError::DeactivationLimitReached { allowed: 3 })
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);
    assert_eq!(licenses::list(store, &a.user).await.unwrap().len(), 1);
    assert_eq!(audit_count(store, &a.license_id, "license.reset").await, 0);
}

#[tokio::test]
async fn activity_is_for_managers_newest_first_and_paged() {
    let w = world().await;
    let store = &w.store;
    let a = &w.a;
    let other = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let device = named(
        &snapshot(store, &a.manager, &a.license_id).await.1,
        "Uma's laptop",
    )
    .id
    .clone();
    devices::reset(store, &a.user, &device, "10.1.2.3")
        .await
        .unwrap();

    let first = audit::list_for_license(store, &a.manager, &a.license_id, 1)
        .await
        .expect("manager reads the log");
    let newest = &first.entries[0];
    assert_eq!(newest.action, "device.reset");
    assert_eq!(newest.describe(), "Device reset");
    assert_eq!(newest.subject, "Uma's laptop");
    assert_eq!(newest.actor.as_deref(), Some("Uma User"));
    assert_eq!(newest.ip.as_deref(), Some("10.1.2.3"));
    assert!(
        first.entries.windows(2).all(|p| p[0].at >= p[1].at),
        "newest first"
    );

    assert_eq!(
        audit::list_for_license(store, &a.user, &a.license_id, 1).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        audit::list_for_license(store, &other.manager, &a.license_id, 1).await,
        Err(AppError::not_found("license"))
    );

    // Enough events for a second page.
    set_max_activations(store, &a.license_id, 100).await;
    let total_before = first.entries.len() as u32;
    let extra = audit::PAGE_SIZE + 3 - total_before;
    for i in 0..extra {
        activate(
            store,
            &a.license_id,
            &a.manager.account_id,
            &format!("hw-{i}"),
        )
        .await
        .unwrap();
    }
    let page1 = audit::list_for_license(store, &a.manager, &a.license_id, 1)
        .await
        .unwrap();
    let page2 = audit::list_for_license(store, &a.manager, &a.license_id, 2)
        .await
        .unwrap();
    assert_eq!(page1.entries.len(), audit::PAGE_SIZE as usize);
    assert!(page1.has_more);
    assert_eq!(page2.entries.len(), 3);
    assert!(!page2.has_more);
    assert_eq!(page2.page, 2);
}
