//! Fixtures the test suites of every crate share (feature `test-support`): the database under
//! test, company IDs nobody else uses, a seeded demo tenant, accounts and portal sessions.
//!
//! Here rather than in each suite because the licensing conformance suite and the server's suites
//! need the same ones, and a shared Postgres (`KEYPORT_TEST_DATABASE_URL`) only works when every
//! suite keeps to tenants of its own in the same way.

use std::path::{Path, PathBuf};

use crate::auth::{self, AccountKind, Credentials, SessionPolicy, ThrottlePolicy};
use crate::demo::{self, DemoTenant, DEMO_PASSWORD};
use crate::tenants::{self, NewAccount};
use crate::Store;

/// Names the Postgres the suites share; unset, each test gets a SQLite file of its own.
pub const DATABASE_ENV: &str = "KEYPORT_TEST_DATABASE_URL";

/// A scratch directory removed when the test ends (keeps the SQLite file alive until then).
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    pub fn new(prefix: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("keyport-{prefix}-{}", random_hex(16)));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `len` random lowercase hex digits (at most 64).
pub fn random_hex(len: usize) -> String {
    crate::secret::random_token()[..len].to_owned()
}

/// A company ID nobody else uses: `prefix-` and random hex. Give the prefix an upper-case
/// letter, and the company ID's case-insensitivity is exercised too.
pub fn fresh_company(prefix: &str) -> String {
    format!("{prefix}-{}", random_hex(12))
}

/// The database under test: the Postgres of [`DATABASE_ENV`] (shared; tests keep to tenants of
/// their own), else a fresh SQLite file removed with the returned directory. The test process's
/// own password hashes are light from here on (`auth::light_hashes_for_tests`).
pub fn test_database(prefix: &str) -> (String, Option<ScratchDir>) {
    crate::auth::light_hashes_for_tests();
    match std::env::var(DATABASE_ENV) {
        Ok(url) if !url.trim().is_empty() => (url, None),
        _ => {
            let dir = ScratchDir::new(prefix);
            let url = format!("sqlite://{}", dir.path().join("keyport.db").display());
            (url, Some(dir))
        }
    }
}

/// A tenant of its own under a fresh company ID, seeded as `keyport demo-tenant` seeds it: Acme
/// Corp's demo license (4 active devices of 10, 3 deactivations), so tests never see each
/// other's data.
pub async fn demo_tenant(store: &Store, prefix: &str) -> DemoTenant {
    let company = fresh_company(prefix);
    demo::seed_vendor(store, &company, &company, "Acme Corp", "acme", &company)
        .await
        .expect("seed the demo tenant")
}

/// A customer account with the demo password; its id.
pub async fn customer_account(store: &Store, tenant: &str, customer: &str, email: &str) -> String {
    tenants::create_account(
        store,
        &NewAccount {
            tenant_id: tenant,
            customer_id: Some(customer),
            kind: AccountKind::Customer,
            email,
            name: "Extra Person",
            password: DEMO_PASSWORD,
        },
    )
    .await
    .expect("create account")
}

/// A portal session (the cookie's value) for an account with the demo password.
pub async fn session(store: &Store, company: &str, email: &str) -> String {
    auth::login(
        store,
        &Credentials {
            company: company.into(),
            email: email.into(),
            password: DEMO_PASSWORD.into(),
        },
        None,
        SessionPolicy::default(),
        &ThrottlePolicy::default(),
        // An address of its own: on a shared Postgres, other suites' deliberate failures from
        // 127.0.0.1 must not throttle a fixture's login.
        &format!("127.{}", random_hex(6)),
    )
    .await
    .unwrap_or_else(|e| panic!("log in {email}: {e:?}"))
    .token
}

/// The emails of a tenant's outbox to `to`, oldest first, as (kind, plain-text body).
pub async fn emails_to(store: &Store, tenant_id: &str, to: &str) -> Vec<(String, String)> {
    let mut conn = store.pool().acquire().await.expect("a connection");
    crate::store::outbox::to_recipient(&mut conn, tenant_id, to)
        .await
        .expect("read the outbox")
}

/// The newest email of a tenant's outbox to `to`: its kind and plain-text body.
pub async fn last_email(store: &Store, tenant_id: &str, to: &str) -> Option<(String, String)> {
    emails_to(store, tenant_id, to).await.pop()
}

/// The token of the set-password link in an email's text, if it has one.
pub fn link_token(text: &str) -> Option<String> {
    const START: &str = "/set-password?token=";
    let at = text.find(START)? + START.len();
    let token: String = text[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (token.len() == 64).then_some(token)
}
