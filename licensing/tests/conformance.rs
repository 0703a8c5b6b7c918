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
    _dir: Option<ScratchDir>,
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
    World {
        store,
        url,
        a,
        _dir: dir,
    }
}

/// SQLite acknowledges a commit only once it is on disk (`synchronous = FULL`), unless the
/// operator chose the faster mode; Postgres syncs every commit by its own default.
#[tokio::test]
async fn sqlite_commits_are_durable_unless_the_operator_chooses_otherwise() {
    use licensing::store::{SqliteSync, StoreOptions};
    let w = world().await;
    if w.store.backend() != Backend::Sqlite {
        return;
    }
    let synchronous = |store: Store| async move {
        let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(store.pool())
            .await
            .expect("PRAGMA synchronous");
        level
    };
    // SQLite's numbers: 1 NORMAL, 2 FULL.
    assert_eq!(synchronous(w.store.clone()).await, 2);
    let normal = StoreOptions {
        sqlite_sync: SqliteSync::Normal,
    };
    let fast = Store::connect_with(&w.url, normal).await.expect("reopen");
    assert_eq!(synchronous(fast).await, 1);
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
        (
            creds("", &a.manager_email(), DEMO_PASSWORD),
            Field::CompanyId,
        ),
        (creds(&a.company, "   ", DEMO_PASSWORD), Field::Email),
        (creds(&a.company, &a.manager_email(), ""), Field::Password),
    ];
    for (c, field) in &cases {
        assert_eq!(
            auth::check_credentials(store, c, IP).await,
            Err(AppError::invalid(field.clone(), InvalidReason::Required)),
            "{c:?}"
        );
    }

    // `login` refuses the same way and opens no session.
    let before = session_count(store, &a.manager.account_id).await;
    assert_eq!(before, 0);
    let refused = auth::login(
        store,
        &wrong[0],
        None,
        SessionPolicy::default(),
        &THROTTLE,
        IP,
    )
    .await;
    assert_eq!(refused.err(), Some(AppError::InvalidCredentials));
    assert_eq!(session_count(store, &a.manager.account_id).await, 0);
}

/// An address no other test uses (the throttle counts addresses across tenants).
fn fresh_ip() -> String {
    format!("test-{}", uuid::Uuid::new_v4().simple())
}

async fn throttle_rows(store: &Store, key: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM auth_failures WHERE throttle_key = $1")
        .bind(key)
        .fetch_one(store.pool())
        .await
        .expect("count failures")
}

/// Moves every failure of these keys back in time, as if that much time had passed.
async fn age_failures(store: &Store, keys: &[&str], ms: i64) {
    for key in keys {
        sqlx::query("UPDATE auth_failures SET at = at - $1 WHERE throttle_key = $2")
            .bind(ms)
            .bind(*key)
            .execute(store.pool())
            .await
            .expect("age failures");
    }
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_in_the_database() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = ThrottlePolicy {
        account_failures: 3,
        address_failures: 100,
        window_ms: 10 * 60 * 1000,
    };
    let (ip, other_ip) = (fresh_ip(), fresh_ip());
    let manager = a.manager_email();
    let login = |company: &str, email: &str, password: &str, ip: &str| {
        let c = creds(company, email, password);
        let ip = ip.to_owned();
        async move {
            auth::login(store, &c, None, SessionPolicy::default(), &policy, &ip)
                .await
                .map(|s| s.principal.email)
        }
    };
    for _ in 0..3 {
        assert_eq!(
            login(&a.company, &manager, "wrong-password", &ip).await,
            Err(AppError::InvalidCredentials)
        );
    }
    let key = auth::throttle::account_key(&a.company, &manager);
    assert_eq!(throttle_rows(store, &key).await, 3);

    // The fourth attempt is refused before the password is checked: the right password too,
    // from another address too, however the account is typed, and through the device API.
    let refused = Err(AppError::TooManyAttempts { minutes: 10 });
    for (company, email, password, ip) in [
        (a.company.clone(), manager.clone(), "wrong-password", &ip),
        (a.company.clone(), manager.clone(), DEMO_PASSWORD, &ip),
        (a.company.clone(), manager.clone(), DEMO_PASSWORD, &other_ip),
        (
            a.company.to_uppercase(),
            format!(" {} ", manager.to_uppercase()),
            DEMO_PASSWORD,
            &ip,
        ),
    ] {
        assert_eq!(login(&company, &email, password, ip).await, refused);
    }
    let by_login = devices::ActivationAuth::Credentials(creds(&a.company, &manager, DEMO_PASSWORD));
    assert_eq!(
        devices::activation_target(store, &by_login, &other_ip, &policy).await,
        Err(AppError::TooManyAttempts { minutes: 10 })
    );
    // Refused attempts change nothing: no session, no extra failure, no longer lockout.
    assert_eq!(session_count(store, &a.manager.account_id).await, 0);
    assert_eq!(throttle_rows(store, &key).await, 3);

    // A second server process on the same database sees the same count.
    let second = Store::connect(&w.url).await.expect("second pool");
    assert_eq!(
        auth::login(
            &second,
            &creds(&a.company, &manager, DEMO_PASSWORD),
            None,
            SessionPolicy::default(),
            &policy,
            &other_ip
        )
        .await
        .err(),
        Some(AppError::TooManyAttempts { minutes: 10 })
    );

    // Other accounts are not affected.
    assert_eq!(
        login(&a.company, &a.user_email(), DEMO_PASSWORD, &ip).await,
        Ok(a.user_email())
    );

    // The wait shrinks as the failures age (the portal says "1 minute", app::error_text).
    age_failures(store, &[&key], 9 * 60 * 1000 + 30_000).await;
    let almost = login(&a.company, &manager, DEMO_PASSWORD, &ip).await;
    assert_eq!(almost, Err(AppError::TooManyAttempts { minutes: 1 }));

    // Once the window has passed, the right password logs in and clears the count.
    age_failures(store, &[&key], 60_000).await;
    login(&a.company, &manager, "wrong-password", &ip)
        .await
        .unwrap_err();
    assert_eq!(
        login(&a.company, &manager, DEMO_PASSWORD, &ip).await,
        Ok(manager.clone())
    );
    assert_eq!(throttle_rows(store, &key).await, 0);
}

#[tokio::test]
async fn failed_attempts_are_throttled_per_address_license_keys_included() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = ThrottlePolicy {
        account_failures: 100,
        address_failures: 4,
        window_ms: 15 * 60 * 1000,
    };
    let ip = fresh_ip();
    let by_key = |key: &str| devices::ActivationAuth::LicenseKey(key.into());
    // Unknown accounts count like wrong passwords (no enumeration through the throttle), and so
    // do unknown license keys.
    for email in ["nobody@acme.example", "ghost@acme.example"] {
        assert_eq!(
            auth::login(
                store,
                &creds(&a.company, email, "wrong-password"),
                None,
                SessionPolicy::default(),
                &policy,
                &ip
            )
            .await
            .err(),
            Some(AppError::InvalidCredentials)
        );
    }
    for _ in 0..2 {
        assert_eq!(
            devices::activation_target(store, &by_key("KP-not-a-key"), &ip, &policy).await,
            Err(AppError::InvalidCredentials)
        );
    }
    // Bad input is no attempt: it is not counted.
    assert!(matches!(
        auth::login(
            store,
            &creds(&a.company, "", "x"),
            None,
            SessionPolicy::default(),
            &policy,
            &ip
        )
        .await,
        Err(AppError::Invalid { .. })
    ));
    let address = format!("address:{ip}");
    assert_eq!(throttle_rows(store, &address).await, 4);
    // Every account from that address is refused now; other addresses are not.
    let refused = Some(AppError::TooManyAttempts { minutes: 15 });
    assert_eq!(
        auth::login(
            store,
            &creds(&a.company, &a.user_email(), DEMO_PASSWORD),
            None,
            SessionPolicy::default(),
            &policy,
            &ip
        )
        .await
        .err(),
        refused
    );
    assert_eq!(
        devices::activation_target(store, &by_key("KP-not-a-key"), &ip, &policy)
            .await
            .err(),
        refused
    );
    assert_eq!(throttle_rows(store, &address).await, 4);
    assert!(auth::login(
        store,
        &creds(&a.company, &a.user_email(), DEMO_PASSWORD),
        None,
        SessionPolicy::default(),
        &policy,
        &fresh_ip()
    )
    .await
    .is_ok());
}

/// A burst of simultaneous guesses cannot slip past the limit while the password hashes run.
#[tokio::test]
async fn concurrent_guesses_stay_within_the_limit() {
    let w = world().await;
    let store = w.store.clone();
    let policy = ThrottlePolicy {
        account_failures: 3,
        address_failures: 100,
        window_ms: 15 * 60 * 1000,
    };
    let ip = fresh_ip();
    let guesses = (0..8).map(|i| {
        let (store, ip) = (store.clone(), ip.clone());
        let c = creds(
            &w.a.company,
            &w.a.manager_email(),
            &format!("guess-{i}-password"),
        );
        tokio::spawn(async move {
            auth::login(&store, &c, None, SessionPolicy::default(), &policy, &ip)
                .await
                .err()
        })
    });
    let mut checked = 0;
    for guess in guesses.collect::<Vec<_>>() {
        match guess.await.unwrap() {
            Some(AppError::InvalidCredentials) => checked += 1,
            Some(AppError::TooManyAttempts { .. }) => {}
            other => panic!("{other:?}"),
        }
    }
    // Exactly the limit: the guesses past it waited for the verdicts in flight, then were refused.
    assert_eq!(checked, 3, "{checked} passwords checked");
}

/// A correct password is never refused because other checks of the account are in flight: only
/// settled failures count, also when one failure is all the account has left.
#[tokio::test]
async fn simultaneous_correct_logins_are_never_refused() {
    let w = world().await;
    let store = w.store.clone();
    let policy = ThrottlePolicy {
        account_failures: 3,
        address_failures: 100,
        window_ms: 15 * 60 * 1000,
    };
    let ip = fresh_ip();
    let manager = w.a.manager_email();
    for _ in 0..2 {
        let wrong = creds(&w.a.company, &manager, "wrong-password");
        let refused = auth::login(&store, &wrong, None, SessionPolicy::default(), &policy, &ip);
        assert_eq!(refused.await.err(), Some(AppError::InvalidCredentials));
    }
    let logins = (0..12).map(|_| {
        let (store, ip) = (store.clone(), ip.clone());
        let c = creds(&w.a.company, &manager, DEMO_PASSWORD);
        tokio::spawn(async move {
            auth::login(&store, &c, None, SessionPolicy::default(), &policy, &ip)
                .await
                .map(|s| s.principal.email)
        })
    });
    for login in logins.collect::<Vec<_>>() {
        assert_eq!(login.await.unwrap(), Ok(manager.clone()));
    }
    let key = auth::throttle::account_key(&w.a.company, &manager);
    assert_eq!(
        throttle_rows(&store, &key).await,
        0,
        "the successes cleared the count"
    );
}

/// A check whose server process died before its verdict is taken for a failure once it is stale,
/// so killing processes mid-check cannot be used to guess past the limit.
#[tokio::test]
async fn a_check_abandoned_in_flight_counts_as_a_failure_once_stale() {
    let w = world().await;
    let store = &w.store;
    let policy = ThrottlePolicy {
        account_failures: 2,
        address_failures: 100,
        window_ms: 15 * 60 * 1000,
    };
    let ip = fresh_ip();
    let key = auth::throttle::account_key(&w.a.company, &w.a.manager_email());
    for _ in 0..2 {
        // Admitted, then never settled: the process "died".
        let abandoned = auth::throttle::admit(store, &policy, Some(key.clone()), &ip).await;
        assert!(abandoned.is_ok());
    }
    age_failures(store, &[&key], auth::throttle::STALE_MS).await;
    assert_eq!(
        auth::throttle::admit(store, &policy, Some(key.clone()), &ip)
            .await
            .err(),
        // The rows were aged by the minute that made them stale.
        Some(AppError::TooManyAttempts { minutes: 14 })
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Sessions
// ---------------------------------------------------------------------------------------------

/// Losing the seat ends every session of that account: unassigning the person, or resetting the
/// license (which unassigns every license user).
#[tokio::test]
async fn unassigning_ends_every_session_of_the_account() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = SessionPolicy::default();
    let open = |email: String| async move {
        auth::login(
            store,
            &creds(&a.company, &email, DEMO_PASSWORD),
            None,
            policy,
            &THROTTLE,
            &fresh_ip(),
        )
        .await
        .expect("login")
        .token
    };
    let user_sessions = [open(a.user_email()).await, open(a.user_email()).await];
    let manager_session = open(a.manager_email()).await;
    users::unassign(
        store,
        &as_actor(&a.manager),
        &a.license_id,
        &a.user.account_id,
    )
    .await
    .expect("unassign");
    for token in &user_sessions {
        assert_eq!(
            auth::principal_for_session(store, token, policy).await,
            Err(AppError::Unauthenticated)
        );
    }
    assert_eq!(session_count(store, &a.user.account_id).await, 0);
    assert!(auth::principal_for_session(store, &manager_session, policy)
        .await
        .is_ok());

    // Reset license: the license users lose their seats and sessions, the managers keep theirs.
    users::assign(
        store,
        &as_actor(&a.manager),
        &a.license_id,
        &a.user.account_id,
    )
    .await
    .expect("assign again");
    let user_session = open(a.user_email()).await;
    licenses::reset_license(store, &as_actor(&a.manager), &a.license_id)
        .await
        .expect("reset license");
    assert_eq!(
        auth::principal_for_session(store, &user_session, policy).await,
        Err(AppError::Unauthenticated)
    );
    assert!(auth::principal_for_session(store, &manager_session, policy)
        .await
        .is_ok());
}

#[tokio::test]
async fn sessions_open_end_and_rotate() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let policy = SessionPolicy::default();
    let c = creds(&a.company, &a.manager_email(), DEMO_PASSWORD);

    let s1 = auth::login(store, &c, None, policy, &THROTTLE, IP)
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
    let s2 = auth::login(store, &c, None, policy, &THROTTLE, IP)
        .await
        .expect("login");
    let s3 = auth::login(store, &c, Some(&s2.token), policy, &THROTTLE, IP)
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
        &THROTTLE,
        IP,
    )
    .await
    .expect("user login");
    assert_eq!(
        auth::principal_for_session(store, &u.token, policy).await,
        Ok(a.user.clone())
    );
    // Logging out ends every session of the account (a browser left open elsewhere too), and
    // nobody else's.
    let elsewhere = auth::login(store, &c, None, policy, &THROTTLE, IP)
        .await
        .expect("login elsewhere");
    auth::logout(store, &s3.token).await.expect("logout");
    for token in [&s3.token, &elsewhere.token] {
        assert_eq!(
            auth::principal_for_session(store, token, policy).await,
            Err(AppError::Unauthenticated)
        );
    }
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
    let s4 = auth::login(store, &c, None, short, &THROTTLE, IP)
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
        Err(AppError::not_found(Thing::License))
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Device list
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn device_list_manager_sees_all_user_sees_own() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);

    let all = devices::list(store, &as_actor(&a.manager), &a.license_id)
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
    assert_eq!(
        named(&all, "Uma's laptop").activated_by.as_deref(),
        Some("Uma User")
    );
    assert_eq!(named(&all, "Uma's laptop").os, "Windows 11");
    assert_eq!(
        named(&all, "Morgan's MacBook").activated_by.as_deref(),
        Some("Morgan Manager")
    );

    let own = devices::list(store, &as_actor(&a.user), &a.license_id)
        .await
        .expect("user devices");
    assert_eq!(own.len(), 2);
    assert_eq!(names(&own), set(&["Uma's laptop", "Uma's desktop"]));
    assert!(own
        .iter()
        .all(|d| d.activated_by.as_deref() == Some("Uma User")));
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
        devices::reset(store, &as_actor(&a.user), &laptop).await,
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
    let own = devices::list(store, &as_actor(&a.user), &a.license_id)
        .await
        .unwrap();
    assert_eq!(names(&own), set(&["Uma's desktop"]));

    // A user may not reset the manager's device; nothing changes.
    let before = snapshot(store, &a.manager, &a.license_id).await;
    assert_eq!(
        devices::reset(store, &as_actor(&a.user), &mbp).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);

    // A manager resets any device of the license, including a user's.
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &desktop).await,
        Ok(ResetOutcome {
            license_id: a.license_id.clone(),
            device_name: "Uma's desktop".into(),
            deactivations_left: 1,
        })
    );
    assert!(devices::list(store, &as_actor(&a.user), &a.license_id)
        .await
        .unwrap()
        .is_empty());

    // Resetting a device that is already reset is a conflict and uses no deactivation.
    let before = snapshot(store, &a.manager, &a.license_id).await;
    let already = AppError::conflict(ConflictReason::DeviceAlreadyReset {
        name: "Uma's laptop".into(),
    });
    assert_eq!(
        devices::reset(store, &as_actor(&a.user), &laptop).await,
        Err(already.clone())
    );
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &laptop).await,
        Err(already)
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);
    assert_eq!(before.0.deactivations_used, 2);

    // An unknown device is not found.
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), "no-such-device").await,
        Err(AppError::not_found(Thing::Device))
    );

    // The third reset uses the last deactivation.
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &mbp).await,
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
        devices::reset(store, &as_actor(&a.manager), &ws).await,
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
            Err(AppError::not_found(Thing::License))
        );
        assert_eq!(
            devices::list(store, &as_actor(intruder), &a.license_id).await,
            Err(AppError::not_found(Thing::License))
        );
        for device in [&a_device, &a_user_device] {
            assert_eq!(
                devices::reset(store, &as_actor(intruder), device).await,
                Err(AppError::not_found(Thing::Device))
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
        users::grant_seat(
            store,
            &b.license_id,
            &a.user.account_id,
            LicenseRole::User,
            None
        )
        .await,
        Err(AppError::not_found(Thing::Account))
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
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(
        devices::list(store, &as_actor(&a.manager), &other_license).await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &other_device.device_id).await,
        Err(AppError::not_found(Thing::Device))
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
    assert_eq!(
        devices::list(store, &as_actor(&a.user), lic)
            .await
            .unwrap()
            .len(),
        3
    );

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
        Err(AppError::invalid(
            Field::HardwareId,
            InvalidReason::Required
        ))
    );

    // A reset frees a slot; the reset hardware may then activate again as a new device.
    devices::reset(store, &as_actor(&a.manager), &first.device_id)
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
        users::grant_seat(store, lic, &outsider, LicenseRole::User, None).await,
        Err(AppError::not_found(Thing::Account))
    );
    assert_eq!(
        users::grant_seat(store, lic, "no-such-account", LicenseRole::User, None).await,
        Err(AppError::not_found(Thing::Account))
    );
    // Assigning someone twice is a conflict.
    assert!(matches!(
        users::grant_seat(store, lic, &a.user.account_id, LicenseRole::User, None).await,
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
        users::grant_seat(
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
        users::grant_seat(store, lic, &late, LicenseRole::User, None).await,
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
        Err(AppError::not_found(Thing::License))
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

    devices::reset(store, &Actor::new(a.user.clone(), "203.0.113.7"), &laptop)
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
    assert_eq!(
        AuditSubject::from_stored(&subject),
        device_subject("Uma's laptop")
    );
    assert_eq!(ip.as_deref(), Some("203.0.113.7"));
    assert!(
        (licensing::now_millis() - at).abs() < 60_000,
        "timestamp is UTC millis"
    );

    // Refused resets write nothing.
    assert_eq!(
        devices::reset(store, &as_actor(&a.user), &mbp).await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        devices::reset(store, &as_actor(&a.user), &laptop).await,
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
            devices::reset(&store, &as_actor(&who), &id).await
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

/// Thirty simultaneous "Assign license user" requests by the manager, split over two pools (two
/// "server processes" on one database), for exactly five free seats: five succeed, the rest are
/// refused, and the license ends exactly full.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_assignments_respect_the_seat_limit() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let second = Store::connect(&w.url).await.expect("second pool");
    let customer_id = a.manager.customer_id.clone().unwrap();
    let mut accounts = Vec::new();
    for i in 0..30 {
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
    let seats_used = licenses::get(store, &a.manager, lic)
        .await
        .unwrap()
        .seats_used;
    set_max_users(store, lic, seats_used + 5).await;
    let allowed = seats_used + 5;
    let assigned_before = audit_count(store, lic, "user.assigned").await;

    let barrier = Arc::new(tokio::sync::Barrier::new(accounts.len()));
    let tasks: Vec<_> = accounts
        .iter()
        .enumerate()
        .map(|(i, acct)| {
            let store = if i % 2 == 0 {
                store.clone()
            } else {
                second.clone()
            };
            let (who, lic, acct, barrier) = (
                a.manager.clone(),
                lic.clone(),
                acct.clone(),
                barrier.clone(),
            );
            tokio::spawn(async move {
                barrier.wait().await;
                users::assign(&store, &as_actor(&who), &lic, &acct).await
            })
        })
        .collect();
    let (mut ok, mut refused) = (BTreeSet::new(), 0);
    for t in tasks {
        match t.await.expect("task") {
            Ok(change) => {
                assert_eq!(change.devices_deactivated, 0);
                ok.insert(change.account_id);
            }
            Err(AppError::SeatLimitReached { allowed: n }) if n == allowed => refused += 1,
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!((ok.len(), refused), (5, 25));

    let l = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!((l.seats_used, l.max_users), (allowed, allowed));
    assert_eq!(
        audit_count(store, lic, "user.assigned").await,
        assigned_before + 5
    );
    // Exactly the five that were told "assigned" hold a seat; the others are still candidates.
    let view = users_of(store, &a.manager, lic).await;
    assert_eq!((view.seats_used, view.max_users), (allowed, allowed));
    let seated: BTreeSet<String> = view
        .users
        .iter()
        .map(|u| u.account_id.clone())
        .filter(|id| accounts.contains(id))
        .collect();
    assert_eq!(seated, ok);
    assert_eq!(view.candidates.len(), 25);
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
        licenses::reset_license(store, &as_actor(&a.user), &a.license_id).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        licenses::reset_license(store, &as_actor(&other.manager), &a.license_id).await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, before);
    assert_eq!(audit_count(store, &a.license_id, "license.reset").await, 0);

    let outcome = licenses::reset_license(store, &as_actor(&a.manager), &a.license_id)
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
        licenses::reset_license(store, &as_actor(&a.manager), &a.license_id).await,
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
        licenses::reset_license(store, &as_actor(&a.manager), &a.license_id).await,
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
    devices::reset(store, &Actor::new(a.user.clone(), "10.1.2.3"), &device)
        .await
        .unwrap();

    let first = audit::list_for_license(store, &a.manager, &a.license_id, 1)
        .await
        .expect("manager reads the log");
    let newest = &first.entries[0];
    assert_eq!(newest.action, AuditAction::DeviceReset);
    assert_eq!(newest.subject, device_subject("Uma's laptop"));
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
        Err(AppError::not_found(Thing::License))
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

// ---------------------------------------------------------------------------------------------
// Users tab
// ---------------------------------------------------------------------------------------------

fn last_manager() -> AppError {
    AppError::conflict(ConflictReason::LastManager)
}

fn already_seated() -> AppError {
    AppError::conflict(ConflictReason::AlreadyAssigned)
}

fn email_taken(email: &str) -> AppError {
    AppError::conflict(ConflictReason::EmailTaken {
        email: email.to_owned(),
    })
}

fn link_refused() -> AppError {
    AppError::invalid(Field::Link, InvalidReason::LinkUnusable)
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

async fn login_fails(store: &Store, company: &str, email: &str, password: &str) {
    assert_eq!(
        auth::check_credentials(store, &creds(company, email, password), IP).await,
        Err(AppError::InvalidCredentials),
        "{email} must not log in with {password:?}"
    );
}

#[tokio::test]
async fn users_tab_lists_users_seats_and_candidates() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let tenant_id = &a.manager.tenant_id;
    let customer_id = a.manager.customer_id.clone().unwrap();
    let extra = new_customer_account(store, tenant_id, &customer_id, "extra@acme.example").await;
    // Not candidates: an account of another customer of the tenant, the vendor's own staff, and
    // anyone of another tenant.
    let (_, other_license, boss) = other_customer_with_license(
        store,
        &a.company,
        tenant_id,
        "Initech",
        "boss@initech.example",
    )
    .await;
    let initech = boss.customer_id.clone().unwrap();
    new_customer_account(store, tenant_id, &initech, "peter@initech.example").await;
    tenants::create_account(
        store,
        &NewAccount {
            tenant_id,
            customer_id: None,
            kind: AccountKind::VendorAdmin,
            email: "support@codeglass.example",
            name: "Vendor Support",
            password: DEMO_PASSWORD,
        },
    )
    .await
    .unwrap();
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;

    let view = users::list(store, &a.manager, lic)
        .await
        .expect("the manager lists the users");
    assert_eq!(view.license_id, *lic);
    let people: Vec<_> = view
        .users
        .iter()
        .map(|u| {
            (
                u.account_id.as_str(),
                u.name.as_str(),
                u.email.as_str(),
                u.role,
                u.devices_active,
            )
        })
        .collect();
    assert_eq!(
        people,
        vec![
            (
                a.manager.account_id.as_str(),
                "Morgan Manager",
                a.manager_email().as_str(),
                LicenseRole::Manager,
                2
            ),
            (
                a.user.account_id.as_str(),
                "Uma User",
                a.user_email().as_str(),
                LicenseRole::User,
                2
            ),
        ]
    );
    assert!(view
        .users
        .iter()
        .all(|u| (licensing::now_millis() - u.assigned_at).abs() < 60_000));
    assert_eq!((view.seats_used, view.max_users), (2, 5));
    assert_eq!((view.seats_left(), view.managers()), (3, 1));
    assert_eq!(
        view.candidates,
        vec![users::Candidate {
            account_id: extra.clone(),
            name: "Extra Person".into(),
            email: "extra@acme.example".into(),
        }]
    );
    // The tab counts seats as the license does.
    let l = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        (view.seats_used, view.max_users),
        (l.seats_used, l.max_users)
    );

    // A person's device count follows their devices.
    let laptop = named(&snapshot(store, &a.manager, lic).await.1, "Uma's laptop")
        .id
        .clone();
    devices::reset(store, &as_actor(&a.user), &laptop)
        .await
        .unwrap();
    let view = users_of(store, &a.manager, lic).await;
    let uma = view
        .users
        .iter()
        .find(|u| u.account_id == a.user.account_id)
        .unwrap();
    assert_eq!(uma.devices_active, 1);

    // The vendor's staff see the same tab for their own tenant's licenses, and no other's.
    let support = principal(store, &a.company, "support@codeglass.example").await;
    assert_eq!(users::list(store, &support, lic).await, Ok(view.clone()));
    assert_eq!(
        users::list(store, &support, &b.license_id).await,
        Err(AppError::not_found(Thing::License))
    );

    // Each manager sees their own customer's people only.
    let theirs = users_of(store, &boss, &other_license).await;
    assert_eq!(theirs.users.len(), 1);
    assert_eq!(theirs.users[0].email, "boss@initech.example");
    assert_eq!(theirs.users[0].role, LicenseRole::Manager);
    assert_eq!(
        theirs
            .candidates
            .iter()
            .map(|c| c.email.as_str())
            .collect::<Vec<_>>(),
        vec!["peter@initech.example"]
    );
    let globex = users_of(store, &b.manager, &b.license_id).await;
    assert_eq!(globex.users.len(), 2);
    assert!(globex.candidates.is_empty());
}

#[tokio::test]
async fn users_tab_is_for_the_licenses_managers_only() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let tenant_id = &a.manager.tenant_id;
    let customer_id = a.manager.customer_id.clone().unwrap();
    let extra = new_customer_account(store, tenant_id, &customer_id, "extra@acme.example").await;
    let (_, boss_license, boss) = other_customer_with_license(
        store,
        &a.company,
        tenant_id,
        "Initech",
        "boss@initech.example",
    )
    .await;
    let outsider = new_customer_account(
        store,
        tenant_id,
        boss.customer_id.as_deref().unwrap(),
        "peter@initech.example",
    )
    .await;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;

    let a_before = users_state(store, &a.manager, lic).await;
    let boss_before = users_state(store, &boss, &boss_license).await;
    let b_before = users_state(store, &b.manager, &b.license_id).await;

    // A license user may look at nothing and change nothing; a manager of another customer of
    // the tenant, or of another tenant, does not even learn that the license exists.
    let callers = [
        (&a.user, AppError::Forbidden),
        (&boss, AppError::not_found(Thing::License)),
        (&b.manager, AppError::not_found(Thing::License)),
        (&b.user, AppError::not_found(Thing::License)),
    ];
    for (who, refused) in &callers {
        let why = format!("{} on {}", who.email, a.customer);
        assert_eq!(
            users::list(store, who, lic).await,
            Err(refused.clone()),
            "{why}"
        );
        for (password, assign) in [(Some("new-password"), true), (None, false)] {
            assert_eq!(
                users::create(
                    store,
                    &as_actor(who),
                    lic,
                    &new_user("New Person", "new@acme.example", password, assign)
                )
                .await,
                Err(refused.clone()),
                "{why}"
            );
        }
        assert_eq!(
            users::assign(store, &as_actor(who), lic, &extra).await,
            Err(refused.clone()),
            "{why}"
        );
        for target in [&a.user.account_id, &a.manager.account_id, &who.account_id] {
            assert_eq!(
                users::unassign(store, &as_actor(who), lic, target).await,
                Err(refused.clone()),
                "{why}"
            );
            for role in [LicenseRole::Manager, LicenseRole::User] {
                assert_eq!(
                    users::set_role(store, &as_actor(who), lic, target, role).await,
                    Err(refused.clone()),
                    "{why}"
                );
            }
        }
    }
    login_fails(store, &a.company, "new@acme.example", "new-password").await;

    // The manager cannot reach people of another customer or tenant through this license.
    let foreign = [
        outsider.as_str(),
        boss.account_id.as_str(),
        b.manager.account_id.as_str(),
        b.user.account_id.as_str(),
        "no-such-account",
    ];
    for id in foreign {
        assert_eq!(
            users::assign(store, &as_actor(&a.manager), lic, id).await,
            Err(AppError::not_found(Thing::Account)),
            "{id}"
        );
        assert_eq!(
            users::unassign(store, &as_actor(&a.manager), lic, id).await,
            Err(AppError::not_found(Thing::User)),
            "{id}"
        );
        for role in [LicenseRole::Manager, LicenseRole::User] {
            assert_eq!(
                users::set_role(store, &as_actor(&a.manager), lic, id, role).await,
                Err(AppError::not_found(Thing::User)),
                "{id}"
            );
        }
    }
    // An account of the customer that holds no seat has no seat to take away or change.
    assert_eq!(
        users::unassign(store, &as_actor(&a.manager), lic, &extra).await,
        Err(AppError::not_found(Thing::User))
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(&a.manager),
            lic,
            &extra,
            LicenseRole::Manager
        )
        .await,
        Err(AppError::not_found(Thing::User))
    );
    // An unknown license is not found.
    assert_eq!(
        users::list(store, &a.manager, "no-such-license").await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(
        users::assign(store, &as_actor(&a.manager), "no-such-license", &extra).await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(
        users::create(
            store,
            &as_actor(&a.manager),
            "no-such-license",
            &new_user(
                "New Person",
                "new@acme.example",
                Some("new-password"),
                false
            )
        )
        .await,
        Err(AppError::not_found(Thing::License))
    );

    assert_eq!(users_state(store, &a.manager, lic).await, a_before);
    assert_eq!(users_state(store, &boss, &boss_license).await, boss_before);
    assert_eq!(
        users_state(store, &b.manager, &b.license_id).await,
        b_before
    );
    login_fails(store, &a.company, "new@acme.example", "new-password").await;
    assert!(a_before
        .users
        .candidates
        .iter()
        .any(|c| c.account_id == extra));
}

#[tokio::test]
async fn create_user_with_a_password_and_a_seat() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let tenant_id = &a.manager.tenant_id;
    other_customer_with_license(
        store,
        &a.company,
        tenant_id,
        "Initech",
        "boss@initech.example",
    )
    .await;

    let created = users::create(
        store,
        &Actor::new(a.manager.clone(), "203.0.113.9"),
        lic,
        &new_user(
            "  Nora New ",
            " Nora@Acme.Example ",
            Some("nora-password"),
            true,
        ),
    )
    .await
    .expect("the manager creates a user");
    assert_eq!(
        created,
        users::CreatedUser {
            account_id: created.account_id.clone(),
            name: "Nora New".into(),
            email: "nora@acme.example".into(),
            assigned: true,
            set_password_token: None,
        }
    );

    // The new person logs in with the password given, as a license user of exactly this license.
    let nora = auth::check_credentials(
        store,
        &creds(&a.company, "nora@acme.example", "nora-password"),
        IP,
    )
    .await
    .expect("the new user logs in");
    assert_eq!(nora.account_id, created.account_id);
    assert_eq!(nora.kind, AccountKind::Customer);
    assert_eq!(nora.customer_id, a.manager.customer_id);
    assert_eq!(nora.name, "Nora New");
    let dash = licenses::dashboard(store, &nora).await.unwrap();
    assert_eq!(
        (dash.role, dash.license_count),
        (Some(LicenseRole::User), 1)
    );
    let theirs = licenses::list(store, &nora).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(
        (theirs[0].id.as_str(), theirs[0].my_role),
        (lic.as_str(), LicenseRole::User)
    );
    let view = users_of(store, &a.manager, lic).await;
    assert_eq!(view.seats_used, 3);
    let row = view
        .users
        .iter()
        .find(|u| u.account_id == created.account_id)
        .expect("listed");
    assert_eq!(
        (row.name.as_str(), row.role, row.devices_active),
        ("Nora New", LicenseRole::User, 0)
    );
    assert!(view.candidates.is_empty());
    assert_eq!(
        audit_rows(store, lic, "user.created").await,
        vec![(
            Some(a.manager.account_id.clone()),
            AuditSubject::Account {
                name: "Nora New".into(),
                email: "nora@acme.example".into(),
                assigned: true
            },
            Some("203.0.113.9".to_owned())
        )]
    );

    // Refused creations: each is its exact error, and none leaves anything behind.
    let before = users_state(store, &a.manager, lic).await;
    let cases = [
        // An email already used in the tenant, in any case and by any of its customers.
        (
            "Uma Again",
            "USER@acme.example",
            "uma-again-password",
            email_taken(&a.user_email()),
        ),
        (
            "Nora Again",
            "nora@ACME.example",
            "nora-again-password",
            email_taken("nora@acme.example"),
        ),
        (
            "Boss Again",
            " Boss@Initech.Example",
            "boss-again-password",
            email_taken("boss@initech.example"),
        ),
        (
            "No At",
            "not-an-email",
            "fine-password",
            AppError::invalid(Field::Email, InvalidReason::EmailFormat),
        ),
        (
            "No Dot",
            "person@localhost",
            "fine-password",
            AppError::invalid(Field::Email, InvalidReason::EmailFormat),
        ),
        (
            "Blank",
            "   ",
            "fine-password",
            AppError::invalid(Field::Email, InvalidReason::EmailFormat),
        ),
        (
            "Spaced",
            "two words@acme.example",
            "fine-password",
            AppError::invalid(Field::Email, InvalidReason::EmailFormat),
        ),
        (
            "",
            "noname@acme.example",
            "fine-password",
            AppError::invalid(Field::Name, InvalidReason::Required),
        ),
        (
            "   ",
            "blankname@acme.example",
            "fine-password",
            AppError::invalid(Field::Name, InvalidReason::Required),
        ),
        (
            "Short Password",
            "short@acme.example",
            "seven77",
            AppError::invalid(Field::Password, InvalidReason::TooShort { min: 8 }),
        ),
        (
            &"N".repeat(101),
            "longname@acme.example",
            "fine-password",
            AppError::invalid(Field::Name, InvalidReason::TooLong { max: 100 }),
        ),
        (
            "Long Password",
            "longpassword@acme.example",
            &"p".repeat(257),
            AppError::invalid(Field::Password, InvalidReason::TooLong { max: 256 }),
        ),
        (
            "Common Password",
            "common@acme.example",
            "Password1",
            AppError::invalid(Field::Password, COMMON_PASSWORD),
        ),
    ];
    for (name, email, password, refused) in &cases {
        for assign in [true, false] {
            assert_eq!(
                users::create(
                    store,
                    &as_actor(&a.manager),
                    lic,
                    &new_user(name, email, Some(password), assign)
                )
                .await,
                Err(refused.clone()),
                "{name:?} <{email}>"
            );
        }
        if !email.trim().is_empty() {
            login_fails(store, &a.company, email, password).await;
        }
    }
    assert_eq!(users_state(store, &a.manager, lic).await, before);
    assert_eq!(audit_count(store, lic, "user.created").await, 1);
    // The existing accounts keep their passwords.
    principal(store, &a.company, &a.user_email()).await;
    principal(store, &a.company, "boss@initech.example").await;

    // Emails are unique per tenant only: another vendor's customer may use the same address.
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let twin = users::create(
        store,
        &as_actor(&a.manager),
        lic,
        &new_user("Globex Twin", &b.user_email(), Some("twin-password"), false),
    )
    .await
    .expect("an email of another tenant is free here");
    assert_eq!(
        principal_with(store, &a.company, &b.user_email(), "twin-password")
            .await
            .account_id,
        twin.account_id
    );
    principal(store, &b.company, &b.user_email()).await;
}

#[tokio::test]
async fn create_user_on_a_full_license() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    set_max_users(store, lic, 2).await;
    let before = users_state(store, &a.manager, lic).await;
    assert_eq!((before.users.seats_used, before.users.max_users), (2, 2));
    let links_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM password_links")
        .fetch_one(store.pool())
        .await
        .unwrap();

    // Creating with a seat on a full license refuses the whole thing: no account is left behind.
    for password in [Some("full-password"), None] {
        assert_eq!(
            users::create(
                store,
                &as_actor(&a.manager),
                lic,
                &new_user("Fay Full", "fay@acme.example", password, true)
            )
            .await,
            Err(AppError::SeatLimitReached { allowed: 2 })
        );
    }
    assert_eq!(users_state(store, &a.manager, lic).await, before);
    assert_eq!(audit_count(store, lic, "user.created").await, 0);
    login_fails(store, &a.company, "fay@acme.example", "full-password").await;
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM password_links")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(links, links_before);

    // Without a seat it works: the account exists, holds no license and is a candidate.
    let created = users::create(
        store,
        &as_actor(&a.manager),
        lic,
        &new_user("Fay Full", "fay@acme.example", Some("full-password"), false),
    )
    .await
    .expect("create without a seat");
    assert!(!created.assigned);
    assert_eq!(created.set_password_token, None);
    let fay = principal_with(store, &a.company, "fay@acme.example", "full-password").await;
    assert_eq!(fay.account_id, created.account_id);
    assert_eq!(licenses::dashboard(store, &fay).await.unwrap().role, None);
    assert!(licenses::list(store, &fay).await.unwrap().is_empty());
    let view = users_of(store, &a.manager, lic).await;
    assert_eq!((view.seats_used, view.max_users), (2, 2));
    assert_eq!(
        view.candidates,
        vec![users::Candidate {
            account_id: created.account_id.clone(),
            name: "Fay Full".into(),
            email: "fay@acme.example".into(),
        }]
    );
    assert_eq!(
        audit_rows(store, lic, "user.created").await,
        vec![(
            Some(a.manager.account_id.clone()),
            AuditSubject::Account {
                name: "Fay Full".into(),
                email: "fay@acme.example".into(),
                assigned: false
            },
            Some(IP.to_owned())
        )]
    );

    // Assigning her is refused until the customer buys another subscription.
    let before = users_state(store, &a.manager, lic).await;
    assert_eq!(
        users::assign(store, &as_actor(&a.manager), lic, &created.account_id).await,
        Err(AppError::SeatLimitReached { allowed: 2 })
    );
    assert_eq!(users_state(store, &a.manager, lic).await, before);
    licenses::add_subscriptions(store, lic, 1, None)
        .await
        .expect("add a subscription");
    users::assign(store, &as_actor(&a.manager), lic, &created.account_id)
        .await
        .expect("a seat is free now");
    let view = users_of(store, &a.manager, lic).await;
    assert_eq!((view.seats_used, view.max_users), (3, 7));
    assert!(view.candidates.is_empty());
}

const COMMON_PASSWORD: InvalidReason = InvalidReason::CommonPassword;

/// The password rule wherever a password is set: 8 to 256 characters counted as characters (not
/// bytes), kept exactly as typed, not on the common-password list (whatever the case), and no
/// composition rules.
#[tokio::test]
async fn passwords_are_taken_as_typed_and_common_ones_refused() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let account = |email: &'static str, password: &'static str| NewAccount {
        tenant_id: &a.manager.tenant_id,
        customer_id: a.manager.customer_id.as_deref(),
        kind: AccountKind::Customer,
        email,
        name: "Pat Password",
        password,
    };
    let long_emoji: &'static str = Box::leak("🔑".repeat(256).into_boxed_str());
    for (email, password) in [
        // 8 characters of 2 bytes each, and 256 of 4 bytes: characters count, not bytes.
        ("umlaut@acme.example", "äöüßäöüß"),
        ("emoji@acme.example", long_emoji),
        // Spaces are part of the password; a passphrase needs no digits or capitals.
        ("spaces@acme.example", "  correct horse battery staple  "),
        ("lower@acme.example", "keyport-demo"),
    ] {
        tenants::create_account(store, &account(email, password))
            .await
            .unwrap_or_else(|e| panic!("{email}: {e:?}"));
        principal_with(store, &a.company, email, password).await;
        if password.trim() != password {
            login_fails(store, &a.company, email, password.trim()).await;
        }
    }
    for (email, password, refused) in [
        ("c1@acme.example", "password1", COMMON_PASSWORD),
        ("c2@acme.example", "PASSWORD1", COMMON_PASSWORD),
        ("c3@acme.example", "QwertyUiop", COMMON_PASSWORD),
        (
            "c4@acme.example",
            "äöüßäöü",
            InvalidReason::TooShort { min: 8 },
        ),
    ] {
        assert_eq!(
            tenants::create_account(store, &account(email, password)).await,
            Err(AppError::invalid(Field::Password, refused)),
            "{password}"
        );
        login_fails(store, &a.company, email, password).await;
    }
    // The admin command's first vendor admin follows the same rule.
    assert_eq!(
        tenants::create_tenant_with_admin(
            store,
            &fresh_company(),
            "Weak Vendor",
            "admin@weak.example",
            "Admin",
            "iloveyou1",
        )
        .await
        .err(),
        Some(AppError::invalid(Field::Password, COMMON_PASSWORD))
    );
}

async fn principal_with(store: &Store, company: &str, email: &str, password: &str) -> Principal {
    auth::check_credentials(store, &creds(company, email, password), IP)
        .await
        .unwrap_or_else(|e| panic!("login {email} at {company}: {e:?}"))
}

#[tokio::test]
async fn set_password_link_sets_the_password_once() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;

    let created = users::create(
        store,
        &as_actor(&a.manager),
        lic,
        &new_user("Lena Link", "Lena@acme.example", None, true),
    )
    .await
    .expect("create with a link");
    let token = created
        .set_password_token
        .clone()
        .expect("a set-password token");
    assert_eq!(token.len(), 64, "32 random bytes, hex");
    assert!(created.assigned);
    // Only the hash of the token is stored, and the link lasts PASSWORD_LINK_DAYS.
    let (stored, lifetime): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM password_links WHERE token_hash = $1), \
            (SELECT MAX(expires_at - created_at) FROM password_links WHERE account_id = $2)",
    )
    .bind(&token)
    .bind(&created.account_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(stored, 0);
    assert_eq!(lifetime, users::PASSWORD_LINK_DAYS * 24 * 60 * 60 * 1000);
    // Until the link is used nobody can log in as Lena.
    login_fails(store, &a.company, "lena@acme.example", DEMO_PASSWORD).await;

    let link = users::password_link(store, &token)
        .await
        .expect("the link is usable");
    assert_eq!(
        link,
        users::PasswordLink {
            name: "Lena Link".into(),
            email: "lena@acme.example".into(),
            company_id: a.company.to_lowercase(),
        }
    );

    // A refused attempt leaves the link usable and sets no password.
    let audit_before = tenant_audit_count(store, &a.manager.tenant_id).await;
    assert_eq!(
        users::set_password_with_link(store, &token, "lena-password", "lena-passw0rd", IP).await,
        Err(AppError::invalid(
            Field::ConfirmPassword,
            InvalidReason::PasswordMismatch
        ))
    );
    assert_eq!(
        users::set_password_with_link(store, &token, "short", "short", IP).await,
        Err(AppError::invalid(
            Field::Password,
            InvalidReason::TooShort { min: 8 }
        ))
    );
    assert_eq!(
        users::set_password_with_link(store, &token, "Sunshine", "Sunshine", IP).await,
        Err(AppError::invalid(Field::Password, COMMON_PASSWORD))
    );
    assert_eq!(users::password_link(store, &token).await, Ok(link.clone()));
    login_fails(store, &a.company, "lena@acme.example", "lena-password").await;
    login_fails(store, &a.company, "lena@acme.example", "lena-passw0rd").await;
    assert_eq!(
        tenant_audit_count(store, &a.manager.tenant_id).await,
        audit_before
    );

    // The link sets the password once.
    assert_eq!(
        users::set_password_with_link(store, &token, "lena-password", "lena-password", IP).await,
        Ok(link.clone())
    );
    let lena = principal_with(store, &link.company_id, &link.email, "lena-password").await;
    assert_eq!(lena.account_id, created.account_id);
    assert_eq!(
        licenses::dashboard(store, &lena).await.unwrap().role,
        Some(LicenseRole::User)
    );
    let set: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND action = 'user.password_set' \
         AND actor_id = $2",
    )
    .bind(&a.manager.tenant_id)
    .bind(&created.account_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(set, 1);

    // A used link is refused, and cannot change the password again.
    assert_eq!(
        users::password_link(store, &token).await,
        Err(link_refused())
    );
    assert_eq!(
        users::set_password_with_link(store, &token, "other-password", "other-password", IP).await,
        Err(link_refused())
    );
    login_fails(store, &a.company, "lena@acme.example", "other-password").await;
    principal_with(store, &a.company, "lena@acme.example", "lena-password").await;

    // An unknown token is refused the same way.
    for unknown in ["0".repeat(64), String::new(), "not-a-token".into()] {
        assert_eq!(
            users::password_link(store, &unknown).await,
            Err(link_refused())
        );
        assert_eq!(
            users::set_password_with_link(store, &unknown, "some-password", "some-password", IP)
                .await,
            Err(link_refused())
        );
    }

    // So is an expired one.
    let late = users::create(
        store,
        &as_actor(&a.manager),
        lic,
        &new_user("Leo Late", "leo@acme.example", None, false),
    )
    .await
    .unwrap();
    let late_token = late.set_password_token.expect("a token");
    sqlx::query("UPDATE password_links SET expires_at = $1 WHERE account_id = $2")
        .bind(licensing::now_millis() - 1)
        .bind(&late.account_id)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(
        users::password_link(store, &late_token).await,
        Err(link_refused())
    );
    assert_eq!(
        users::set_password_with_link(store, &late_token, "leo-password", "leo-password", IP).await,
        Err(link_refused())
    );
    login_fails(store, &a.company, "leo@acme.example", "leo-password").await;
}

#[tokio::test]
async fn assign_and_unassign_users() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let customer_id = a.manager.customer_id.clone().unwrap();
    let extra = new_customer_account(
        store,
        &a.manager.tenant_id,
        &customer_id,
        "extra@acme.example",
    )
    .await;
    let assigned_before = audit_count(store, lic, "user.assigned").await;

    // Assigning takes a seat.
    assert_eq!(
        users::assign(
            store,
            &Actor::new(a.manager.clone(), "198.51.100.4"),
            lic,
            &extra
        )
        .await,
        Ok(users::UserChange {
            license_id: lic.clone(),
            account_id: extra.clone(),
            name: "Extra Person".into(),
            devices_deactivated: 0,
        })
    );
    let view = users_of(store, &a.manager, lic).await;
    assert_eq!(view.seats_used, 3);
    assert!(view.candidates.is_empty());
    let row = view.users.iter().find(|u| u.account_id == extra).unwrap();
    assert_eq!((row.role, row.devices_active), (LicenseRole::User, 0));
    assert_eq!(
        audit_count(store, lic, "user.assigned").await,
        assigned_before + 1
    );
    assert_eq!(
        audit_rows(store, lic, "user.assigned").await.last(),
        Some(&(
            Some(a.manager.account_id.clone()),
            AuditSubject::Account {
                name: "Extra Person".into(),
                email: "extra@acme.example".into(),
                assigned: false
            },
            Some("198.51.100.4".to_owned())
        ))
    );
    let extra_p = principal(store, &a.company, "extra@acme.example").await;
    assert_eq!(
        licenses::get(store, &extra_p, lic).await.unwrap().my_role,
        LicenseRole::User
    );

    // Assigning anyone already seated is a conflict and changes nothing.
    let before = users_state(store, &a.manager, lic).await;
    for seated in [&extra, &a.user.account_id, &a.manager.account_id] {
        assert_eq!(
            users::assign(store, &as_actor(&a.manager), lic, seated).await,
            Err(already_seated())
        );
    }
    assert_eq!(users_state(store, &a.manager, lic).await, before);

    // Unassigning Uma frees her seat and deactivates her two devices, without touching the
    // deactivation budget.
    let (l0, _) = snapshot(store, &a.manager, lic).await;
    assert_eq!(
        users::unassign(
            store,
            &Actor::new(a.manager.clone(), "198.51.100.5"),
            lic,
            &a.user.account_id
        )
        .await,
        Ok(users::UserChange {
            license_id: lic.clone(),
            account_id: a.user.account_id.clone(),
            name: "Uma User".into(),
            devices_deactivated: 2,
        })
    );
    let (l1, devs) = snapshot(store, &a.manager, lic).await;
    assert_eq!(l1.devices_active, l0.devices_active - 2);
    assert_eq!(l1.deactivations_used, l0.deactivations_used);
    assert_eq!(l1.deactivations_used, 0);
    assert_eq!(l1.seats_used, l0.seats_used - 1);
    assert_eq!(
        names(&devs),
        set(&["Morgan's MacBook", "Morgan's workstation"])
    );
    let reason: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND account_id = $2 \
         AND deactivated_reason = 'unassigned' AND deactivated_by = $3",
    )
    .bind(lic)
    .bind(&a.user.account_id)
    .bind(&a.manager.account_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(reason, 2);
    assert_eq!(
        licenses::get(store, &a.user, lic).await,
        Err(AppError::not_found(Thing::License))
    );
    assert_eq!(
        devices::list(store, &as_actor(&a.user), lic).await,
        Err(AppError::not_found(Thing::License))
    );
    assert!(licenses::list(store, &a.user).await.unwrap().is_empty());
    assert_eq!(
        licenses::dashboard(store, &a.user).await.unwrap().role,
        None
    );
    let view = users_of(store, &a.manager, lic).await;
    assert!(view.users.iter().all(|u| u.account_id != a.user.account_id));
    assert_eq!(
        view.candidates
            .iter()
            .map(|c| c.account_id.as_str())
            .collect::<Vec<_>>(),
        vec![a.user.account_id.as_str()]
    );
    assert_eq!(
        audit_rows(store, lic, "user.unassigned").await,
        vec![(
            Some(a.manager.account_id.clone()),
            AuditSubject::Unassigned {
                name: "Uma User".into(),
                email: "user@acme.example".into(),
                devices: 2
            },
            Some("198.51.100.5".to_owned())
        )]
    );

    // Unassigning her again finds no seat and changes nothing.
    let before = users_state(store, &a.manager, lic).await;
    assert_eq!(
        users::unassign(store, &as_actor(&a.manager), lic, &a.user.account_id).await,
        Err(AppError::not_found(Thing::User))
    );
    assert_eq!(users_state(store, &a.manager, lic).await, before);

    // Assigned again, she gets a seat but not her devices back.
    users::assign(store, &as_actor(&a.manager), lic, &a.user.account_id)
        .await
        .expect("assign again");
    let view = users_of(store, &a.manager, lic).await;
    let uma = view
        .users
        .iter()
        .find(|u| u.account_id == a.user.account_id)
        .unwrap();
    assert_eq!((uma.role, uma.devices_active), (LicenseRole::User, 0));
    let (l2, _) = snapshot(store, &a.manager, lic).await;
    assert_eq!(
        (l2.seats_used, l2.devices_active, l2.deactivations_used),
        (3, 2, 0)
    );
    assert!(devices::list(store, &as_actor(&a.user), lic)
        .await
        .unwrap()
        .is_empty());
}

/// Unassigning someone from one license leaves their other licenses and devices alone.
#[tokio::test]
async fn unassigning_leaves_other_licenses_alone() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let now = licensing::now_millis();
    let pro = licenses::create(
        store,
        &licenses::NewLicense {
            tenant_id: a.manager.tenant_id.clone(),
            customer_id: a.manager.customer_id.clone().unwrap(),
            product: "CodeGlass Pro".into(),
            license_type: LicenseType::Organisation,
            subscriptions: 1,
            seats_per_subscription: 5,
            max_activations: 10,
            max_deactivations: 3,
            valid_from: now,
            valid_until: now + 1_000_000,
            owner_account_id: a.manager.account_id.clone(),
        },
        None,
    )
    .await
    .unwrap();
    users::assign(store, &as_actor(&a.manager), &pro, &a.user.account_id)
        .await
        .unwrap();
    activate(store, &pro, &a.user.account_id, "uma-pro")
        .await
        .unwrap();
    let pro_before = users_state(store, &a.manager, &pro).await;

    let change = users::unassign(
        store,
        &as_actor(&a.manager),
        &a.license_id,
        &a.user.account_id,
    )
    .await
    .unwrap();
    assert_eq!(change.devices_deactivated, 2);
    let pro_after = users_state(store, &a.manager, &pro).await;
    assert_eq!(pro_after.license, pro_before.license);
    assert_eq!(pro_after.users, pro_before.users);
    assert_eq!(
        names(
            &devices::list(store, &as_actor(&a.user), &pro)
                .await
                .unwrap()
        ),
        set(&["Device uma-pro"])
    );
    let left = licenses::list(store, &a.user).await.unwrap();
    assert_eq!(
        left.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        vec![pro.as_str()]
    );
}

#[tokio::test]
async fn unassigned_users_devices_stop_checking_in() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let created = users::create(
        store,
        &as_actor(&a.manager),
        lic,
        &new_user(
            "Dora Device",
            "dora@acme.example",
            Some("dora-password"),
            true,
        ),
    )
    .await
    .unwrap();
    let auth = devices::ActivationAuth::Credentials(creds(
        &a.company,
        "dora@acme.example",
        "dora-password",
    ));
    let target = devices::activation_target(store, &auth, IP, &THROTTLE)
        .await
        .expect("the new user activates");
    assert_eq!(target.license_id, *lic);
    assert_eq!(
        target.account_id.as_deref(),
        Some(created.account_id.as_str())
    );
    let activation = devices::activate_device(
        store,
        &target,
        &DeviceInfo {
            hardware_id: "dora-laptop",
            name: "Dora's laptop",
            os: "Linux",
        },
        IP,
    )
    .await
    .expect("activate the device");
    assert!(activation.created);
    let status = devices::check_in(store, &activation.token)
        .await
        .expect("check in");
    assert_eq!(status.device_id, activation.status.device_id);
    let view = users_of(store, &a.manager, lic).await;
    let dora = view
        .users
        .iter()
        .find(|u| u.account_id == created.account_id)
        .unwrap();
    assert_eq!(dora.devices_active, 1);

    let change = users::unassign(store, &as_actor(&a.manager), lic, &created.account_id)
        .await
        .expect("unassign");
    assert_eq!(change.devices_deactivated, 1);
    assert_eq!(
        devices::check_in(store, &activation.token).await,
        Err(AppError::DeviceDeactivated)
    );
    // The app cannot deactivate it again (and spend a deactivation), nor activate anew.
    assert_eq!(
        devices::deactivate_by_token(store, &activation.token, IP).await,
        Err(AppError::DeviceDeactivated)
    );
    assert_eq!(
        devices::activation_target(store, &auth, IP, &THROTTLE).await,
        Err(AppError::NoLicense)
    );
    let l = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!((l.devices_active, l.deactivations_used), (4, 0));
}

#[tokio::test]
async fn a_license_keeps_a_manager() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let (morgan, uma) = (&a.manager, &a.user);

    // The only manager can neither leave nor step down; a role already held is a conflict.
    let before = users_state(store, morgan, lic).await;
    assert_eq!(
        users::unassign(store, &as_actor(morgan), lic, &morgan.account_id).await,
        Err(last_manager())
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(morgan),
            lic,
            &morgan.account_id,
            LicenseRole::User
        )
        .await,
        Err(last_manager())
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(morgan),
            lic,
            &morgan.account_id,
            LicenseRole::Manager
        )
        .await,
        Err(AppError::conflict(ConflictReason::AlreadyManager {
            name: "Morgan Manager".into()
        }))
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(morgan),
            lic,
            &uma.account_id,
            LicenseRole::User
        )
        .await,
        Err(AppError::conflict(ConflictReason::AlreadyUser {
            name: "Uma User".into()
        }))
    );
    assert_eq!(users_state(store, morgan, lic).await, before);
    assert_eq!(audit_count(store, lic, "user.role_changed").await, 0);

    // Uma becomes a manager and can manage the users.
    assert_eq!(
        users::set_role(
            store,
            &as_actor(morgan),
            lic,
            &uma.account_id,
            LicenseRole::Manager
        )
        .await,
        Ok(users::UserChange {
            license_id: lic.clone(),
            account_id: uma.account_id.clone(),
            name: "Uma User".into(),
            devices_deactivated: 0,
        })
    );
    assert_eq!(
        audit_rows(store, lic, "user.role_changed").await,
        vec![(
            Some(morgan.account_id.clone()),
            AuditSubject::RoleChanged {
                name: "Uma User".into(),
                email: "user@acme.example".into(),
                role: LicenseRole::Manager
            },
            Some(IP.to_owned())
        )]
    );
    let seen_by_uma = users::list(store, uma, lic)
        .await
        .expect("a new manager lists users");
    assert_eq!(seen_by_uma, users_of(store, morgan, lic).await);
    assert_eq!(seen_by_uma.managers(), 2);
    assert_eq!(
        licenses::get(store, uma, lic).await.unwrap().my_role,
        LicenseRole::Manager
    );
    assert_eq!(
        licenses::dashboard(store, uma).await.unwrap().role,
        Some(LicenseRole::Manager)
    );

    // With two managers, Morgan may step down; then he manages nothing.
    users::set_role(
        store,
        &as_actor(morgan),
        lic,
        &morgan.account_id,
        LicenseRole::User,
    )
    .await
    .expect("step down");
    assert_eq!(
        users::list(store, morgan, lic).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        licenses::get(store, morgan, lic).await.unwrap().my_role,
        LicenseRole::User
    );
    let view = users_of(store, uma, lic).await;
    assert_eq!(view.managers(), 1);
    let roles: Vec<_> = view
        .users
        .iter()
        .map(|u| (u.name.as_str(), u.role))
        .collect();
    assert_eq!(
        roles,
        vec![
            ("Morgan Manager", LicenseRole::User),
            ("Uma User", LicenseRole::Manager)
        ]
    );

    // Now Uma is the last manager; Morgan cannot take the role back himself.
    let before = users_state(store, uma, lic).await;
    assert_eq!(
        users::set_role(
            store,
            &as_actor(uma),
            lic,
            &uma.account_id,
            LicenseRole::User
        )
        .await,
        Err(last_manager())
    );
    assert_eq!(
        users::unassign(store, &as_actor(uma), lic, &uma.account_id).await,
        Err(last_manager())
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(morgan),
            lic,
            &morgan.account_id,
            LicenseRole::Manager
        )
        .await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::unassign(store, &as_actor(morgan), lic, &uma.account_id).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(users_state(store, uma, lic).await, before);
    assert_eq!(audit_count(store, lic, "user.role_changed").await, 2);

    // Uma may unassign Morgan, a plain user now; his devices go with him.
    let change = users::unassign(store, &as_actor(uma), lic, &morgan.account_id)
        .await
        .expect("unassign Morgan");
    assert_eq!(change.devices_deactivated, 2);
    let view = users_of(store, uma, lic).await;
    assert_eq!(view.users.len(), 1);
    assert_eq!(view.managers(), 1);
}

#[tokio::test]
async fn two_managers_may_remove_each_other_but_not_the_last() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let (morgan, uma) = (&a.manager, &a.user);
    users::set_role(
        store,
        &as_actor(morgan),
        lic,
        &uma.account_id,
        LicenseRole::Manager,
    )
    .await
    .unwrap();
    // A manager may unassign another manager while one remains.
    let change = users::unassign(store, &as_actor(uma), lic, &morgan.account_id)
        .await
        .expect("unassign the other manager");
    assert_eq!(change.devices_deactivated, 2);
    assert_eq!(
        licenses::get(store, morgan, lic).await,
        Err(AppError::not_found(Thing::License))
    );
    let before = users_state(store, uma, lic).await;
    assert_eq!(before.users.managers(), 1);
    assert_eq!(
        users::unassign(store, &as_actor(uma), lic, &uma.account_id).await,
        Err(last_manager())
    );
    assert_eq!(users_state(store, uma, lic).await, before);
}

#[tokio::test]
async fn purchases_raise_the_same_license() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let tenant_id = a.manager.tenant_id.clone();
    let customer_id = a.manager.customer_id.clone().unwrap();
    let now = licensing::now_millis();
    let order = |license_type: LicenseType, subscriptions: i64| licenses::NewLicense {
        tenant_id: tenant_id.clone(),
        customer_id: customer_id.clone(),
        product: "CodeGlass".into(),
        license_type,
        subscriptions,
        seats_per_subscription: 5,
        max_activations: 10 * subscriptions,
        max_deactivations: 3,
        valid_from: now,
        valid_until: now + 1_000_000,
        owner_account_id: a.manager.account_id.clone(),
    };
    let l0 = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        (l0.subscriptions, l0.max_users, l0.max_activations),
        (1, 5, 10)
    );

    // Two more subscriptions of the same product and type raise the one license.
    assert_eq!(
        licenses::purchase(store, &order(LicenseType::Organisation, 2), None).await,
        Ok(licenses::Purchase {
            license_id: lic.clone(),
            created: false,
        })
    );
    let l1 = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        (l1.subscriptions, l1.max_users, l1.max_activations),
        (3, 15, 30)
    );
    assert_eq!(
        License {
            subscriptions: l0.subscriptions,
            max_users: l0.max_users,
            max_activations: l0.max_activations,
            ..l1.clone()
        },
        l0,
        "nothing else changes"
    );
    for who in [&a.manager, &a.user] {
        let listed = licenses::list(store, who).await.unwrap();
        assert_eq!(listed.len(), 1, "{}", who.email);
        assert_eq!(listed[0].id, *lic);
    }
    assert_eq!(
        audit_rows(store, lic, "license.subscriptions_added").await,
        vec![(None, AuditSubject::SubscriptionsAdded { count: 2 }, None)]
    );
    assert_eq!(audit_count(store, lic, "license.created").await, 1);
    assert_eq!(users_of(store, &a.manager, lic).await.max_users, 15);

    // add_subscriptions directly, once more.
    licenses::add_subscriptions(store, lic, 1, Some(&a.manager.account_id))
        .await
        .unwrap();
    let l2 = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        (l2.subscriptions, l2.max_users, l2.max_activations),
        (4, 20, 40)
    );

    // Refused: another type of the same product, no subscription at all, a second license of
    // the same product. None changes anything.
    let before = users_state(store, &a.manager, lic).await;
    for other in [LicenseType::Experimental, LicenseType::Personal] {
        let refused = licenses::purchase(store, &order(other, 1), None).await;
        match &refused {
            Err(AppError::Conflict { reason }) => assert_eq!(
                reason,
                &ConflictReason::OtherLicenseType {
                    product: "CodeGlass".into(),
                    license_type: LicenseType::Organisation
                }
            ),
            other => panic!("expected a conflict, got {other:?}"),
        }
    }
    assert_eq!(
        licenses::purchase(store, &order(LicenseType::Organisation, 0), None).await,
        Err(AppError::invalid(
            Field::Subscriptions,
            InvalidReason::AtLeast { min: 1 }
        ))
    );
    assert_eq!(
        licenses::add_subscriptions(store, lic, 0, None).await,
        Err(AppError::invalid(
            Field::Subscriptions,
            InvalidReason::AtLeast { min: 1 }
        ))
    );
    assert_eq!(
        licenses::add_subscriptions(store, "no-such-license", 1, None).await,
        Err(AppError::not_found(Thing::License))
    );
    assert!(matches!(
        licenses::create(store, &order(LicenseType::Organisation, 1), None).await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(users_state(store, &a.manager, lic).await, before);
    assert_eq!(licenses::list(store, &a.manager).await.unwrap().len(), 1);

    // Another customer's first purchase of the product creates their own license.
    let initech = tenants::create_customer(store, &tenant_id, "Initech")
        .await
        .unwrap();
    let boss = new_customer_account(store, &tenant_id, &initech, "boss@initech.example").await;
    let first = licenses::purchase(
        store,
        &licenses::NewLicense {
            customer_id: initech.clone(),
            owner_account_id: boss.clone(),
            ..order(LicenseType::Experimental, 1)
        },
        None,
    )
    .await
    .unwrap();
    assert!(first.created);
    assert_ne!(first.license_id, *lic);
    assert_eq!(
        users_state(store, &a.manager, lic).await.license,
        before.license
    );

    // A Personal license keeps its one user however many subscriptions are bought.
    let solo_customer = tenants::create_customer(store, &tenant_id, "Solo Dev")
        .await
        .unwrap();
    let solo_id =
        new_customer_account(store, &tenant_id, &solo_customer, "solo@solo.example").await;
    let personal = |subscriptions: i64| licenses::NewLicense {
        customer_id: solo_customer.clone(),
        owner_account_id: solo_id.clone(),
        seats_per_subscription: 1,
        max_activations: 3 * subscriptions,
        ..order(LicenseType::Personal, subscriptions)
    };
    let bought = licenses::purchase(store, &personal(1), None).await.unwrap();
    assert!(bought.created);
    let solo = principal(store, &a.company, "solo@solo.example").await;
    let p0 = licenses::get(store, &solo, &bought.license_id)
        .await
        .unwrap();
    assert_eq!(
        (
            p0.subscriptions,
            p0.max_users,
            p0.max_activations,
            p0.my_role
        ),
        (1, 1, 3, LicenseRole::User)
    );
    assert_eq!(
        licenses::purchase(store, &personal(2), None).await,
        Ok(licenses::Purchase {
            license_id: bought.license_id.clone(),
            created: false,
        })
    );
    let p1 = licenses::get(store, &solo, &bought.license_id)
        .await
        .unwrap();
    assert_eq!(
        (
            p1.subscriptions,
            p1.max_users,
            p1.max_activations,
            p1.seats_used
        ),
        (3, 1, 9, 1)
    );
    assert_eq!(licenses::list(store, &solo).await.unwrap().len(), 1);

    // Its owner is its user, not a manager: there is no Users tab to use.
    let extra =
        new_customer_account(store, &tenant_id, &solo_customer, "friend@solo.example").await;
    let solo_audit = tenant_audit_count(store, &tenant_id).await;
    let solo_accounts = account_count(store, &tenant_id).await;
    let pl = &bought.license_id;
    assert_eq!(
        users::list(store, &solo, pl).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::create(
            store,
            &as_actor(&solo),
            pl,
            &new_user(
                "Friend Two",
                "friend2@solo.example",
                Some("friend-password"),
                true
            )
        )
        .await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::assign(store, &as_actor(&solo), pl, &extra).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::unassign(store, &as_actor(&solo), pl, &solo.account_id).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::set_role(
            store,
            &as_actor(&solo),
            pl,
            &solo.account_id,
            LicenseRole::Manager
        )
        .await,
        Err(AppError::Forbidden)
    );
    // Not even the vendor's staff manage users on it.
    tenants::create_account(
        store,
        &NewAccount {
            tenant_id: &tenant_id,
            customer_id: None,
            kind: AccountKind::VendorAdmin,
            email: "support@codeglass.example",
            name: "Vendor Support",
            password: DEMO_PASSWORD,
        },
    )
    .await
    .unwrap();
    let support = principal(store, &a.company, "support@codeglass.example").await;
    let personal_refused = AppError::conflict(ConflictReason::PersonalHasNoUsers);
    assert_eq!(
        users::list(store, &support, pl).await,
        Err(personal_refused.clone())
    );
    assert_eq!(
        users::assign(store, &as_actor(&support), pl, &extra).await,
        Err(personal_refused)
    );
    assert_eq!(
        licenses::get(store, &solo, pl).await.unwrap(),
        p1,
        "nothing changed"
    );
    assert_eq!(tenant_audit_count(store, &tenant_id).await, solo_audit);
    assert_eq!(account_count(store, &tenant_id).await, solo_accounts + 1);
    login_fails(store, &a.company, "friend2@solo.example", "friend-password").await;
}

/// Two managers stepping down at the same moment (through two pools): one of them stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_step_downs_keep_a_manager() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let lic = &a.license_id;
    let second = Store::connect(&w.url).await.expect("second pool");
    users::set_role(
        store,
        &as_actor(&a.manager),
        lic,
        &a.user.account_id,
        LicenseRole::Manager,
    )
    .await
    .unwrap();
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let tasks: Vec<_> = [(store.clone(), a.manager.clone()), (second, a.user.clone())]
        .into_iter()
        .map(|(store, who)| {
            let (lic, barrier) = (lic.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                users::set_role(
                    &store,
                    &as_actor(&who),
                    &lic,
                    &who.account_id,
                    LicenseRole::User,
                )
                .await
            })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.expect("task"));
    }
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert_eq!(
        results
            .iter()
            .filter(|r| **r == Err(last_manager()))
            .count(),
        1,
        "{results:?}"
    );
    let roles: Vec<String> =
        sqlx::query_scalar("SELECT role FROM license_users WHERE license_id = $1")
            .bind(lic)
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(roles.iter().filter(|r| *r == "manager").count(), 1);
    assert_eq!(audit_count(store, lic, "user.role_changed").await, 2);
}

/// One set-password link redeemed many times at once (through two pools): it sets exactly one
/// password, and every other attempt is told the link is used.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_link_redemptions_set_one_password() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let second = Store::connect(&w.url).await.expect("second pool");
    let created = users::create(
        store,
        &as_actor(&a.manager),
        &a.license_id,
        &new_user("Rita Race", "rita@acme.example", None, true),
    )
    .await
    .unwrap();
    let token = created.set_password_token.unwrap();
    let n = 8;
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let store = if i % 2 == 0 {
                store.clone()
            } else {
                second.clone()
            };
            let (token, barrier) = (token.clone(), barrier.clone());
            tokio::spawn(async move {
                let password = format!("rita-password-{i}");
                barrier.wait().await;
                let result =
                    users::set_password_with_link(&store, &token, &password, &password, IP).await;
                (password, result)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for t in tasks {
        let (password, result) = t.await.expect("task");
        match result {
            Ok(link) => {
                assert_eq!(link.email, "rita@acme.example");
                winners.push(password);
            }
            Err(e) => assert_eq!(e, link_refused(), "{password}"),
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let rita = principal_with(store, &a.company, "rita@acme.example", &winners[0]).await;
    assert_eq!(rita.account_id, created.account_id);
    for i in 0..n {
        let password = format!("rita-password-{i}");
        if password != winners[0] {
            login_fails(store, &a.company, "rita@acme.example", &password).await;
        }
    }
    let set: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'user.password_set' AND actor_id = $1",
    )
    .bind(&created.account_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(set, 1);
}

/// Simultaneous first purchases of a product by one customer (through two pools): one creates
/// the license, every other raises it, and no subscription is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_purchases_make_one_license() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let second = Store::connect(&w.url).await.expect("second pool");
    let tenant_id = a.manager.tenant_id.clone();
    let initech = tenants::create_customer(store, &tenant_id, "Initech")
        .await
        .unwrap();
    let boss = new_customer_account(store, &tenant_id, &initech, "boss@initech.example").await;
    let now = licensing::now_millis();
    let order = licenses::NewLicense {
        tenant_id: tenant_id.clone(),
        customer_id: initech.clone(),
        product: "CodeGlass".into(),
        license_type: LicenseType::Organisation,
        subscriptions: 1,
        seats_per_subscription: 5,
        max_activations: 10,
        max_deactivations: 3,
        valid_from: now,
        valid_until: now + 1_000_000,
        owner_account_id: boss,
    };
    let n = 6;
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let store = if i % 2 == 0 {
                store.clone()
            } else {
                second.clone()
            };
            let (order, barrier) = (order.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                licenses::purchase(&store, &order, None).await
            })
        })
        .collect();
    let mut bought = Vec::new();
    for t in tasks {
        bought.push(t.await.expect("task").expect("every purchase succeeds"));
    }
    assert_eq!(bought.iter().filter(|p| p.created).count(), 1, "{bought:?}");
    assert!(bought.iter().all(|p| p.license_id == bought[0].license_id));
    let boss = principal(store, &a.company, "boss@initech.example").await;
    let listed = licenses::list(store, &boss).await.unwrap();
    assert_eq!(listed.len(), 1);
    let n = n as i64;
    assert_eq!(
        (
            listed[0].subscriptions,
            listed[0].max_users,
            listed[0].max_activations
        ),
        (n, 5 * n, 10 * n)
    );
    assert_eq!(
        audit_count(store, &listed[0].id, "license.subscriptions_added").await,
        n - 1
    );
    assert_eq!(
        audit_count(store, &listed[0].id, "license.created").await,
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Vendor staff: lifting the deactivation limit, limits, suspension, the tenant's licenses
// ---------------------------------------------------------------------------------------------

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

#[tokio::test]
async fn the_vendor_lifts_the_deactivation_limit_with_a_reason() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let other_support = vendor_admin(store, &b, "support@othersoft.example").await;

    // The customer spends the budget and is refused the next reset.
    let (_, devices) = snapshot(store, &a.manager, &a.license_id).await;
    for d in &devices[..3] {
        devices::reset(store, &as_actor(&a.manager), &d.id)
            .await
            .expect("reset");
    }
    let last = devices[3].id.clone();
    assert_eq!(
        devices::reset(store, &as_actor(&a.manager), &last).await,
        Err(AppError::DeactivationLimitReached { allowed: 3 })
    );
    let spent = snapshot(store, &a.manager, &a.license_id).await;
    let audit = tenant_audit_count(store, &a.manager.tenant_id).await;

    // Only the tenant's own vendor staff may lift it, and only with a reason; nothing changes.
    for (who, expected) in [
        (&a.manager, AppError::Forbidden),
        (&a.user, AppError::Forbidden),
        (&other_support, AppError::not_found(Thing::License)),
    ] {
        assert_eq!(
            licenses::reset_deactivation_limit(
                store,
                &as_actor(who),
                &a.license_id,
                "asked nicely"
            )
            .await,
            Err(expected)
        );
    }
    for reason in ["", "   "] {
        assert!(matches!(
            licenses::reset_deactivation_limit(store, &as_actor(&support), &a.license_id, reason).await,
            Err(AppError::Invalid { ref field, .. }) if field.name() == "Reason"
        ));
    }
    assert_eq!(snapshot(store, &a.manager, &a.license_id).await, spent);
    assert_eq!(tenant_audit_count(store, &a.manager.tenant_id).await, audit);

    licenses::reset_deactivation_limit(
        store,
        &as_actor(&support),
        &a.license_id,
        " Customer replaced three laptops ",
    )
    .await
    .expect("support lifts the limit");
    let lifted = licenses::get(store, &a.manager, &a.license_id)
        .await
        .unwrap();
    assert_eq!(
        (lifted.deactivations_used, lifted.deactivations_left()),
        (0, 3)
    );
    let (actor, subject): (Option<String>, String) = sqlx::query_as(
        "SELECT actor_id, subject FROM audit_events \
         WHERE license_id = $1 AND action = 'license.deactivation_limit_reset'",
    )
    .bind(&a.license_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(actor.as_deref(), Some(support.account_id.as_str()));
    assert_eq!(
        AuditSubject::from_stored(&subject),
        AuditSubject::DeactivationLimitReset {
            used_before: 3,
            reason: "Customer replaced three laptops".into()
        }
    );

    // The customer's reset works again.
    devices::reset(store, &as_actor(&a.manager), &last)
        .await
        .expect("reset after the limit was lifted");
}

#[tokio::test]
async fn limits_never_fall_below_what_is_in_use() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let lic = &a.license_id;
    let before = snapshot(store, &a.manager, lic).await;
    let until = before.0.valid_until;
    devices::reset(store, &as_actor(&a.manager), &before.1[0].id)
        .await
        .unwrap();
    let before = snapshot(store, &a.manager, lic).await;
    let audit = tenant_audit_count(store, &a.manager.tenant_id).await;

    // Seats 2 in use, devices 3 active, 1 deactivation used.
    for (bad, field) in [
        (limits(1, 10, 3, until), "Seats"),
        (limits(0, 10, 3, until), "Seats"),
        (limits(5, 2, 3, until), "Devices"),
        (limits(5, 10, 0, until), "Deactivations"),
        (limits(5, 10, 3, before.0.valid_from), "Valid until"),
    ] {
        match licenses::update_limits(store, &as_actor(&support), lic, &bad).await {
            Err(AppError::Invalid { field: f, .. }) => assert_eq!(f.name(), field, "{bad:?}"),
            other => panic!("{bad:?}: expected Invalid {field}, got {other:?}"),
        }
    }
    assert_eq!(
        licenses::update_limits(store, &as_actor(&a.manager), lic, &limits(9, 9, 9, until)).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(snapshot(store, &a.manager, lic).await, before);
    assert_eq!(tenant_audit_count(store, &a.manager.tenant_id).await, audit);

    // Exactly at what is in use is fine, and so is raising.
    licenses::update_limits(
        store,
        &as_actor(&support),
        lic,
        &limits(2, 3, 1, until + 1000),
    )
    .await
    .expect("limits at what is in use");
    let l = licenses::get(store, &a.manager, lic).await.unwrap();
    assert_eq!(
        (
            l.max_users,
            l.max_activations,
            l.max_deactivations,
            l.valid_until
        ),
        (2, 3, 1, until + 1000)
    );
    assert_eq!(audit_count(store, lic, "license.limits_changed").await, 1);
}

#[tokio::test]
async fn a_suspended_license_refuses_the_desktop_app_until_resumed() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let lic = &a.license_id;
    let login =
        devices::ActivationAuth::Credentials(creds(&a.company, &a.user_email(), DEMO_PASSWORD));

    assert_eq!(
        licenses::set_suspended(store, &as_actor(&a.manager), lic, true).await,
        Err(AppError::Forbidden)
    );
    licenses::set_suspended(store, &as_actor(&support), lic, true)
        .await
        .expect("suspend");
    assert_eq!(
        licenses::get(store, &a.user, lic).await.unwrap().status,
        LicenseStatus::Suspended
    );
    assert_eq!(
        devices::activation_target(store, &login, IP, &THROTTLE).await,
        Err(AppError::LicenseInactive)
    );
    assert!(matches!(
        licenses::set_suspended(store, &as_actor(&support), lic, true).await,
        Err(AppError::Conflict { .. })
    ));
    licenses::set_suspended(store, &as_actor(&support), lic, false)
        .await
        .expect("resume");
    assert_eq!(
        licenses::get(store, &a.user, lic).await.unwrap().status,
        LicenseStatus::Active
    );
    assert!(devices::activation_target(store, &login, IP, &THROTTLE)
        .await
        .is_ok());
    assert_eq!(audit_count(store, lic, "license.suspended").await, 1);
    assert_eq!(audit_count(store, lic, "license.resumed").await, 1);
}

#[tokio::test]
async fn vendor_staff_list_their_own_tenants_licenses() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let (_, initech_license, _) = other_customer_with_license(
        store,
        &a.company,
        &a.manager.tenant_id,
        "Initech",
        "boss@initech.example",
    )
    .await;

    let all = licenses::list_for_tenant(store, &support, None)
        .await
        .unwrap();
    let ids: BTreeSet<String> = all.iter().map(|t| t.license.id.clone()).collect();
    assert_eq!(ids, set(&[&a.license_id, &initech_license]));
    assert!(!ids.contains(&b.license_id));
    let acme = &all
        .iter()
        .find(|t| t.license.id == a.license_id)
        .unwrap()
        .license;
    assert_eq!(
        (
            acme.seats_used,
            acme.max_users,
            acme.devices_active,
            acme.max_activations
        ),
        (2, 5, 4, 10)
    );
    let found = licenses::list_for_tenant(store, &support, Some("ACME"))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].license.id, a.license_id);
    assert!(
        licenses::list_for_tenant(store, &support, Some("no such customer"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        licenses::list_for_tenant(store, &a.manager, None).await,
        Err(AppError::Forbidden)
    );
}

#[tokio::test]
async fn a_tenant_and_its_first_admin_are_created_together_or_not_at_all() {
    let (store, _url, _dir) = database().await;
    let company = fresh_company();
    let tenants_named = |key: String| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tenants WHERE company_key = $1")
                .bind(key)
                .fetch_one(store.pool())
                .await
                .unwrap()
        }
    };
    for (email, name, password, field) in [
        ("not-an-email", "Ada Admin", DEMO_PASSWORD, "Email"),
        ("ada@vendor.example", "", DEMO_PASSWORD, "Name"),
        ("ada@vendor.example", "Ada Admin", "short", "Password"),
    ] {
        match tenants::create_tenant_with_admin(&store, &company, "Vendor", email, name, password)
            .await
        {
            Err(AppError::Invalid { field: f, .. }) => assert_eq!(f.name(), field),
            other => panic!("expected Invalid {field}, got {other:?}"),
        }
    }
    assert!(matches!(
        tenants::create_tenant_with_admin(&store, "bad id!", "Vendor", "ada@vendor.example", "Ada", DEMO_PASSWORD).await,
        Err(AppError::Invalid { ref field, .. }) if field.name() == "Company ID"
    ));
    assert_eq!(tenants_named(company.to_lowercase()).await, 0);

    tenants::create_tenant_with_admin(
        &store,
        &company,
        "Vendor",
        "ada@vendor.example",
        "Ada Admin",
        DEMO_PASSWORD,
    )
    .await
    .expect("create tenant with admin");
    let ada = principal(&store, &company, "ada@vendor.example").await;
    assert_eq!(ada.kind, AccountKind::VendorAdmin);
    assert_eq!(ada.customer_id, None);
    assert!(matches!(
        tenants::create_tenant_with_admin(
            &store,
            &company.to_uppercase(),
            "Vendor",
            "bob@vendor.example",
            "Bob",
            DEMO_PASSWORD
        )
        .await,
        Err(AppError::Conflict { .. })
    ));
    assert_eq!(tenants_named(company.to_lowercase()).await, 1);
    assert_eq!(account_count(&store, &ada.tenant_id).await, 1);
}

#[tokio::test]
async fn vendor_staff_create_customer_accounts_with_a_link() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let customer = a.manager.customer_id.clone().unwrap();
    let foreign = b.manager.customer_id.clone().unwrap();
    let accounts = account_count(store, &a.manager.tenant_id).await;

    assert_eq!(
        users::create_for_customer(
            store,
            &as_actor(&a.manager),
            &customer,
            "Ann",
            "ann@acme.example"
        )
        .await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        users::create_for_customer(
            store,
            &as_actor(&support),
            &foreign,
            "Ann",
            "ann@acme.example"
        )
        .await,
        Err(AppError::not_found(Thing::Customer))
    );
    assert_eq!(account_count(store, &a.manager.tenant_id).await, accounts);

    let created = users::create_for_customer(
        store,
        &as_actor(&support),
        &customer,
        "Ann Owner",
        "ann@acme.example",
    )
    .await
    .expect("create a customer account");
    let token = created.set_password_token.expect("a set-password link");
    users::set_password_with_link(store, &token, "ann-password", "ann-password", IP)
        .await
        .expect("the link sets the password");
    let ann = auth::check_credentials(
        store,
        &creds(&a.company, "ann@acme.example", "ann-password"),
        IP,
    )
    .await
    .expect("Ann logs in");
    assert_eq!(ann.customer_id.as_deref(), Some(customer.as_str()));
}

// ---------------------------------------------------------------------------------------------
// Offline activation
// ---------------------------------------------------------------------------------------------

/// Initech, a second customer of tenant `a`, with an Offline Organisation license for
/// `max_activations` devices and its license key; its owner (`offline@initech.example`) manages
/// it and `olaf@initech.example` is its license user.
struct OfflineLicense {
    license_id: String,
    key: String,
    manager: Principal,
    user: Principal,
}

async fn offline_license(store: &Store, t: &Tenant, max_activations: i64) -> OfflineLicense {
    let tenant_id = &t.manager.tenant_id;
    let customer = tenants::create_customer(store, tenant_id, "Initech")
        .await
        .expect("create customer");
    let owner = new_customer_account(store, tenant_id, &customer, "offline@initech.example").await;
    let other = new_customer_account(store, tenant_id, &customer, "olaf@initech.example").await;
    let now = licensing::now_millis();
    let license_id = licenses::create(
        store,
        &licenses::NewLicense {
            tenant_id: tenant_id.clone(),
            customer_id: customer,
            product: "CodeGlass".into(),
            license_type: LicenseType::OfflineOrganisation,
            subscriptions: 1,
            seats_per_subscription: 5,
            max_activations,
            max_deactivations: 3,
            valid_from: now,
            valid_until: now + 30 * 24 * 60 * 60 * 1000,
            owner_account_id: owner,
        },
        None,
    )
    .await
    .expect("create offline license");
    let key = licenses::issue_key(store, &license_id)
        .await
        .expect("issue key");
    let manager = principal(store, &t.company, "offline@initech.example").await;
    users::assign(store, &as_actor(&manager), &license_id, &other)
        .await
        .expect("assign a license user");
    let user = principal(store, &t.company, "olaf@initech.example").await;
    OfflineLicense {
        license_id,
        key,
        manager,
        user,
    }
}

/// An activation request file as the desktop app writes it.
fn offline_request(license_key: &str, hardware_id: &str, device_name: &str) -> Vec<u8> {
    serde_json::to_vec_pretty(&serde_json::json!({
        "format": "keyport-offline-request/1",
        "license_key": license_key,
        "hardware_id": hardware_id,
        "device_name": device_name,
        "os": "Windows 11",
    }))
    .unwrap()
}

/// Verifies a downloaded license file the way an offline app does, with nothing but the tenant's
/// public key (base64 of the 32 raw bytes, as `/api/v1/public-key` serves it); returns the payload.
fn verify_license_file(
    file_bytes: &[u8],
    public_key_b64: &str,
) -> Result<serde_json::Value, String> {
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine;
    use ed25519_dalek::{Signature, VerifyingKey};

    let file: serde_json::Value = serde_json::from_slice(file_bytes).map_err(|e| e.to_string())?;
    if file["format"] != "keyport-offline-license/1" {
        return Err(format!("format {}", file["format"]));
    }
    let field = |name: &str| {
        file[name]
            .as_str()
            .ok_or_else(|| format!("no {name}"))
            .and_then(|v| BASE64.decode(v).map_err(|e| e.to_string()))
    };
    let payload = field("payload")?;
    let signature = Signature::from_slice(&field("signature")?).map_err(|e| e.to_string())?;
    let raw: [u8; 32] = BASE64
        .decode(public_key_b64)
        .map_err(|e| e.to_string())?
        .try_into()
        .map_err(|_| "public key is not 32 bytes".to_owned())?;
    VerifyingKey::from_bytes(&raw)
        .map_err(|e| e.to_string())?
        .verify_strict(&payload, &signature)
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&payload).map_err(|e| e.to_string())
}

/// Everything a refused offline activation must leave as it was: the license, its devices and
/// the tenant's audit log.
async fn offline_state(store: &Store, o: &OfflineLicense) -> ((License, Vec<Device>), i64) {
    (
        snapshot(store, &o.manager, &o.license_id).await,
        tenant_audit_count(store, &o.manager.tenant_id).await,
    )
}

#[tokio::test]
async fn offline_activation_issues_a_license_file_verified_with_the_public_key() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let o = offline_license(store, a, 3).await;
    let lic = &o.license_id;
    let license = licenses::get(store, &o.manager, lic).await.unwrap();
    assert_eq!(license.license_type, LicenseType::OfflineOrganisation);
    assert_eq!(license.devices_active, 0);

    let before = licensing::now_millis();
    let issued = offline::activate(
        store,
        &o.manager,
        lic,
        &offline_request(&o.key, "HW-OFFLINE-1", "Lab PC"),
        IP,
    )
    .await
    .expect("offline activation");
    assert!(issued.created);
    assert_eq!(
        issued.license.file_name(),
        "keyport-license-HW-OFFLINE-1.json"
    );

    // The file as downloaded, verified with only the public key the API serves for the company.
    let (_, public) = licensing::signing::public_key_for_company(store, &a.company.to_uppercase())
        .await
        .expect("public key");
    assert_eq!(issued.file.key_id, public.key_id);
    let downloaded = serde_json::to_vec_pretty(&issued.file).unwrap();
    let payload = verify_license_file(&downloaded, &public.public_key).expect("signature verifies");
    assert_eq!(payload["company"], a.company.to_lowercase());
    assert_eq!(payload["license_id"], lic.as_str());
    assert_eq!(payload["product"], "CodeGlass");
    assert_eq!(payload["license_type"], "offline_organisation");
    assert_eq!(payload["hardware_id"], "HW-OFFLINE-1");
    assert_eq!(payload["device_name"], "Lab PC");
    assert_eq!(payload["valid_until"], license.valid_until);
    let issued_at = payload["issued_at"].as_i64().expect("issued_at");
    assert!(issued_at >= before && issued_at <= licensing::now_millis());
    assert_eq!(
        serde_json::from_value::<offline::OfflineLicense>(payload.clone()).unwrap(),
        issued.license
    );

    // It took one slot, shown on the Devices tab as the manager's, audited once.
    let (l, list) = snapshot(store, &o.manager, lic).await;
    assert_eq!(l.devices_active, 1);
    let device = named(&list, "Lab PC");
    assert_eq!(payload["device_id"], device.id.as_str());
    assert_eq!(device.os, "Windows 11");
    assert_eq!(device.activated_by.as_deref(), Some("Extra Person"));
    assert_eq!(audit_count(store, lic, "device.activated_offline").await, 1);
    assert_eq!(audit_count(store, lic, "device.activated").await, 0);
    let log = audit::list_for_license(store, &o.manager, lic, 1)
        .await
        .unwrap();
    let entry = log
        .entries
        .iter()
        .find(|e| e.action == AuditAction::DeviceActivatedOffline)
        .expect("logged");
    assert_eq!(entry.subject, device_subject("Lab PC"));
    assert_eq!(entry.actor.as_deref(), Some("Extra Person"));
    assert_eq!(entry.ip.as_deref(), Some(IP));

    // A changed payload, or another tenant's key, does not verify.
    let mut forged: serde_json::Value = serde_json::from_slice(&downloaded).unwrap();
    let longer = {
        use base64::Engine;
        let engine = base64::engine::general_purpose::STANDARD;
        let mut p: serde_json::Value =
            serde_json::from_slice(&engine.decode(forged["payload"].as_str().unwrap()).unwrap())
                .unwrap();
        p["valid_until"] = serde_json::json!(license.valid_until + 365 * 24 * 60 * 60 * 1000);
        engine.encode(serde_json::to_vec(&p).unwrap())
    };
    forged["payload"] = longer.into();
    assert!(
        verify_license_file(&serde_json::to_vec(&forged).unwrap(), &public.public_key).is_err()
    );
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let (_, foreign_key) = licensing::signing::public_key_for_company(store, &b.company)
        .await
        .unwrap();
    assert!(verify_license_file(&downloaded, &foreign_key.public_key).is_err());

    // The same machine again (spaces around its id are not another machine) takes no new slot:
    // a fresh file for the same device, audited as a re-issue.
    let again = offline::activate(
        store,
        &o.manager,
        lic,
        &offline_request(&o.key.to_lowercase(), "  HW-OFFLINE-1 ", "Lab PC renamed"),
        IP,
    )
    .await
    .expect("the same machine again");
    assert!(!again.created);
    assert_eq!(again.license.device_id, issued.license.device_id);
    assert_eq!(again.license.hardware_id, "HW-OFFLINE-1");
    assert_eq!(again.license.device_name, "Lab PC");
    let payload = verify_license_file(
        &serde_json::to_vec(&again.file).unwrap(),
        &public.public_key,
    )
    .expect("the new file verifies");
    assert_eq!(payload["device_id"], device.id.as_str());
    assert_eq!(snapshot(store, &o.manager, lic).await.0.devices_active, 1);
    assert_eq!(audit_count(store, lic, "device.activated_offline").await, 1);
    assert_eq!(
        audit_count(store, lic, "device.reactivated_offline").await,
        1
    );

    // A vendor admin of the tenant acts as a manager.
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let by_vendor = offline::activate(
        store,
        &support,
        lic,
        &offline_request(&o.key, "HW-OFFLINE-2", "Lab PC 2"),
        IP,
    )
    .await
    .expect("a vendor admin activates offline");
    assert!(by_vendor.created);
    assert_eq!(snapshot(store, &o.manager, lic).await.0.devices_active, 2);
}

#[tokio::test]
async fn offline_activation_refusals_change_nothing() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let o = offline_license(store, a, 2).await;
    let lic = &o.license_id;
    let acme_key = licenses::issue_key(store, &a.license_id).await.unwrap();
    let ok = |hw: &str| offline_request(&o.key, hw, &format!("Device {hw}"));

    offline::activate(store, &o.manager, lic, &ok("hw-1"), IP)
        .await
        .expect("first machine");
    let state = offline_state(store, &o).await;
    let acme_state = (
        snapshot(store, &a.manager, &a.license_id).await,
        tenant_audit_count(store, &a.manager.tenant_id).await,
    );

    // A license user of the license may not; a manager of another customer's license, or of
    // another tenant, does not see it.
    assert_eq!(
        offline::activate(store, &o.user, lic, &ok("hw-2"), IP).await,
        Err(AppError::Forbidden)
    );
    for outsider in [&a.manager, &a.user, &b.manager] {
        assert_eq!(
            offline::activate(store, outsider, lic, &ok("hw-2"), IP).await,
            Err(AppError::not_found(Thing::License)),
            "{}",
            outsider.email
        );
    }
    assert_eq!(offline_state(store, &o).await, state);

    // An Organisation license is activated online, not with files.
    let refused = offline::activate(
        store,
        &a.manager,
        &a.license_id,
        &offline_request(&acme_key, "hw-2", "Acme PC"),
        IP,
    )
    .await;
    assert_eq!(
        refused,
        Err(AppError::conflict(ConflictReason::OfflineOnly {
            license_type: LicenseType::Organisation
        }))
    );
    assert_eq!(refused.unwrap_err().http_status(), 409);
    assert_eq!(
        (
            snapshot(store, &a.manager, &a.license_id).await,
            tenant_audit_count(store, &a.manager.tenant_id).await,
        ),
        acme_state
    );

    // A request made with another license's key, an unknown key or none.
    let another = AppError::invalid(Field::LicenseKey, InvalidReason::OtherLicense);
    for key in [acme_key.as_str(), "KP-NOT-A-KEY", "  "] {
        let expected = if key.trim().is_empty() {
            AppError::invalid(Field::LicenseKey, InvalidReason::Required)
        } else {
            another.clone()
        };
        assert_eq!(
            offline::activate(
                store,
                &o.manager,
                lic,
                &offline_request(key, "hw-2", "X"),
                IP
            )
            .await,
            Err(expected),
            "{key}"
        );
    }

    // Files that are not a request of this format, or whose machine is described wrongly.
    let long_id = "h".repeat(257);
    let huge = format!(
        "{{\"format\":\"keyport-offline-request/1\",\"license_key\":\"{}\",\"hardware_id\":\"hw-2\",\"device_name\":\"{}\",\"os\":\"x\"}}",
        o.key,
        "n".repeat(17 * 1024)
    );
    let bad: Vec<(Vec<u8>, &str)> = vec![
        (b"{not json".to_vec(), "Activation request"),
        (b"".to_vec(), "Activation request"),
        (b"[1, 2]".to_vec(), "Activation request"),
        (huge.into_bytes(), "Activation request"),
        (
            serde_json::to_vec(&serde_json::json!({
                "format": "keyport-offline-request/1", "license_key": o.key, "hardware_id": "hw-2",
                "device_name": "X", "os": "x", "password": "secret"
            }))
            .unwrap(),
            "Activation request",
        ),
        (
            serde_json::to_vec(&serde_json::json!({
                "format": "keyport-offline-request/1", "license_key": o.key, "hardware_id": "hw-2",
                "device_name": "X"
            }))
            .unwrap(),
            "Activation request",
        ),
        (
            serde_json::to_vec(&serde_json::json!({
                "format": "keyport-offline-request/2", "license_key": o.key, "hardware_id": "hw-2",
                "device_name": "X", "os": "x"
            }))
            .unwrap(),
            "format",
        ),
        (offline_request(&o.key, &long_id, "X"), "hardware_id"),
        (offline_request(&o.key, "hw-2", " "), "device_name"),
    ];
    for (body, field) in &bad {
        match offline::activate(store, &o.manager, lic, body, IP).await {
            Err(AppError::Invalid { field: got, .. }) if got.name() == *field => {}
            other => panic!(
                "{:?}: expected Invalid on {field}, got {other:?}",
                String::from_utf8_lossy(&body[..body.len().min(80)])
            ),
        }
    }
    assert_eq!(offline_state(store, &o).await, state);

    // A full license refuses a new machine (only the refusal is logged) and still re-issues the
    // file of a machine already active.
    offline::activate(store, &o.manager, lic, &ok("hw-2"), IP)
        .await
        .expect("second machine fills the license");
    let full = offline_state(store, &o).await;
    assert_eq!(
        (full.0 .0.devices_active, full.0 .0.max_activations),
        (2, 2)
    );
    assert_eq!(
        offline::activate(store, &o.manager, lic, &ok("hw-3"), IP).await,
        Err(AppError::TooManyDevices { allowed: 2 })
    );
    assert_eq!(snapshot(store, &o.manager, lic).await, full.0);
    assert_eq!(audit_count(store, lic, "device.limit_refused").await, 1);
    assert_eq!(
        tenant_audit_count(store, &o.manager.tenant_id).await,
        full.1 + 1
    );
    let again = offline::activate(store, &o.manager, lic, &ok("hw-2"), IP)
        .await
        .expect("re-issue on a full license");
    assert!(!again.created);
    // Only the machine's "last seen" moves: it just sent a request.
    let after = snapshot(store, &o.manager, lic).await;
    assert_eq!(after.0, full.0 .0);
    assert_eq!(
        after.1.iter().map(|d| &d.id).collect::<Vec<_>>(),
        full.0 .1.iter().map(|d| &d.id).collect::<Vec<_>>()
    );

    // A suspended license makes no file.
    sqlx::query("UPDATE licenses SET status = 'suspended' WHERE id = $1")
        .bind(lic)
        .execute(store.pool())
        .await
        .unwrap();
    let suspended = offline_state(store, &o).await;
    assert_eq!(
        offline::activate(store, &o.manager, lic, &ok("hw-1"), IP).await,
        Err(AppError::LicenseInactive)
    );
    assert_eq!(offline_state(store, &o).await, suspended);
}

#[tokio::test]
async fn vendor_staff_manage_their_own_customers() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let other_support = vendor_admin(store, &b, "support@othersoft.example").await;
    let acme = a.manager.customer_id.clone().unwrap();
    let audit = tenant_audit_count(store, &a.manager.tenant_id).await;

    // Customers' people and bad input are refused; nothing changes.
    assert_eq!(
        customers::list(store, &a.manager, None).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        customers::create(store, &as_actor(&a.manager), "Initech").await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        customers::create(store, &as_actor(&support), "  ").await,
        Err(AppError::Invalid { ref field, .. }) if field.name() == "Name"
    ));
    assert_eq!(
        customers::get(store, &other_support, &acme).await,
        Err(AppError::not_found(Thing::Customer))
    );
    assert_eq!(
        customers::rename(store, &as_actor(&other_support), &acme, "Mine now").await,
        Err(AppError::not_found(Thing::Customer))
    );
    assert_eq!(tenant_audit_count(store, &a.manager.tenant_id).await, audit);

    let initech = customers::create(store, &as_actor(&support), " Initech ")
        .await
        .unwrap();
    let all = customers::list(store, &support, None).await.unwrap();
    let names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Acme Corp", "Initech"]);
    let acme_row = &all[0];
    assert_eq!((acme_row.licenses, acme_row.accounts), (1, 2));
    let found = customers::list(store, &support, Some("INIT"))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, initech);
    // Another vendor sees only its own customers.
    let theirs = customers::list(store, &other_support, None).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].name, "Globex Ltd");

    customers::rename(store, &as_actor(&support), &acme, "Acme Inc")
        .await
        .unwrap();
    let detail = customers::get(store, &support, &acme).await.unwrap();
    assert_eq!(detail.name, "Acme Inc");
    assert_eq!(detail.licenses.len(), 1);
    assert_eq!(detail.licenses[0].license.id, a.license_id);
    let seats: Vec<(String, Vec<customers::Seat>)> = detail
        .accounts
        .iter()
        .map(|acc| (acc.email.clone(), acc.seats.clone()))
        .collect();
    assert_eq!(
        seats,
        [
            (
                a.manager_email(),
                vec![customers::Seat {
                    role: LicenseRole::Manager,
                    product: "CodeGlass".into()
                }]
            ),
            (
                a.user_email(),
                vec![customers::Seat {
                    role: LicenseRole::User,
                    product: "CodeGlass".into()
                }]
            ),
        ]
    );
    assert_eq!(
        tenant_audit_count(store, &a.manager.tenant_id).await,
        audit + 2,
        "customer.created and customer.renamed"
    );
}

#[tokio::test]
async fn the_tenant_log_narrows_by_customer_license_actor_kind_and_time() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let (_, devices) = snapshot(store, &a.manager, &a.license_id).await;
    devices::reset(store, &as_actor(&a.manager), &devices[0].id)
        .await
        .unwrap();
    licenses::reset_deactivation_limit(store, &as_actor(&support), &a.license_id, "goodwill")
        .await
        .unwrap();
    devices::reset(
        store,
        &as_actor(&b.manager),
        &snapshot(store, &b.manager, &b.license_id).await.1[0].id,
    )
    .await
    .unwrap();
    let list = |filter: AuditFilter| {
        let (store, support) = (store.clone(), support.clone());
        async move {
            audit::list_for_tenant(&store, &support, &filter, 1)
                .await
                .unwrap()
                .entries
        }
    };

    let everything = list(AuditFilter::default()).await;
    assert!(everything.iter().all(|e| e.subject
        != AuditSubject::Customer {
            name: "Globex Ltd".into()
        }));
    assert_eq!(
        everything
            .iter()
            .filter(|e| e.action == AuditAction::DeviceReset)
            .count(),
        1,
        "the other tenant's reset is not in this log"
    );
    let resets = list(AuditFilter {
        kind: Some("device".into()),
        actor: Some("MORGAN".into()),
        ..Default::default()
    })
    .await;
    assert!(!resets.is_empty());
    assert!(resets
        .iter()
        .all(|e| e.action.kind() == AuditKind::Device
            && e.actor.as_deref() == Some("Morgan Manager")));
    assert!(resets.iter().any(|e| e.action == AuditAction::DeviceReset
        && e.license.as_deref() == Some("Acme Corp · CodeGlass")));
    let lifted = list(AuditFilter {
        license_id: Some(a.license_id.clone()),
        customer_id: a.manager.customer_id.clone(),
        actor: Some("vendor support".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(lifted.len(), 1);
    assert_eq!(lifted[0].action, AuditAction::LicenseDeactivationLimitReset);
    let future = licensing::now_millis() + 60_000;
    assert!(list(AuditFilter {
        from: Some(future),
        ..Default::default()
    })
    .await
    .is_empty());
    assert_eq!(
        list(AuditFilter {
            until: Some(future),
            ..Default::default()
        })
        .await
        .len(),
        everything.len()
    );
    assert!(matches!(
        audit::list_for_tenant(
            store,
            &support,
            &AuditFilter {
                kind: Some("nope".into()),
                ..Default::default()
            },
            1
        )
        .await,
        Err(AppError::Invalid { .. })
    ));
    assert_eq!(
        audit::list_for_tenant(store, &a.manager, &AuditFilter::default(), 1).await,
        Err(AppError::Forbidden)
    );
}

// ---------------------------------------------------------------------------------------------
// Bounds of every number a sale, a limit change or a purchase takes
// ---------------------------------------------------------------------------------------------

fn invalid_field<T: std::fmt::Debug>(result: Result<T, AppError>) -> String {
    match result {
        Err(AppError::Invalid { field, .. }) => field.name().to_owned(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn numbers_past_their_bounds_are_refused_and_change_nothing() {
    use licensing::input::{MAX_DEVICES, MAX_SEATS, MAX_SUBSCRIPTIONS, MAX_VALID_DAYS};
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let lic = &a.license_id;
    let before = snapshot(store, &a.manager, lic).await;
    let audit = tenant_audit_count(store, &a.manager.tenant_id).await;

    // A sale raising the demo license (same customer and product), and a new product.
    let sale =
        |product: &str, subscriptions: i64, seats: i64, devices: i64, days: i64| licenses::Sale {
            customer_id: a.manager.customer_id.clone().expect("a customer's manager"),
            product: product.into(),
            license_type: LicenseType::Organisation,
            subscriptions,
            seats_per_subscription: seats,
            devices_per_subscription: devices,
            max_deactivations: 3,
            valid_days: days,
            owner_account_id: a.manager.account_id.clone(),
        };
    for (sale, field) in [
        // 2^62 × 4 seats wrapped to 0 seats.
        (sale("CodeGlass", 1 << 62, 4, 1, 30), "Subscriptions"),
        (
            sale("CodeGlass", i64::MAX, i64::MAX, i64::MAX, 30),
            "Subscriptions",
        ),
        (sale("CodeGlass", 2, i64::MAX, 1, 30), "Seats"),
        (sale("CodeGlass", 2, 1, i64::MAX, 30), "Devices"),
        (sale("CodeGlass", 1, 1, 1, i64::MAX), "Valid for"),
        (sale("CodeGlass", 1, 1, 1, MAX_VALID_DAYS + 1), "Valid for"),
        // Each factor within its bound, their product past the total's.
        (sale("CodeGlass", MAX_SUBSCRIPTIONS, 1000, 1, 30), "Seats"),
        (
            sale("New product", MAX_SUBSCRIPTIONS, 1, 1000, 30),
            "Devices",
        ),
    ] {
        let what = format!("{sale:?}");
        assert_eq!(
            invalid_field(licenses::sell(store, &support, &sale).await),
            field,
            "{what}"
        );
    }

    // add_subscriptions: the count, and the totals it would reach.
    for count in [i64::MAX, MAX_SUBSCRIPTIONS + 1, 0, -1] {
        assert_eq!(
            invalid_field(licenses::add_subscriptions(store, lic, count, None).await),
            "Subscriptions",
            "{count}"
        );
    }
    // The demo license has one subscription (5 seats, 10 devices each): these reach the totals.
    assert_eq!(
        invalid_field(licenses::add_subscriptions(store, lic, MAX_SUBSCRIPTIONS, None).await),
        "Subscriptions"
    );
    assert_eq!(
        invalid_field(licenses::add_subscriptions(store, lic, MAX_SEATS / 5, None).await),
        "Subscriptions"
    );
    assert_eq!(
        invalid_field(licenses::sell_subscriptions(store, &support, lic, i64::MAX).await),
        "Subscriptions"
    );

    // A purchase raising the license with a huge order.
    let order = licenses::NewLicense {
        tenant_id: a.manager.tenant_id.clone(),
        customer_id: a.manager.customer_id.clone().unwrap(),
        product: "CodeGlass".into(),
        license_type: LicenseType::Organisation,
        subscriptions: 1 << 62,
        seats_per_subscription: 4,
        max_activations: 1,
        max_deactivations: 1,
        valid_from: before.0.valid_from,
        valid_until: before.0.valid_until,
        owner_account_id: a.manager.account_id.clone(),
    };
    assert_eq!(
        invalid_field(licenses::purchase(store, &order, None).await),
        "Subscriptions"
    );

    // update_limits: each limit, and a validity end further than the bound.
    let until = before.0.valid_until;
    let too_late = until + (MAX_VALID_DAYS + 1) * 24 * 60 * 60 * 1000;
    for (bad, field) in [
        (limits(MAX_SEATS + 1, 10, 3, until), "Seats"),
        (limits(i64::MAX, 10, 3, until), "Seats"),
        (limits(5, MAX_DEVICES + 1, 3, until), "Devices"),
        (limits(5, 10, i64::MAX, until), "Deactivations"),
        (limits(5, 10, 3, too_late), "Valid until"),
    ] {
        let what = format!("{bad:?}");
        assert_eq!(
            invalid_field(licenses::update_limits(store, &as_actor(&support), lic, &bad).await),
            field,
            "{what}"
        );
    }

    assert_eq!(snapshot(store, &a.manager, lic).await, before);
    assert_eq!(tenant_audit_count(store, &a.manager.tenant_id).await, audit);
    assert_eq!(licenses::list(store, &a.manager).await.unwrap().len(), 1);

    // At the bounds is fine: a license of exactly the most seats and devices.
    licenses::update_limits(
        store,
        &as_actor(&support),
        lic,
        &limits(MAX_SEATS, MAX_DEVICES, 3, until),
    )
    .await
    .expect("limits at their bounds");
}
