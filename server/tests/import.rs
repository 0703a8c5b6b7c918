//! Moving in from LicenseSpring (`keyport import licensespring`) as an operator runs it: the real
//! binary on an export built like LicenseSpring's (several products, key- and user-based licenses,
//! managers, devices at the limit, bad rows), on SQLite and on Postgres; what it prints, what it
//! wrote (read back through `licensing` and the portal), a second run, a dry run, and a run killed
//! with SIGKILL then resumed.
//!
//! License keys are unique on a server, so every test writes the fixture with keys and ids of its
//! own (`tagged`).

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{
    page, portal_client, random_hex, session, test_database, workspace_root, App,
    ExportFiles as Files, BIN,
};
use licensing::demo::DEMO_PASSWORD;
use licensing::licenses::{self, LicenseStatus};
use licensing::licensespring::numeric_id;
use licensing::testing::{demo_tenant, last_email, link_token, ScratchDir};
use licensing::Store;

impl Files {
    /// The command's arguments for the export's three files.
    fn args(&self) -> Vec<String> {
        vec![
            format!("--licenses={}", self.path("licenses.csv").display()),
            format!("--users={}", self.path("users.jsonl").display()),
            format!("--devices={}", self.path("devices.jsonl").display()),
        ]
    }
}

fn keyport(url: &str, args: &[String]) -> Output {
    Command::new(BIN)
        .current_dir(workspace_root())
        .env("DATABASE_URL", url)
        .env("KEYPORT_PUBLIC_URL", "https://licenses.acme.test")
        .env("RUST_LOG", "warn")
        .args(args)
        .output()
        .expect("run keyport")
}

fn import(url: &str, company: &str, extra: &[String]) -> Output {
    let mut args: Vec<String> = ["import", "licensespring", "--company", company]
        .map(str::to_owned)
        .to_vec();
    args.extend_from_slice(extra);
    keyport(url, &args)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn count(store: &Store, sql: &str, tenant_id: &str) -> i64 {
    let mut conn = store.pool().acquire().await.unwrap();
    sqlx::query_scalar(sql)
        .bind(tenant_id)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

async fn audit_events(store: &Store, tenant_id: &str) -> i64 {
    count(
        store,
        "SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1",
        tenant_id,
    )
    .await
}

/// The refusals the fixture's bad rows get, in the order the report prints them.
const REFUSED: [&str; 10] = [
    "9 rows refused (the rest was imported):",
    "licenses file, line 7: license__validity_period “30/06/2031” is not a date (2024-09-27) or a time (2024-09-27T23:30:48Z)",
    "licenses file, line 8: consumption licenses are not supported",
    "licenses file, line 9: the same entry came earlier, on line 2, with other values",
    "licenses file, line 10: the customer has a cgdesk license already (Keyport keeps one license per customer and product; add subscriptions to it instead)",
    "users file, line 5: Max license users number reached (3)",
    "users file, line 7: li@contoso.example is an account of another customer here",
    "users file, line 8: no license 999 in the licenses file or here: import the licenses first",
    "devices file, line 4: the license's device limit (3) is reached; the device was not imported",
    "devices file, line 7: time_activated “yesterday” is not a date (2024-09-27) or a time (2024-09-27T23:30:48Z)",
];

#[tokio::test]
async fn an_export_moves_in_with_its_keys_ids_users_and_active_devices() {
    let (url, _dir) = test_database("import");
    let store = Store::connect(&url).await.unwrap();
    let demo = demo_tenant(&store, "Imp").await;
    let company = demo.company_id.as_str();
    let files = Files::tagged();
    let before = audit_events(&store, &demo.tenant_id).await;

    // A dry run prints what would change and writes nothing.
    let mut dry = files.args();
    dry.push("--dry-run".into());
    let out = import(&url, company, &dry);
    assert!(!out.status.success(), "refused rows fail the command");
    let text = stdout(&out);
    assert!(text.starts_with("Dry run: nothing was written."), "{text}");
    assert!(
        text.contains("Licenses: 5 to create, 0 already there"),
        "{text}"
    );
    assert!(text.contains("9 rows would be refused"), "{text}");
    let northwind_key = files.key("H62K-C35N-BS2J-VZ13");
    assert!(licenses::license_for_key(&store, &northwind_key)
        .await
        .unwrap()
        .is_none());
    assert_eq!(audit_events(&store, &demo.tenant_id).await, before);

    // The import: what it made, and every bad row with its line and reason.
    let out = import(&url, company, &files.args());
    assert!(!out.status.success());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..7],
        [
            "Products: 2 created, 0 already there",
            "Customers: 4 created, 0 already there",
            "Accounts: 7 created, 0 already there",
            "Licenses: 5 created, 0 already there",
            "Seats: 9 created, 1 already there",
            "Active devices: 5 created, 0 already there",
            "Columns ignored (not LicenseSpring's): crm__owner",
        ],
        "{text}"
    );
    assert_eq!(lines[7..], REFUSED, "{text}");
    // The row refused for a full license made no account either.
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM accounts WHERE tenant_id = $1 AND email = 'barbara@northwind.example'",
            &demo.tenant_id,
        )
        .await,
        0
    );

    // The key is kept (hashed), and the license answers with LicenseSpring's id.
    let (license_id, tenant) = licenses::license_for_key(&store, &northwind_key)
        .await
        .unwrap()
        .expect("the imported key finds its license");
    assert_eq!(tenant, demo.tenant_id);
    assert_eq!(numeric_id(&license_id), files.id("59"));
    let northwind = licenses::for_app(&store, &license_id).await.unwrap();
    assert_eq!(
        (northwind.devices_active, northwind.max_activations),
        (3, 3)
    );
    assert_eq!((northwind.seats_used, northwind.max_users), (3, 5));
    assert_eq!(northwind.status, LicenseStatus::Active);
    let (disabled, _) = licenses::license_for_key(&store, &files.key("Z3NM-8QWE-R5TY-U1IO"))
        .await
        .unwrap()
        .unwrap();
    let disabled = licenses::for_app(&store, &disabled).await.unwrap();
    assert_eq!(disabled.status, LicenseStatus::Suspended);

    // One audit event per object, attributed to the import (no actor).
    let imported = count(
        &store,
        "SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND action LIKE '%imported' \
         AND actor_id IS NULL",
        &demo.tenant_id,
    )
    .await;
    assert_eq!(imported, 4 + 7 + 5 + 9 + 5);
    let after = audit_events(&store, &demo.tenant_id).await;

    // The same files again change nothing, and say so.
    let out = import(&url, company, &files.args());
    let text = stdout(&out);
    assert!(
        text.contains("Nothing changed: everything in these files is here already."),
        "{text}"
    );
    assert!(
        text.contains("Licenses: 0 created, 5 already there"),
        "{text}"
    );
    assert!(
        text.contains("Active devices: 0 created, 5 already there"),
        "{text}"
    );
    assert_eq!(audit_events(&store, &demo.tenant_id).await, after);

    // Nobody has a password: the invitations are a separate, explicit step, sent once.
    let out = import(&url, company, &["--notify".into()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).contains("7 set-password invitations queued"),
        "{}",
        stdout(&out)
    );
    let again = import(&url, company, &["--notify".into()]);
    assert!(stdout(&again).contains("0 set-password invitations queued"));
    let (_, mail) = last_email(&store, &demo.tenant_id, "ada@northwind.example")
        .await
        .expect("Ada is invited");
    let token = link_token(&mail).expect("a set-password link");
    licensing::users::set_password_with_link(
        &store,
        &token,
        DEMO_PASSWORD,
        DEMO_PASSWORD,
        "127.0.0.1",
    )
    .await
    .unwrap();

    // Ada, the owner, manages the license in the portal: its devices and users as imported.
    let app = App::start(&url).await;
    let cookie = session(&store, company, "ada@northwind.example").await;
    let client = portal_client().build().unwrap();
    let devices = page(
        &client,
        &app.base,
        &cookie,
        &format!("/licenses/{license_id}/devices"),
    )
    .await;
    for name in ["ada-laptop", "grace-desktop", "build-server"] {
        assert!(devices.contains(name), "{name} on the Devices tab");
    }
    assert!(!devices.contains("one-too-many"));
    let users = page(
        &client,
        &app.base,
        &cookie,
        &format!("/licenses/{license_id}/users"),
    )
    .await;
    for email in ["grace@northwind.example", "alan@northwind.example"] {
        assert!(users.contains(email), "{email} on the Users tab");
    }
}

#[tokio::test]
async fn a_key_of_another_vendor_is_refused_and_nothing_of_its_row_is_written() {
    let (url, _dir) = test_database("import-foreign");
    let store = Store::connect(&url).await.unwrap();
    let first = demo_tenant(&store, "ImpA").await;
    let second = demo_tenant(&store, "ImpB").await;
    let files = Files::tagged();
    let licenses_only = vec![files.args()[0].clone()];
    import(&url, &first.company_id, &licenses_only);
    let out = import(&url, &second.company_id, &licenses_only);
    let text = stdout(&out);
    // Lines 2 to 6 hold the keys the first vendor imported.
    for line in 2..=6 {
        let refusal = format!(
            "licenses file, line {line}: this license key is already in use on this server"
        );
        assert!(text.contains(&refusal), "{refusal} in {text}");
    }
    let made = count(
        &store,
        "SELECT COUNT(*) FROM licenses WHERE tenant_id = $1",
        &second.tenant_id,
    )
    .await;
    // The demo license, and line 10's key, which the first vendor refused (Ada had a cgdesk
    // license there) and this one, where line 2 was refused, takes.
    assert_eq!(made, 2);
}

/// A generated export: `n` licenses of two products, each with a user and three machines, every
/// seventh with a fourth machine past its limit.
fn big_export(dir: &Path, tag: &str, stem: u64, n: u64) -> Vec<String> {
    let mut csv = String::from(
        "license__id,license__license_key,product__short_code,customer__email,\
         customer__company_name,customer__reference,license__max_activations,license__max_license_users\n",
    );
    let (mut users, mut devices) = (String::new(), String::new());
    for i in 0..n {
        let id = stem + i;
        let product = if i % 2 == 0 { "bigdesk" } else { "bigcloud" };
        csv.push_str(&format!(
            "{id},K{i:06}-{tag},{product},owner{i}@c{i}.example,Customer {i},REF-{i},3,2\n"
        ));
        users.push_str(&format!(
            "{{\"license\": {id}, \"email\": \"user{i}@c{i}.example\", \"first_name\": \"User\"}}\n"
        ));
        for m in 0..(if i % 7 == 0 { 4 } else { 3 }) {
            devices.push_str(&format!(
                "{{\"license\": {id}, \"hardware_id\": \"HW-{i}-{m}\", \"hostname\": \"pc-{i}-{m}\", \
                 \"os\": \"Windows 11\", \"time_activated\": \"2025-01-02T03:04:05Z\"}}\n"
            ));
        }
    }
    let mut args = Vec::new();
    for (name, text) in [("licenses", csv), ("users", users), ("devices", devices)] {
        let path = dir.join(format!("{name}-{tag}"));
        std::fs::write(&path, text).unwrap();
        args.push(format!("--{name}={}", path.display()));
    }
    args
}

/// What a tenant holds after an import, without what differs between two tenants (ids, keys).
async fn state(store: &Store, tenant_id: &str, stem: i64) -> Vec<String> {
    let mut conn = store.pool().acquire().await.unwrap();
    let mut rows: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT l.external_id, l.product, l.devices_active, l.max_activations, \
           (SELECT COUNT(*) FROM license_users u WHERE u.license_id = l.id) \
         FROM licenses l WHERE l.tenant_id = $1 AND l.external_id IS NOT NULL",
    )
    .bind(tenant_id)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    rows.sort();
    let mut out: Vec<String> = rows
        .into_iter()
        .map(|(id, product, devices, limit, seats)| {
            let n = id.parse::<i64>().unwrap() - stem;
            format!("{n} {product} {devices}/{limit} seats {seats}")
        })
        .collect();
    let actions: Vec<(String, i64)> = sqlx::query_as(
        "SELECT action, COUNT(*) FROM audit_events WHERE tenant_id = $1 GROUP BY action ORDER BY action",
    )
    .bind(tenant_id)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    out.extend(actions.into_iter().map(|(a, n)| format!("{a} {n}")));
    for table in ["customers", "accounts"] {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE tenant_id = $1"
        ))
        .bind(tenant_id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        out.push(format!("{table} {n}"));
    }
    out
}

#[tokio::test]
async fn an_import_killed_midway_then_run_again_ends_as_one_clean_run() {
    let (url, _dir) = test_database("import-kill");
    let store = Store::connect(&url).await.unwrap();
    let scratch = ScratchDir::new("import-kill");
    let files = scratch.path();
    // Two batches of licenses (500 and 200), then the users' and devices' (700 and 2,200 rows):
    // the kill lands after the first batch, with most of the work still to do.
    const N: u64 = 700;
    let stem =
        1_000_000_000 + u64::from_str_radix(&random_hex(8), 16).unwrap() % 1_000_000_000 * 10_000;

    // The interrupted tenant: SIGKILL once the first batches are in, then the same command again.
    let killed = demo_tenant(&store, "ImpKill").await;
    let tag = random_hex(6).to_uppercase();
    let args = big_export(files, &tag, stem, N);
    let mut argv = vec![
        "import".to_owned(),
        "licensespring".into(),
        "--company".into(),
        killed.company_id.clone(),
    ];
    argv.extend(args.iter().cloned());
    let mut child = Command::new(BIN)
        .current_dir(workspace_root())
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .args(&argv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let made = count(
            &store,
            "SELECT COUNT(*) FROM licenses WHERE tenant_id = $1",
            &killed.tenant_id,
        )
        .await;
        if made >= 500 {
            break;
        }
        assert!(Instant::now() < deadline, "no batch committed in 2 minutes");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was killed"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import ended before it was killed"
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let resumed = keyport(&url, &argv);
    let text = stdout(&resumed);
    assert!(
        text.contains("already there"),
        "the second run finds the first one's batches: {text}"
    );

    // A tenant imported the same export (other keys) in one clean run.
    let clean = demo_tenant(&store, "ImpClean").await;
    let clean_stem = stem + 100_000;
    let clean_args = big_export(files, &random_hex(6).to_uppercase(), clean_stem, N);
    let out = import(&url, &clean.company_id, &clean_args);
    let refused = N.div_ceil(7);
    assert!(
        stdout(&out).contains(&format!("{refused} rows refused")),
        "{}",
        stdout(&out)
    );

    let (a, b) = (
        state(&store, &killed.tenant_id, stem as i64).await,
        state(&store, &clean.tenant_id, clean_stem as i64).await,
    );
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
}
