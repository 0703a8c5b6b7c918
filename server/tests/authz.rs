//! The authorization matrix: every server function of the portal, called over HTTP on the server's
//! router (in process) by every kind of caller (nobody, a license user, the license's manager, a manager of
//! another customer, a manager of another tenant), with the status each must get. A refused call
//! must change nothing; the ids used are those of objects the caller does not own.
//!
//! The list of server functions is the server function registry's (the very one the router
//! serves), so a new one without a row here fails this test, and so does a row without one.

mod common;

use std::collections::BTreeSet;

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

fn rows() -> Vec<Row> {
    vec![
        Row {
            endpoint: "login",
            // Everyone logs in as themself; wrong credentials are covered by the login tests.
            args: |w, who| {
                let email = match who {
                    Who::Anonymous | Who::User => "user@acme.example",
                    _ => "manager@acme.example",
                };
                vec![
                    ("company", w.company.clone()),
                    ("email", email.into()),
                    ("password", DEMO_PASSWORD.into()),
                ]
            },
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "logout",
            args: |_, _| vec![],
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            // Anyone may choose a language; it is a cookie, not a stored change.
            endpoint: "set_language",
            args: |_, _| vec![("lang", "de".into()), ("next", "/dashboard".into())],
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "get_dashboard",
            args: |_, _| vec![],
            expect: [401, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "list_licenses",
            args: |_, _| vec![],
            expect: [401, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "get_license",
            args: |w, _| vec![("id", w.license.clone())],
            expect: [401, 200, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "list_devices",
            args: license,
            expect: [401, 200, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "list_activity",
            args: |w, _| vec![("license_id", w.license.clone()), ("page", "1".into())],
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "reset_device",
            // The manager's device: a license user may reset only their own.
            args: |w, _| vec![("device_id", w.manager_device.clone())],
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "reset_device",
            // The user's own device, which only the user and the manager may reset.
            args: |w, who| {
                let device = if who == Who::Manager {
                    // The user already reset theirs; the manager resets another one.
                    w.manager_device.clone()
                } else {
                    w.user_device.clone()
                };
                vec![("device_id", device)]
            },
            expect: [401, 200, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "reset_device",
            // A device of another customer's license, by the Acme manager.
            args: |w, _| vec![("device_id", w.other_customer_device.clone())],
            expect: [401, 404, 200, 404, 404],
            allowed_first: false,
        },
        Row {
            endpoint: "reset_license",
            args: license,
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "list_users",
            args: license,
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "create_user",
            args: |w, who| {
                vec![
                    ("license_id", w.license.clone()),
                    ("name", "New Person".into()),
                    ("email", format!("new-{who:?}@acme.example").to_lowercase()),
                    ("password", "a-long-password".into()),
                    ("assign", "on".into()),
                ]
            },
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "assign_user",
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.candidate_id.clone()),
                ]
            },
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "assign_user",
            // An account of another customer: not the Acme manager's to assign.
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.foreign_account_id.clone()),
                ]
            },
            expect: [401, 403, 404, 404, 404],
            allowed_first: false,
        },
        Row {
            endpoint: "unassign_user",
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.user_id.clone()),
                ]
            },
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "unassign_user",
            // The last manager stays.
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.manager_id.clone()),
                ]
            },
            expect: [401, 403, 404, 404, 409],
            allowed_first: false,
        },
        Row {
            endpoint: "set_user_role",
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.user_id.clone()),
                    ("role", "manager".into()),
                ]
            },
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "take_flash",
            // A page's one-time note is the caller's own session's; without one there is none.
            args: |w, _| vec![("path", format!("/licenses/{}/users", w.license))],
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "resend_invitation",
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.pending_id.clone()),
                ]
            },
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "request_password_reset",
            // Anyone, and the same answer whether the account exists or not.
            args: |w, who| {
                vec![
                    ("company", w.company.clone()),
                    (
                        "email",
                        format!("nobody-{who:?}@acme.example").to_lowercase(),
                    ),
                ]
            },
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "get_password_link",
            // The link is the credential: whoever holds it may read whom it is for.
            args: |w, _| vec![("token", w.link_token.clone())],
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "get_password_link",
            args: |_, _| vec![("token", "0".repeat(64))],
            expect: [422, 422, 422, 422, 422],
            allowed_first: false,
        },
        Row {
            endpoint: "set_password",
            args: |_, _| {
                vec![
                    ("token", "0".repeat(64)),
                    ("password", "a-new-password".into()),
                    ("confirm", "a-new-password".into()),
                ]
            },
            expect: [422, 422, 422, 422, 422],
            allowed_first: false,
        },
        Row {
            endpoint: "set_password",
            // Spent by the first caller; every later one is refused.
            args: |w, _| {
                vec![
                    ("token", w.link_token.clone()),
                    ("password", "a-new-password".into()),
                    ("confirm", "a-new-password".into()),
                ]
            },
            expect: [200, 422, 422, 422, 422],
            allowed_first: true,
        },
    ]
}

/// The vendor console: vendor staff of the tenant only. Columns: anonymous, license user, license
/// manager, vendor admin of another tenant, vendor admin of this tenant.
fn console_rows() -> Vec<Row> {
    fn row(
        endpoint: &'static str,
        args: fn(&World, Who) -> Vec<(&'static str, String)>,
        expect: [u16; 5],
    ) -> Row {
        Row {
            endpoint,
            args,
            expect,
            allowed_first: false,
        }
    }
    const OWN_TENANT: [u16; 5] = [401, 403, 403, 404, 200];
    // Lists answer the other vendor with their own tenant's data (checked not to leak below).
    const ANY_VENDOR: [u16; 5] = [401, 403, 403, 200, 200];
    vec![
        row(
            "admin_list_customers",
            |_, _| vec![("search", String::new())],
            ANY_VENDOR,
        ),
        row(
            "admin_create_customer",
            |_, _| vec![("name", "Initech".into())],
            ANY_VENDOR,
        ),
        row(
            "admin_get_customer",
            |w, _| vec![("id", w.customer_id.clone())],
            OWN_TENANT,
        ),
        row(
            "admin_rename_customer",
            |w, _| vec![("id", w.customer_id.clone()), ("name", "Acme Inc".into())],
            OWN_TENANT,
        ),
        row(
            "admin_create_account",
            |w, who| {
                vec![
                    ("customer_id", w.customer_id.clone()),
                    ("name", "New Person".into()),
                    ("email", format!("new-{who:?}@acme.example").to_lowercase()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_resend_invitation",
            |w, _| {
                vec![
                    ("customer_id", w.customer_id.clone()),
                    ("account_id", w.pending_id.clone()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_sell",
            |w, _| {
                vec![
                    ("customer_id", w.customer_id.clone()),
                    ("product", "Another product".into()),
                    ("license_type", "organisation".into()),
                    ("terms[subscriptions]", "1".into()),
                    ("terms[seats_per_subscription]", "5".into()),
                    ("terms[devices_per_subscription]", "10".into()),
                    ("terms[deactivations]", "3".into()),
                    ("terms[valid_days]", "365".into()),
                    ("owner_account_id", w.manager_id.clone()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_get_license",
            |w, _| vec![("id", w.license.clone())],
            OWN_TENANT,
        ),
        row(
            "admin_update_limits",
            |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("max_users", "9".into()),
                    ("max_activations", "20".into()),
                    ("max_deactivations", "5".into()),
                    ("valid_until", "2099-01-01".into()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_add_subscriptions",
            |w, _| vec![("license_id", w.license.clone()), ("count", "1".into())],
            OWN_TENANT,
        ),
        row(
            "admin_set_suspended",
            |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("suspend", "true".into()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_reset_deactivations",
            |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("reason", "support".into()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_audit",
            |_, _| vec![("filter[kind]", "device".into()), ("page", "1".into())],
            ANY_VENDOR,
        ),
        // Each vendor sees their own tenant's email (the conformance suite's outbox tests check
        // that it is their own).
        row(
            "admin_outbox",
            |_, _| vec![("page", "0".into())],
            ANY_VENDOR,
        ),
        row(
            "admin_outbox_message",
            |w, _| vec![("id", w.message_id.clone())],
            OWN_TENANT,
        ),
        // Each vendor lists their own tenant's imports (import_console.rs checks that they are
        // their own), opens only those, and invites their own tenant's imported people.
        row("admin_imports", |_, _| vec![], ANY_VENDOR),
        row(
            "admin_import_job",
            |w, _| vec![("id", w.import_id.clone())],
            OWN_TENANT,
        ),
        row("admin_import_notify", |_, _| vec![], ANY_VENDOR),
        // Each vendor reads and saves their own tenant's email settings.
        row("admin_mail_settings", |_, _| vec![], ANY_VENDOR),
        row(
            "admin_save_mail_settings",
            |_, _| {
                vec![
                    ("default_language", "de".into()),
                    ("support_email", "help@vendor.example".into()),
                ]
            },
            ANY_VENDOR,
        ),
        // Each vendor sees and rotates their own tenant's keys (licensespring_console.rs checks
        // that they are their own).
        row(
            "admin_licensespring",
            |_, _| vec![("reveal", "true".into())],
            ANY_VENDOR,
        ),
        row("admin_rotate_shared_key", |_, _| vec![], ANY_VENDOR),
        // Each vendor lists and makes their own tenant's management keys (api_keys.rs checks
        // that they are their own), and revokes only those.
        row("admin_api_keys", |_, _| vec![], ANY_VENDOR),
        row(
            "admin_create_api_key",
            |_, _| vec![("name", "Web shop".into())],
            ANY_VENDOR,
        ),
        row(
            "admin_revoke_api_key",
            |w, _| vec![("id", w.keys.spare_id.clone())],
            OWN_TENANT,
        ),
        // Each vendor sees and registers their own tenant's webhooks (webhooks.rs checks that
        // they are their own), and deletes and redelivers only those.
        row("admin_webhooks", |_, _| vec![], ANY_VENDOR),
        row(
            "admin_create_webhook",
            |_, _| {
                vec![
                    ("url", "https://hooks.example/new".into()),
                    ("event_types[0]", "license.created".into()),
                ]
            },
            ANY_VENDOR,
        ),
        row(
            "admin_delete_webhook",
            |w, _| vec![("id", w.hook.endpoint_id.clone())],
            OWN_TENANT,
        ),
        row(
            "admin_redeliver_webhook",
            |w, _| vec![("id", w.hook.delivery_id.clone())],
            OWN_TENANT,
        ),
    ]
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

/// Who calls the management API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyWho {
    NoKey,
    /// The vendor admin's portal session: a cookie is not a management key.
    VendorSession,
    RevokedKey,
    OtherTenantKey,
    OwnKey,
}

const KEY_COLUMNS: [KeyWho; 5] = [
    KeyWho::NoKey,
    KeyWho::VendorSession,
    KeyWho::RevokedKey,
    KeyWho::OtherTenantKey,
    KeyWho::OwnKey,
];

/// The management API's rows: each operation of its OpenAPI document, the id its path names
/// (the world's license, customer or device, all of the first tenant), its body, and the status
/// per [`KEY_COLUMNS`]. Another tenant's key lists its own tenant's (200, nothing of Acme's) and
/// finds none of Acme's ids (404).
fn management_rows(w: &World) -> Vec<(&'static str, String, Option<serde_json::Value>, [u16; 5])> {
    use serde_json::json;
    let lid = &w.license;
    let refused = |other: u16, own: u16| [401, 401, 401, other, own];
    let order = json!({
        "order_id": "A-1", "customer": {"external_id": "c-1", "name": "Umbrella"},
        "owner": {"email": "owner@umbrella.example", "name": "Owner"}, "product": "CodeGlass",
        "license_type": "organisation", "subscriptions": 1, "seats_per_subscription": 1,
        "devices_per_subscription": 1, "deactivations": 1, "valid_days": 30
    });
    vec![
        (
            "POST /orders",
            "/orders".into(),
            Some(order),
            refused(201, 201),
        ),
        (
            "GET /customers",
            "/customers".into(),
            None,
            refused(200, 200),
        ),
        (
            "GET /customers/{id}",
            format!("/customers/{}", w.customer_id),
            None,
            refused(404, 200),
        ),
        ("GET /licenses", "/licenses".into(), None, refused(200, 200)),
        (
            "GET /licenses",
            format!("/licenses?customer_id={}", w.customer_id),
            None,
            refused(404, 200),
        ),
        (
            "GET /licenses/{id}",
            format!("/licenses/{lid}"),
            None,
            refused(404, 200),
        ),
        (
            "PATCH /licenses/{id}",
            format!("/licenses/{lid}"),
            Some(json!({"max_activations": 20})),
            refused(404, 200),
        ),
        (
            "GET /licenses/{id}/devices",
            format!("/licenses/{lid}/devices"),
            None,
            refused(404, 200),
        ),
        (
            "POST /licenses/{id}/suspend",
            format!("/licenses/{lid}/suspend"),
            None,
            refused(404, 200),
        ),
        // Resumed while active: the own key is told so (409), having passed the guards.
        (
            "POST /licenses/{id}/resume",
            format!("/licenses/{lid}/resume"),
            None,
            refused(404, 409),
        ),
        (
            "POST /licenses/{id}/reset-deactivations",
            format!("/licenses/{lid}/reset-deactivations"),
            Some(json!({"reason": "support"})),
            refused(404, 200),
        ),
        (
            "DELETE /devices/{id}",
            format!("/devices/{}", w.user_device),
            None,
            refused(404, 200),
        ),
        ("GET /events", "/events".into(), None, refused(200, 200)),
        (
            "POST /webhooks",
            "/webhooks".into(),
            Some(json!({"url": "https://hooks.example/new", "event_types": ["license.created"]})),
            refused(201, 201),
        ),
        ("GET /webhooks", "/webhooks".into(), None, refused(200, 200)),
        (
            "DELETE /webhooks/{id}",
            format!("/webhooks/{}", w.hook.endpoint_id),
            None,
            refused(404, 200),
        ),
        (
            "GET /webhooks/deliveries",
            "/webhooks/deliveries".into(),
            None,
            refused(200, 200),
        ),
        (
            "POST /webhooks/deliveries/{id}/redeliver",
            format!("/webhooks/deliveries/{}/redeliver", w.hook.delivery_id),
            None,
            refused(404, 202),
        ),
        (
            "GET /events",
            format!("/events?license_id={lid}"),
            None,
            refused(200, 200),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_management_operation_answers_only_its_tenants_keys() {
    let (url, _dir) = test_database("authz");
    let store = Store::connect(&url).await.expect("open the test database");
    let server = App::start(&url).await;
    let client = reqwest::Client::new();
    let base = format!("{}/api/v1/manage", server.base);

    // The rows cover the document's operations, and nothing else.
    let doc: serde_json::Value = client
        .get(format!("{base}/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    let probe = world(&store).await;
    let covered: BTreeSet<String> = management_rows(&probe)
        .iter()
        .map(|(operation, ..)| (*operation).to_owned())
        .collect();
    assert_eq!(
        covered, documented,
        "every management operation needs a row"
    );

    let mut failures = Vec::new();
    for index in 0..management_rows(&probe).len() {
        let w = world(&store).await;
        let (operation, path, body, expect) = management_rows(&w).swap_remove(index);
        let method: reqwest::Method = operation.split(' ').next().unwrap().parse().unwrap();
        for (who, expected) in KEY_COLUMNS.into_iter().zip(expect) {
            let before = fingerprint(&store, &w).await;
            let mut request = client.request(method.clone(), format!("{base}{path}"));
            request = match who {
                KeyWho::NoKey => request,
                KeyWho::VendorSession => request.header(
                    "cookie",
                    format!("keyport_session={}", w.cookie(Who::Vendor).unwrap()),
                ),
                KeyWho::RevokedKey => request.bearer_auth(&w.keys.revoked),
                KeyWho::OtherTenantKey => request.bearer_auth(&w.keys.other_tenant),
                KeyWho::OwnKey => request.bearer_auth(&w.keys.own),
            };
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = request.send().await.expect("request");
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            if status != expected {
                failures.push(format!(
                    "{path} ({operation}) as {who:?}: expected {expected}, got {status}: {text}"
                ));
            }
            if expected >= 400 && fingerprint(&store, &w).await != before {
                failures.push(format!(
                    "{path} as {who:?} was refused but changed the database"
                ));
            }
            if who != KeyWho::OwnKey
                && (text.contains(&w.license)
                    || text.contains(&w.customer_id)
                    || text.contains("Acme"))
            {
                failures.push(format!("{path} as {who:?} shows Acme's data: {text}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
