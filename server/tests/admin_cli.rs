//! The admin commands, run as an operator would: the real binary, its exit status, what it prints,
//! and what it wrote, read back through `licensing`.

mod common;

use std::process::{Command, Output};

use common::{random_hex, test_database, workspace_root, BIN};
use licensing::auth::{self, AccountKind, Credentials};
use licensing::Store;
use serde_json::Value;

const ADMIN_PASSWORD: &str = "admin-password-1";

fn keyport(url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(workspace_root())
        .env("DATABASE_URL", url)
        .env("KEYPORT_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("KEYPORT_PUBLIC_URL", "https://licenses.acme.test")
        .env("RUST_LOG", "warn")
        .args(args)
        .output()
        .expect("run keyport")
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "expected success: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The command failed with a non-zero exit and said `needle` on stderr.
fn refused(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "expected a failure mentioning {needle:?}"
    );
    assert!(
        stderr.contains(needle),
        "stderr {stderr:?} lacks {needle:?}"
    );
}

fn line_after<'a>(stdout: &'a str, prefix: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in {stdout}"))
        .trim()
}

#[tokio::test]
async fn an_operator_bootstraps_a_vendor_sells_a_license_and_lifts_a_limit() {
    let (url, _dir) = test_database("cli");
    let company = format!("Cli-{}", random_hex(10));
    let admin = "ada@vendor.example";

    // Bad input: a clear message, a non-zero exit, and nothing created.
    refused(
        &keyport(
            &url,
            &[
                "tenant",
                "create",
                "--company",
                "bad id!",
                "--name",
                "V",
                "--admin-email",
                admin,
                "--admin-name",
                "Ada",
            ],
        ),
        "Company ID",
    );
    refused(
        &keyport(
            &url,
            &[
                "tenant",
                "create",
                "--company",
                &company,
                "--name",
                "V",
                "--admin-email",
                "nope",
                "--admin-name",
                "Ada",
            ],
        ),
        "Email",
    );
    refused(
        &keyport(&url, &["tenant", "create", "--company", &company]),
        "--name",
    );

    ok(&keyport(
        &url,
        &[
            "tenant",
            "create",
            "--company",
            &company,
            "--name",
            "Vendor Ltd",
            "--admin-email",
            admin,
            "--admin-name",
            "Ada Admin",
        ],
    ));
    refused(
        &keyport(
            &url,
            &[
                "tenant",
                "create",
                "--company",
                &company,
                "--name",
                "V",
                "--admin-email",
                admin,
                "--admin-name",
                "Ada",
            ],
        ),
        "taken",
    );
    let store = Store::connect(&url).await.expect("open the database");
    let ada = auth::check_credentials(
        &store,
        &Credentials {
            company: company.clone(),
            email: admin.into(),
            password: ADMIN_PASSWORD.into(),
        },
        "127.0.0.1",
    )
    .await
    .expect("the first vendor admin logs in");
    assert_eq!(ada.kind, AccountKind::VendorAdmin);

    let op = ["--company", company.as_str(), "--as", admin];
    let customer = ok(&keyport(
        &url,
        &[&["customer", "create"][..], &op, &["--name", "Acme Corp"]].concat(),
    ));
    let customer = customer.trim();
    refused(
        &keyport(
            &url,
            &[
                "customer",
                "create",
                "--company",
                &company,
                "--as",
                "nobody@vendor.example",
                "--name",
                "X",
            ],
        ),
        "--as",
    );

    let sell = |extra: &[&str]| {
        let mut args = vec!["license", "create"];
        args.extend_from_slice(&op);
        args.extend_from_slice(&[
            "--customer",
            customer,
            "--product",
            "CodeGlass",
            "--owner-email",
            "owner@acme.example",
        ]);
        args.extend_from_slice(extra);
        keyport(&url, &args)
    };
    refused(&sell(&["--type", "organisation"]), "--owner-name");
    refused(
        &sell(&["--owner-name", "Olga Owner", "--type", "nonsense"]),
        "organisation",
    );
    let first = ok(&sell(&[
        "--type",
        "organisation",
        "--owner-name",
        "Olga Owner",
    ]));
    let license = line_after(&first, "license ").to_owned();
    assert!(line_after(&first, "license key (shown once): ").starts_with("KP-"));
    assert_eq!(
        line_after(&first, "owner account created for "),
        "owner@acme.example; their credentials are emailed with the license"
    );
    // One email to the new owner: the credentials, with a link to the portal (`--public-url`).
    let tenant = ada.tenant_id.as_str();
    let emails = licensing::testing::emails_to(&store, tenant, "owner@acme.example").await;
    assert_eq!(emails.len(), 1, "{emails:?}");
    assert_eq!(emails[0].0, "credentials");
    assert!(
        emails[0]
            .1
            .contains("https://licenses.acme.test/set-password?token="),
        "{}",
        emails[0].1
    );
    // A second purchase raises the same license, and the owner (still without a password) is
    // sent their credentials again rather than a receipt.
    let second = ok(&sell(&["--type", "organisation", "--subscriptions", "2"]));
    assert_eq!(line_after(&second, "license "), license);
    let emails = licensing::testing::emails_to(&store, tenant, "owner@acme.example").await;
    assert_eq!(emails.len(), 2);

    let listed = ok(&keyport(
        &url,
        &[&["license", "list"][..], &op, &["--json"]].concat(),
    ));
    let listed: Value = serde_json::from_str(&listed).expect("JSON");
    let listed = listed.as_array().expect("a JSON array");
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["id"], license.as_str());
    assert_eq!(listed[0]["subscriptions"], 3);
    assert_eq!(listed[0]["max_users"], 15);
    assert_eq!(listed[0]["max_activations"], 30);
    assert_eq!(listed[0]["customer_name"], "Acme Corp");

    // Lifting the limit needs a reason and a vendor admin.
    sqlx::query("UPDATE licenses SET deactivations_used = max_deactivations WHERE id = $1")
        .bind(&license)
        .execute(store.pool())
        .await
        .unwrap();
    let reset = |who: &str, reason: &str| {
        keyport(
            &url,
            &[
                "license",
                "reset-deactivations",
                "--company",
                &company,
                "--as",
                who,
                "--license",
                &license,
                "--reason",
                reason,
            ],
        )
    };
    refused(&reset(admin, " "), "Reason");
    refused(&reset("owner@acme.example", "please"), "not a vendor admin");
    refused(
        &keyport(
            &url,
            &[
                "license",
                "reset-deactivations",
                "--company",
                &company,
                "--as",
                admin,
                "--license",
                "no-such-license",
                "--reason",
                "x",
            ],
        ),
        "not found",
    );
    let used: i64 = sqlx::query_scalar("SELECT deactivations_used FROM licenses WHERE id = $1")
        .bind(&license)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(used, 3);
    ok(&reset(admin, "customer replaced laptops"));
    let used: i64 = sqlx::query_scalar("SELECT deactivations_used FROM licenses WHERE id = $1")
        .bind(&license)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(used, 0);
}

/// `keyport licensespring-keys` prints what a vendor builds into an app on LicenseSpring's SDK;
/// the same set every time (made once), and the demo product's short code among it.
#[tokio::test]
async fn an_operator_prints_a_tenants_licensespring_keys() {
    let (url, _dir) = test_database("cli-ls");
    let company = format!("Ls{}", random_hex(10));
    ok(&keyport(&url, &["demo-tenant", "--company", &company]));
    let json = |out: &Output| -> Value { serde_json::from_str(&ok(out)).expect("JSON") };
    let first = json(&keyport(
        &url,
        &["licensespring-keys", "--company", &company, "--json"],
    ));
    // The demo tenant sells a product named after its company ID.
    let code = licensing::products::short_code_for(&company);
    assert_eq!(first["products"], serde_json::json!([code]));
    assert!(!first["api_key"].as_str().unwrap().is_empty());
    assert_eq!(first["shared_key"].as_str().unwrap().len(), 64);
    assert!(first["public_key_pem"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN PUBLIC KEY-----\n"));
    // Company IDs are case-insensitive, and the keys are made once.
    let again = json(&keyport(
        &url,
        &[
            "licensespring-keys",
            "--company",
            &company.to_uppercase(),
            "--json",
        ],
    ));
    assert_eq!(again, first);
    let text = ok(&keyport(
        &url,
        &["licensespring-keys", "--company", &company],
    ));
    assert_eq!(
        line_after(&text, "api_key:"),
        first["api_key"].as_str().unwrap()
    );
    refused(
        &keyport(
            &url,
            &["licensespring-keys", "--company", "no-such-company"],
        ),
        "company was not found",
    );
}
