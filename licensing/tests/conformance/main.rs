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
use std::sync::Arc;

use licensing::access::Actor;
use licensing::audit::{self, AuditAction, AuditFilter, AuditKind, AuditSubject};
use licensing::auth::{self, AccountKind, Credentials, Principal, SessionPolicy, ThrottlePolicy};
use licensing::customers;
use licensing::demo::{seed_vendor, DEMO_PASSWORD};
use licensing::devices::{self, Activation, Device, DeviceInfo, NewActivation, ResetOutcome};
use licensing::licenses::{self, License, LicenseRole, LicenseStatus, LicenseType};
use licensing::offline;
use licensing::store::Backend;
use licensing::tenants::{self, NewAccount};
use licensing::testing::{self, ScratchDir};
use licensing::users;
use licensing::{AppError, ConflictReason, Field, InvalidReason, Store, Thing};

const IP: &str = "127.0.0.1";

/// The caller of a service, asking from [`IP`].
fn as_actor(who: &Principal) -> Actor {
    Actor::new(who.clone(), IP)
}
/// The default limits: the few failures a test makes stay far below the per-address limit.
const THROTTLE: ThrottlePolicy = ThrottlePolicy {
    account_failures: 5,
    address_failures: 50,
    window_ms: 15 * 60 * 1000,
};

// ---------------------------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------------------------

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
    /// SQLite: the scratch directory the database file is in, removed with the world.
    dir: Option<ScratchDir>,
}

impl World {
    async fn add_tenant(&self, vendor: &str, customer: &str, domain: &str) -> Tenant {
        seed_tenant(&self.store, vendor, customer, domain).await
    }
}

/// The database under test (`licensing::testing`), opened: Postgres when
/// `KEYPORT_TEST_DATABASE_URL` is set, else a fresh SQLite file.
async fn database() -> (Store, String, Option<ScratchDir>) {
    let (url, dir) = testing::test_database("test");
    let store = Store::connect(&url).await.expect("open the test database");
    let expected = if dir.is_some() {
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    assert_eq!(
        store.backend(),
        expected,
        "{} must be postgres",
        testing::DATABASE_ENV
    );
    (store, url, dir)
}

/// A fresh database (or a fresh tenant in the shared one) with one seeded vendor: Acme Corp.
async fn world() -> World {
    let (store, url, dir) = database().await;
    let a = seed_tenant(&store, "CodeGlass", "Acme Corp", "acme").await;
    World { store, url, a, dir }
}

/// [`world`] for a test of one backend's behaviour; `None` on the other.
async fn world_on(backend: Backend) -> Option<World> {
    let w = world().await;
    (w.store.backend() == backend).then_some(w)
}

/// The portal the links in the suites' email point at.
fn portal() -> licensing::mail::Portal {
    licensing::mail::Portal::new("http://keyport.test")
}

/// A company ID nobody else uses, with an upper-case letter so case-insensitivity is exercised.
fn fresh_company() -> String {
    testing::fresh_company("Kp")
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
    let devices = devices::list(store, &as_actor(manager), license_id)
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

/// An app on this world's license, activated by license key: its device id and token.
async fn key_app(store: &Store, w: &World, hardware_id: &str) -> (String, String) {
    let target = devices::ActivationTarget {
        tenant_id: w.a.manager.tenant_id.clone(),
        license_id: w.a.license_id.clone(),
        account_id: None,
    };
    let device = DeviceInfo {
        hardware_id,
        name: hardware_id,
        os: "Linux",
    };
    let app = devices::activate_device(store, &target, &device, IP)
        .await
        .expect("activate");
    (app.status.device_id, app.token)
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

async fn set_max_users(store: &Store, license_id: &str, max: i64) {
    sqlx::query("UPDATE licenses SET max_users = $1 WHERE id = $2")
        .bind(max)
        .bind(license_id)
        .execute(store.pool())
        .await
        .expect("set max_users");
}

async fn account_count(store: &Store, tenant_id: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE tenant_id = $1")
        .bind(tenant_id)
        .fetch_one(store.pool())
        .await
        .expect("count accounts")
}

/// The Users tab as `who` (a manager of the license) sees it.
async fn users_of(store: &Store, who: &Principal, license_id: &str) -> users::UsersView {
    users::list(store, who, license_id)
        .await
        .unwrap_or_else(|e| panic!("list users of {license_id} as {}: {e:?}", who.email))
}

/// Everything a refused Users-tab operation must leave as it was: the license and its devices,
/// the Users tab, the tenant's audit log and its accounts. `manager` manages the license.
#[derive(Debug, PartialEq)]
struct UsersState {
    license: (License, Vec<Device>),
    users: users::UsersView,
    audit_events: i64,
    accounts: i64,
}

async fn users_state(store: &Store, manager: &Principal, license_id: &str) -> UsersState {
    UsersState {
        license: snapshot(store, manager, license_id).await,
        users: users_of(store, manager, license_id).await,
        audit_events: tenant_audit_count(store, &manager.tenant_id).await,
        accounts: account_count(store, &manager.tenant_id).await,
    }
}

fn new_user(name: &str, email: &str, password: Option<&str>, assign: bool) -> users::NewUser {
    users::NewUser {
        name: name.into(),
        email: email.into(),
        password: password.map(Into::into),
        assign,
    }
}

/// A second customer of the tenant with its own Organisation license of the same product, whose
/// owner manages it; returns (customer id, license id, its manager).
async fn other_customer_with_license(
    store: &Store,
    company: &str,
    tenant_id: &str,
    name: &str,
    owner_email: &str,
) -> (String, String, Principal) {
    let customer = tenants::create_customer(store, tenant_id, name)
        .await
        .unwrap();
    let owner = new_customer_account(store, tenant_id, &customer, owner_email).await;
    let now = licensing::now_millis();
    let license = licenses::create(
        store,
        &licenses::NewLicense {
            tenant_id: tenant_id.into(),
            customer_id: customer.clone(),
            product: "CodeGlass".into(),
            license_type: LicenseType::Organisation,
            subscriptions: 1,
            seats_per_subscription: 5,
            max_activations: 10,
            max_deactivations: 3,
            valid_from: now,
            valid_until: now + 1_000_000,
            owner_account_id: owner,
        },
        None,
    )
    .await
    .unwrap();
    let manager = principal(store, company, owner_email).await;
    (customer, license, manager)
}

/// An address no other test uses (the throttle counts addresses across tenants).
fn fresh_ip() -> String {
    format!("test-{}", uuid::Uuid::new_v4().simple())
}

/// actor_id, subject, ip of a license's events of one kind, oldest first.
async fn audit_rows(
    store: &Store,
    license_id: &str,
    action: &str,
) -> Vec<(Option<String>, AuditSubject, Option<String>)> {
    let rows: Vec<(Option<String>, String, Option<String>)> = sqlx::query_as(
        "SELECT actor_id, subject, ip FROM audit_events WHERE license_id = $1 AND action = $2 \
         ORDER BY at",
    )
    .bind(license_id)
    .bind(action)
    .fetch_all(store.pool())
    .await
    .expect("read audit events");
    rows.into_iter()
        .map(|(actor, subject, ip)| (actor, AuditSubject::from_stored(&subject), ip))
        .collect()
}

fn device_subject(name: &str) -> AuditSubject {
    AuditSubject::Device { name: name.into() }
}

fn last_manager() -> AppError {
    AppError::conflict(ConflictReason::LastManager)
}

fn link_refused() -> AppError {
    AppError::invalid(Field::Link, InvalidReason::LinkUnusable)
}

async fn login_fails(store: &Store, company: &str, email: &str, password: &str) {
    assert_eq!(
        auth::check_credentials(store, &creds(company, email, password), IP).await,
        Err(AppError::InvalidCredentials),
        "{email} must not log in with {password:?}"
    );
}

async fn principal_with(store: &Store, company: &str, email: &str, password: &str) -> Principal {
    auth::check_credentials(store, &creds(company, email, password), IP)
        .await
        .unwrap_or_else(|e| panic!("login {email} at {company}: {e:?}"))
}

fn limits(
    max_users: i64,
    max_activations: i64,
    max_deactivations: i64,
    valid_until: i64,
) -> licenses::Limits {
    licenses::Limits {
        max_users,
        max_activations,
        max_deactivations,
        valid_until,
    }
}

/// A vendor admin of the tenant, logged in.
async fn vendor_admin(store: &Store, t: &Tenant, email: &str) -> Principal {
    tenants::create_account(
        store,
        &NewAccount {
            tenant_id: &t.manager.tenant_id,
            customer_id: None,
            kind: AccountKind::VendorAdmin,
            email,
            name: "Vendor Support",
            password: DEMO_PASSWORD,
        },
    )
    .await
    .expect("create vendor admin");
    principal(store, &t.company, email).await
}

mod activation;
mod api_keys;
mod bounds;
mod check_ins;
mod concurrency;
mod email_flows;
mod isolation;
mod license_reset;
mod licensespring;
mod login;
mod offline_activation;
mod orders;
mod outbox;
mod portal;
mod purchases;
mod seats;
mod sessions;
mod store;
mod users_tab;
mod vendor_staff;
