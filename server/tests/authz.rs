//! The authorization matrix: every server function of the portal, called over HTTP on the server's
//! router (in process) by every kind of caller (nobody, a license user, the license's manager, a manager of
//! another customer, a manager of another tenant), with the status each must get. A refused call
//! must change nothing; the ids used are those of objects the caller does not own.
//!
//! The list of server functions is the server function registry's (the very one the router
//! serves), so a new one without a row here fails this test, and so does a row without one.

mod common;
// The matrix's parts, beside this crate root (a test's modules resolve from `tests/`).
#[path = "authz/console.rs"]
mod console;
#[path = "authz/management.rs"]
mod management;
#[path = "authz/portal.rs"]
mod portal;

use std::collections::BTreeSet;

use console::console_rows;
use portal::rows;

use common::{customer_account, session, test_database, App};
use licensing::access::Actor;
use licensing::auth::{self, AccountKind, Credentials};
use licensing::demo::{seed_vendor, DEMO_PASSWORD};
use licensing::licenses::{self, LicenseType, NewLicense};
use licensing::tenants::{self, NewAccount};
use licensing::users::{self, NewUser};
use licensing::{manage, now_millis, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    User,
    Manager,
    OtherCustomer,
    OtherTenant,
    /// A vendor admin of the license's tenant.
    Vendor,
    /// A vendor admin of another tenant.
    OtherVendor,
}

/// The columns of the vendor console's matrix.
const CONSOLE: [Who; 5] = [
    Who::Anonymous,
    Who::User,
    Who::Manager,
    Who::OtherVendor,
    Who::Vendor,
];

const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::User,
    Who::OtherCustomer,
    Who::OtherTenant,
    Who::Manager,
];

/// One vendor tenant with Acme Corp (manager, user, license, four devices), a second customer of
/// the same vendor with a license of its own, an unassigned Acme account and a pending
/// set-password link; and a second vendor tenant. Every row of the matrix gets a fresh one.
struct World {
    company: String,
    customer_id: String,
    license: String,
    manager_device: String,
    user_device: String,
    manager_id: String,
    user_id: String,
    candidate_id: String,
    /// An account of the other customer, assignable only on that customer's license.
    foreign_account_id: String,
    other_customer_device: String,
    tenant_ids: Vec<String>,
    link_token: String,
    /// An Acme account whose invitation waits: the one invitations are resent to.
    pending_id: String,
    /// An email in the tenant's outbox.
    message_id: String,
    /// An import of the console's tenant, queued.
    import_id: String,
    sessions: Vec<(Who, String)>,
    /// Management keys: the license's tenant's, another tenant's, and a revoked one of the
    /// license's tenant.
    keys: ManagementKeys,
    hook: Hook,
}

/// A webhook endpoint of the license's tenant and a delivery of it that was given up on.
struct Hook {
    endpoint_id: String,
    delivery_id: String,
}

struct ManagementKeys {
    /// A live key of the license's tenant for the console's Revoke.
    spare_id: String,
    own: String,
    other_tenant: String,
    revoked: String,
}

impl World {
    fn cookie(&self, who: Who) -> Option<&str> {
        self.sessions
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, token)| token.as_str())
    }
}

async fn device_of(store: &Store, license: &str, email: &str) -> String {
    sqlx::query_scalar(
        "SELECT d.id FROM devices d JOIN accounts a ON a.id = d.account_id \
         WHERE d.license_id = $1 AND a.email = $2 AND d.deactivated_at IS NULL ORDER BY d.name",
    )
    .bind(license)
    .bind(email)
    .fetch_one(store.pool())
    .await
    .expect("a device of the account")
}

async fn world(store: &Store) -> World {
    let company = format!("Authz-{}", common::random_hex(12));
    let acme = seed_vendor(
        store,
        &company,
        "CodeGlass",
        "Acme Corp",
        "acme",
        "CodeGlass",
    )
    .await
    .expect("seed tenant");
    let other_company = format!("Other-{}", common::random_hex(12));
    let other = seed_vendor(
        store,
        &other_company,
        "OtherSoft",
        "Globex Ltd",
        "globex",
        "OtherSoft",
    )
    .await
    .expect("seed other tenant");

    let initech = tenants::create_customer(store, &acme.tenant_id, "Initech")
        .await
        .unwrap();
    let initech_manager =
        customer_account(store, &acme.tenant_id, &initech, "manager@initech.example").await;
    let now = now_millis();
    let initech_license = licenses::create(
        store,
        &NewLicense {
            tenant_id: acme.tenant_id.clone(),
            customer_id: initech.clone(),
            product: "CodeGlass".into(),
            license_type: LicenseType::Organisation,
            subscriptions: 1,
            seats_per_subscription: 5,
            max_activations: 10,
            max_deactivations: 3,
            valid_from: now,
            valid_until: now + 86_400_000,
            owner_account_id: initech_manager.clone(),
        },
        None,
    )
    .await
    .unwrap();
    let other_customer_device = licensing::devices::activate(
        store,
        &licensing::devices::NewActivation {
            license_id: &initech_license,
            account_id: Some(&initech_manager),
            device: licensing::devices::DeviceInfo {
                hardware_id: "initech-1",
                name: "Initech PC",
                os: "Windows 11",
            },
        },
        "127.0.0.1",
    )
    .await
    .unwrap()
    .device_id;
    let foreign_account_id =
        customer_account(store, &acme.tenant_id, &initech, "extra@initech.example").await;
    let acme_customer: String =
        sqlx::query_scalar("SELECT customer_id FROM licenses WHERE id = $1")
            .bind(&acme.license_id)
            .fetch_one(store.pool())
            .await
            .unwrap();
    let candidate_id =
        customer_account(store, &acme.tenant_id, &acme_customer, "extra@acme.example").await;
    for (tenant, email) in [
        (&acme.tenant_id, "support@codeglass.example"),
        (&other.tenant_id, "support@othersoft.example"),
    ] {
        tenants::create_account(
            store,
            &NewAccount {
                tenant_id: tenant,
                customer_id: None,
                kind: AccountKind::VendorAdmin,
                email,
                name: "Vendor Support",
                password: DEMO_PASSWORD,
            },
        )
        .await
        .expect("create vendor admin");
    }

    let sessions = vec![
        (
            Who::User,
            session(store, &company, "user@acme.example").await,
        ),
        (
            Who::Manager,
            session(store, &company, "manager@acme.example").await,
        ),
        (
            Who::OtherCustomer,
            session(store, &company, "manager@initech.example").await,
        ),
        (
            Who::OtherTenant,
            session(store, &other_company, "manager@globex.example").await,
        ),
        (
            Who::Vendor,
            session(store, &company, "support@codeglass.example").await,
        ),
        (
            Who::OtherVendor,
            session(store, &other_company, "support@othersoft.example").await,
        ),
    ];
    let manager = auth::check_credentials(
        store,
        &Credentials {
            company: company.clone(),
            email: "manager@acme.example".into(),
            password: DEMO_PASSWORD.into(),
        },
        "127.0.0.1",
    )
    .await
    .unwrap();
    let portal = licensing::mail::Portal::new("http://keyport.test");
    let invite = |name: &str, email: &str| NewUser {
        name: name.into(),
        email: email.into(),
        password: None,
        assign: false,
    };
    let as_manager = Actor::new(manager.clone(), "127.0.0.1");
    let link_token = users::create(
        store,
        &as_manager,
        &acme.license_id,
        &invite("Link Person", "link@acme.example"),
        &portal,
    )
    .await
    .unwrap()
    .set_password_token
    .unwrap();
    let pending_id = users::create(
        store,
        &as_manager,
        &acme.license_id,
        &invite("Pending Person", "pending@acme.example"),
        &portal,
    )
    .await
    .unwrap()
    .account_id
    .unwrap();
    let user_id: String =
        sqlx::query_scalar("SELECT id FROM accounts WHERE tenant_id = $1 AND email = $2")
            .bind(&acme.tenant_id)
            .bind("user@acme.example")
            .fetch_one(store.pool())
            .await
            .unwrap();
    let message_id = {
        let mut conn = store.pool().acquire().await.unwrap();
        licensing::mail::enqueue(
            &mut conn,
            &licensing::mail::Message {
                tenant_id: acme.tenant_id.clone(),
                kind: licensing::mail::MailKind::Invitation,
                to: "someone@acme.example".into(),
                from_name: "CodeGlass".into(),
                reply_to: None,
                subject: "Invitation".into(),
                text: "Hello".into(),
                html: "<p>Hello</p>".into(),
            },
        )
        .await
        .unwrap()
    };
    let vendor_actor = |company: &str, email: &str| {
        let (company, email) = (company.to_owned(), email.to_owned());
        async move {
            let who = auth::principal_by_email(store, &company, &email)
                .await
                .unwrap();
            Actor::new(who, "127.0.0.1")
        }
    };
    let own_vendor = vendor_actor(&company, "support@codeglass.example").await;
    let other_vendor = vendor_actor(&other_company, "support@othersoft.example").await;
    let revoked = manage::create_key(store, &own_vendor, "Old").await.unwrap();
    manage::revoke_key(store, &own_vendor, &revoked.id)
        .await
        .unwrap();
    let keys = ManagementKeys {
        spare_id: manage::create_key(store, &own_vendor, "Spare")
            .await
            .unwrap()
            .id,
        own: manage::create_key(store, &own_vendor, "Shop")
            .await
            .unwrap()
            .key,
        other_tenant: manage::create_key(store, &other_vendor, "Shop")
            .await
            .unwrap()
            .key,
        revoked: revoked.key,
    };
    let endpoint_id = licensing::webhooks::create_endpoint(
        store,
        &own_vendor,
        "https://hooks.example/keyport",
        &["license.suspended".to_owned()],
    )
    .await
    .unwrap()
    .endpoint
    .id;
    let delivery_id = licensing::store::new_id();
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, seq, tenant_id, endpoint_id, event_id, event_type, \
            license_id, body, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, '0', $2, $3, 'evt_1', 'license.suspended', '', '{}', 'failed', 1, 0, 0)",
    )
    .bind(&delivery_id)
    .bind(&acme.tenant_id)
    .bind(&endpoint_id)
    .execute(store.pool())
    .await
    .unwrap();
    let hook = Hook {
        endpoint_id,
        delivery_id,
    };
    let import_id = licensing::import::submit(
        store,
        &own_vendor,
        &licensing::import::ImportUpload {
            licenses: Some(("licenses.csv".into(), b"license__license_key\n".to_vec())),
            users: None,
            devices: None,
            options: licensing::import::ImportOptions {
                dry_run: true,
                license_type: licensing::licenses::LicenseType::Organisation,
                max_deactivations: 10,
            },
        },
    )
    .await
    .unwrap();
    World {
        hook,
        keys,
        message_id,
        import_id,
        manager_device: device_of(store, &acme.license_id, "manager@acme.example").await,
        user_device: device_of(store, &acme.license_id, "user@acme.example").await,
        license: acme.license_id,
        manager_id: manager.account_id,
        user_id,
        candidate_id,
        foreign_account_id,
        other_customer_device,
        tenant_ids: vec![acme.tenant_id, other.tenant_id],
        link_token,
        pending_id,
        sessions,
        company,
        customer_id: acme_customer,
    }
}

/// Everything a call could change in the world's two tenants.
async fn fingerprint(store: &Store, w: &World) -> Vec<i64> {
    let mut out = Vec::new();
    for tenant in &w.tenant_ids {
        for sql in [
            "SELECT COUNT(*) FROM license_users lu JOIN licenses l ON l.id = lu.license_id WHERE l.tenant_id = $1",
            "SELECT COUNT(*) FROM license_users lu JOIN licenses l ON l.id = lu.license_id WHERE l.tenant_id = $1 AND lu.role = 'manager'",
            "SELECT COUNT(*) FROM devices d JOIN licenses l ON l.id = d.license_id WHERE l.tenant_id = $1 AND d.deactivated_at IS NULL",
            "SELECT CAST(COALESCE(SUM(deactivations_used), 0) AS BIGINT) FROM licenses WHERE tenant_id = $1",
            "SELECT COUNT(*) FROM api_keys WHERE tenant_id = $1 AND revoked_at IS NULL",
            "SELECT COUNT(*) FROM webhook_endpoints WHERE tenant_id = $1 AND deleted_at IS NULL",
            "SELECT COUNT(*) FROM webhook_deliveries WHERE tenant_id = $1",
            "SELECT COUNT(*) FROM customers WHERE tenant_id = $1",
            "SELECT COUNT(*) FROM licenses WHERE tenant_id = $1 AND status = 'active'",
            "SELECT COUNT(*) FROM accounts WHERE tenant_id = $1",
            "SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1",
            "SELECT COUNT(*) FROM password_links p JOIN accounts a ON a.id = p.account_id WHERE a.tenant_id = $1 AND p.used_at IS NULL",
        ] {
            let n: i64 = sqlx::query_scalar(sql)
                .bind(tenant)
                .fetch_one(store.pool())
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            out.push(n);
        }
    }
    out
}

/// One row of the matrix: a server function, the form each caller sends, the status each gets.
struct Row {
    endpoint: &'static str,
    args: fn(&World, Who) -> Vec<(&'static str, String)>,
    /// The status for each caller of the matrix's columns, in order.
    expect: [u16; 5],
    /// Callers run refused-first, so allowed calls find the world unchanged; a one-time action
    /// (spending a link) runs allowed-first, so the later callers find it spent.
    allowed_first: bool,
}

fn license(w: &World, _: Who) -> Vec<(&'static str, String)> {
    vec![("license_id", w.license.clone())]
}

/// The server functions the router serves, from the server function registry (every
/// `#[server]` function linked into the application registers itself), by endpoint name.
fn server_functions() -> BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _method)| {
            path.strip_prefix("/api/")
                .unwrap_or_else(|| panic!("{path}: a server function outside /api/"))
                .to_owned()
        })
        .collect()
}

fn mutates(endpoint: &str) -> bool {
    !matches!(
        endpoint,
        "get_dashboard"
            | "list_licenses"
            | "get_license"
            | "list_devices"
            | "list_activity"
            | "list_users"
            | "get_password_link"
            | "set_language"
            | "admin_mail_settings"
            | "admin_imports"
            | "admin_import_job"
            | "admin_api_keys"
            | "admin_webhooks"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_allows_exactly_whom_it_should() {
    let defined = server_functions();
    let matrices = [(rows(), EVERYONE), (console_rows(), CONSOLE)];
    let covered: BTreeSet<String> = matrices
        .iter()
        .flat_map(|(rows, _)| rows.iter().map(|r| r.endpoint.to_owned()))
        .collect();
    assert_eq!(
        covered, defined,
        "every server function needs a row in the matrix (and every row a server function)"
    );

    let (url, _dir) = test_database("authz");
    let store = Store::connect(&url).await.expect("open the test database");
    let server = App::start(&url).await;
    let client = common::portal_client().build().unwrap();

    let mut failures = Vec::new();
    for (row, columns) in matrices
        .iter()
        .flat_map(|(rows, columns)| rows.iter().map(move |r| (r, columns)))
    {
        let w = world(&store).await;
        // Refusals first, so the allowed calls at the end find the world as it was.
        let mut order: Vec<(usize, Who)> = columns.iter().copied().enumerate().collect();
        order.sort_by_key(|(i, _)| (row.expect[*i] == 200) != row.allowed_first);
        for (i, who) in order {
            let expected = row.expect[i];
            let before = fingerprint(&store, &w).await;
            let mut request = client
                .post(format!("{}/api/{}", server.base, row.endpoint))
                .header("accept", "application/json")
                .form(&(row.args)(&w, who));
            if let Some(token) = w.cookie(who) {
                request = request.header("cookie", format!("keyport_session={token}"));
            }
            let response = request.send().await.expect("request");
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            if status != expected {
                failures.push(format!(
                    "{} as {who:?}: expected {expected}, got {status}: {body}",
                    row.endpoint
                ));
            }
            if expected != 200 && fingerprint(&store, &w).await != before {
                failures.push(format!(
                    "{} as {who:?} was refused but changed the database",
                    row.endpoint
                ));
            }
            if expected == 200 && !mutates(row.endpoint) && fingerprint(&store, &w).await != before
            {
                failures.push(format!("{} as {who:?} read but wrote", row.endpoint));
            }
            // What a foreign caller is shown must not name the license or its customer.
            if matches!(
                who,
                Who::OtherCustomer | Who::OtherTenant | Who::OtherVendor
            ) && (body.contains(&w.license)
                || body.contains(&w.customer_id)
                || body.contains("Acme"))
            {
                failures.push(format!("{} as {who:?} shows Acme's data", row.endpoint));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
