//! One-time notes over HTTP on the server's router (`server::app`, in process): after *Create
//! user*, *Add account*, *Sell license* and a device reset the redirect's address carries no secret
//! and no note; the page shows the note (and a new license key in it) once, to the session that
//! made the change only, and never a set-password link (it goes by email); logging out deletes it;
//! and a crafted query string puts no words on any page.

mod common;

use common::{demo_tenant, session, take_flash, test_database, App, ScratchDir};
use licensing::demo::{admin_email, DemoTenant};
use licensing::flash::Flash;
use licensing::testing::{last_email, link_token};
use licensing::Store;
use reqwest::{Client, Response};

struct World {
    store: Store,
    server: App,
    http: Client,
    tenant: DemoTenant,
    manager: String,
    _dir: Option<ScratchDir>,
}

async fn world(prefix: &str) -> World {
    let (url, dir) = test_database(prefix);
    let store = Store::connect(&url).await.expect("open the test database");
    let tenant = demo_tenant(&store, prefix).await;
    let manager = session(&store, &tenant.company_id, "manager@acme.example").await;
    let server = App::start(&url).await;
    let http = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    World {
        store,
        server,
        http,
        tenant,
        manager,
        _dir: dir,
    }
}

impl World {
    /// A form posted as a browser without JavaScript posts it.
    async fn post(&self, token: &str, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.server.base))
            .header("accept", "text/html")
            .header("origin", &self.server.base)
            .header("cookie", format!("keyport_session={token}"))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A page as the browser loads it: server-rendered with the session.
    async fn page(&self, token: &str, path: &str) -> String {
        common::page(&self.http, &self.server.base, token, path).await
    }

    /// What a hydrated page asks for after its form finished.
    async fn take(&self, token: &str, path: &str) -> Option<Flash> {
        take_flash(&self.http, &self.server.base, token, path).await
    }

    /// A session of the tenant's vendor admin.
    async fn admin(&self) -> String {
        let email = admin_email(&self.tenant.company_id);
        session(&self.store, &self.tenant.company_id, &email).await
    }

    async fn customer_id(&self) -> String {
        sqlx::query_scalar("SELECT customer_id FROM licenses WHERE id = $1")
            .bind(&self.tenant.license_id)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    async fn flashes_of(&self, token: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM flashes WHERE token_hash = $1")
            .bind(licensing::secret::hash(token))
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }
}

/// The redirect's target: exactly `path`, nothing after it.
fn location(r: &Response) -> String {
    assert!(
        r.status().is_redirection(),
        "expected a redirect, got {}",
        r.status()
    );
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// A page without the language switcher's hidden `next` field: the address to come back to after
/// switching (the page's own, query included) is a form value, not something the page shows.
fn without_return_address(html: &str) -> String {
    const FIELD: &str = "name=\"next\" value=\"";
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find(FIELD) {
        out.push_str(&rest[..at]);
        rest = &rest[at + FIELD.len()..];
        rest = &rest[rest.find('"').map_or(rest.len(), |end| end + 1)..];
    }
    out.push_str(rest);
    out
}

/// The 64-hex-digit set-password token after `/set-password?token=` in a page, if any.
fn set_password_token(html: &str) -> Option<String> {
    let at = html.find("/set-password?token=")? + "/set-password?token=".len();
    let token: String = html[at..].chars().take(64).collect();
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()));
    Some(token)
}

#[tokio::test]
async fn create_user_emails_the_link_and_the_page_only_says_so_once() {
    let w = world("FlashUser").await;
    let users = format!("/licenses/{}/users", w.tenant.license_id);
    let r = w
        .post(
            &w.manager,
            "create_user",
            &[
                ("license_id", w.tenant.license_id.as_str()),
                ("name", "Lin Link"),
                ("email", "lin@acme.example"),
                ("password", ""),
                ("assign", "on"),
            ],
        )
        .await;
    assert_eq!(location(&r), users);

    let html = w.page(&w.manager, &users).await;
    assert!(html.contains("Invitation sent to lin@acme.example, with a seat on this license."));
    // The link went by email only: the manager's page never holds it.
    assert!(set_password_token(&html).is_none(), "{html}");
    let (kind, text) = last_email(&w.store, &w.tenant.tenant_id, "lin@acme.example")
        .await
        .expect("the invitation");
    assert_eq!(kind, "invitation");
    let token = link_token(&text).expect("a set-password link in the email");
    assert!(!html.contains(&token));
    // It is the real one: the set-password page knows whom it is for.
    let set = w
        .page(&w.manager, &format!("/set-password?token={token}"))
        .await;
    assert!(set.contains("lin@acme.example"), "{set}");

    // Shown once: a reload (or a second tab) has no note.
    let again = w.page(&w.manager, &users).await;
    assert!(!again.contains("Invitation sent"));
}

#[tokio::test]
async fn a_note_is_for_its_session_only_and_ends_with_it() {
    let w = world("FlashSession").await;
    let other = session(&w.store, &w.tenant.company_id, "manager@acme.example").await;
    let users = format!("/licenses/{}/users", w.tenant.license_id);
    let create = |email: &'static str| {
        [
            ("license_id", w.tenant.license_id.clone()),
            ("name", "Nina Note".to_owned()),
            ("email", email.to_owned()),
            ("password", String::new()),
        ]
    };
    let form = create("nina@acme.example");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        location(&w.post(&w.manager, "create_user", &form).await),
        users
    );

    // Another session of the same person, and another person, find nothing.
    assert_eq!(w.take(&other, &users).await, None);
    let page = w.page(&other, &users).await;
    assert!(!page.contains("Invitation sent to nina@acme.example"));
    assert!(set_password_token(&page).is_none());
    let user = session(&w.store, &w.tenant.company_id, "user@acme.example").await;
    assert_eq!(w.take(&user, &users).await, None);
    assert_eq!(w.take("not-a-session", &users).await, None);
    // Nor does the right session asking for another page.
    assert_eq!(
        w.take(&w.manager, &format!("/licenses/{}", w.tenant.license_id))
            .await,
        None
    );

    // The session that made the change gets it, once (as a hydrated page asks for it).
    match w.take(&w.manager, &users).await {
        Some(Flash::UserCreated {
            email,
            assigned: false,
            invited: true,
        }) => {
            assert_eq!(email, "nina@acme.example");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(w.take(&w.manager, &users).await, None);

    // Logging out (which ends every session of the account) deletes an unread note with it.
    let form = create("nora@acme.example");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        location(&w.post(&w.manager, "create_user", &form).await),
        users
    );
    assert_eq!(w.flashes_of(&w.manager).await, 1);
    licensing::auth::logout(&w.store, &other).await.unwrap();
    assert_eq!(w.flashes_of(&w.manager).await, 0);
}

#[tokio::test]
async fn the_vendor_console_emails_a_new_accounts_link_and_shows_a_new_license_key_once() {
    let w = world("FlashAdmin").await;
    let admin = w.admin().await;
    let customer = w.customer_id().await;
    let customer_page = format!("/admin/customers/{customer}");

    let r = w
        .post(
            &admin,
            "admin_create_account",
            &[
                ("customer_id", customer.as_str()),
                ("name", "Ada Account"),
                ("email", "ada@acme.example"),
            ],
        )
        .await;
    assert_eq!(location(&r), customer_page);
    let html = w.page(&admin, &customer_page).await;
    assert!(
        html.contains("Invitation sent to ada@acme.example."),
        "{html}"
    );
    assert!(set_password_token(&html).is_none());
    let (_, text) = last_email(&w.store, &w.tenant.tenant_id, "ada@acme.example")
        .await
        .expect("the invitation");
    let token = link_token(&text).expect("a set-password link in the email");
    let again = w.page(&admin, &customer_page).await;
    assert!(!again.contains(&token));
    assert!(!again.contains("Invitation sent to ada@acme.example"));

    let owner: String =
        sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1 AND tenant_id = $2")
            .bind("ada@acme.example")
            .bind(&w.tenant.tenant_id)
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    let r = w
        .post(
            &admin,
            "admin_sell",
            &[
                ("customer_id", customer.as_str()),
                ("product", "FlashPad"),
                ("license_type", "organisation"),
                ("owner_account_id", owner.as_str()),
                ("terms[subscriptions]", "1"),
                ("terms[seats_per_subscription]", "5"),
                ("terms[devices_per_subscription]", "10"),
                ("terms[deactivations]", "3"),
                ("terms[valid_days]", "365"),
            ],
        )
        .await;
    let license_page = location(&r);
    assert!(
        license_page.starts_with("/admin/licenses/") && !license_page.contains('?'),
        "{license_page}"
    );
    assert!(!license_page.contains("KP-"));
    let html = w.page(&admin, &license_page).await;
    assert!(html.contains("The license was created."));
    let at = html
        .find("data-testid=\"license-key\">")
        .expect("the license key")
        + "data-testid=\"license-key\">".len();
    let key: String = html[at..].chars().take_while(|c| *c != '<').collect();
    assert!(key.starts_with("KP-"), "{key}");
    // It is the new license's key (the database keeps only its hash).
    let hash: Option<String> =
        sqlx::query_scalar("SELECT license_key_hash FROM licenses WHERE id = $1")
            .bind(license_page.trim_start_matches("/admin/licenses/"))
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    assert_eq!(hash, Some(licensing::secret::hash(&key)));
    let again = w.page(&admin, &license_page).await;
    assert!(!again.contains(&key));
    assert!(!again.contains("data-testid=\"license-key\""));
    assert!(!again.contains("The license was created."));
}

#[tokio::test]
async fn a_device_reset_note_reaches_a_hydrated_page_once() {
    let w = world("FlashReset").await;
    let device: String = sqlx::query_scalar(
        "SELECT id FROM devices WHERE license_id = $1 AND deactivated_at IS NULL ORDER BY id",
    )
    .bind(&w.tenant.license_id)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    let devices = format!("/licenses/{}/devices", w.tenant.license_id);
    // The server function client asks for JSON: the redirect is a header the router follows.
    let r = w
        .http
        .post(format!("{}/api/reset_device", w.server.base))
        .header("accept", "application/json")
        .header("origin", &w.server.base)
        .header("cookie", format!("keyport_session={}", w.manager))
        .form(&[("device_id", device.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["location"], devices.as_str());
    match w.take(&w.manager, &devices).await {
        Some(Flash::DeviceReset {
            deactivations_left: 2,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(w.take(&w.manager, &devices).await, None);
    assert!(!w.page(&w.manager, &devices).await.contains("was reset."));
}

#[tokio::test]
async fn no_page_shows_text_from_its_query_string() {
    let w = world("FlashQuery").await;
    let admin = w.admin().await;
    let lic = &w.tenant.license_id;
    let customer = w.customer_id().await;
    let token = "ab".repeat(32);
    let words = "CALL 555 0100 NOW";
    let crafted = "CALL%20555%200100%20NOW";
    let pages = [
        (
            &w.manager,
            format!("/licenses/{lic}/devices?was_reset={crafted}&left=9"),
        ),
        (
            &w.manager,
            format!("/licenses/{lic}/users?created={crafted}&assigned=1&token={token}"),
        ),
        (
            &w.manager,
            format!("/licenses/{lic}/users?assigned={crafted}"),
        ),
        (
            &w.manager,
            format!("/licenses/{lic}/users?unassigned={crafted}&devices=1"),
        ),
        (
            &w.manager,
            format!("/licenses/{lic}/users?role_changed={crafted}&role=manager"),
        ),
        (
            &w.manager,
            format!("/licenses/{lic}?license_reset=1&devices=9&offline_error={crafted}"),
        ),
        (
            &admin,
            format!("/admin/licenses/{lic}?created=1&key=KP-EXPIRED.%20{crafted}"),
        ),
        (
            &admin,
            format!("/admin/licenses/{lic}?added=7&saved=1&status=suspended"),
        ),
        (
            &admin,
            format!("/admin/customers/{customer}?created=1&account={crafted}&token={token}"),
        ),
    ];
    for (who, path) in &pages {
        let html = without_return_address(&w.page(who, path).await);
        for shown in [
            words,
            "KP-EXPIRED",
            &token,
            "was reset.",
            "was created",
            "was unassigned",
            "is now a license",
            "The license was reset",
            "7 subscriptions added",
            "The limits were saved.",
            "The license was suspended.",
            "data-testid=\"license-key\"",
            "data-testid=\"password-link\"",
            "role=\"alert\"",
        ] {
            assert!(!html.contains(shown), "{path} shows {shown:?}");
        }
    }
}

/// Starting a portal finds its routes by rendering the app with every resource load suppressed
/// process-wide; a page another portal of the same process renders meanwhile must not stall. (The
/// tests start one portal per case; CI once hung on a Users tab whose note never came.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_another_portal_starts_in_the_same_process() {
    let (url, _dir) = test_database("FlashStarts");
    let store = Store::connect(&url).await.expect("open the test database");
    let tenant = demo_tenant(&store, "FlashStarts").await;
    let manager = session(&store, &tenant.company_id, "manager@acme.example").await;
    let server = App::start(&url).await;
    let starting = tokio::spawn({
        let url = url.clone();
        async move {
            for _ in 0..30 {
                drop(App::start(&url).await);
            }
        }
    });
    let http = Client::new();
    let page = format!("{}/licenses/{}/users", server.base, tenant.license_id);
    let mut rendered = 0;
    while !starting.is_finished() || rendered < 12 {
        let body = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            let r = http
                .get(&page)
                .header("cookie", format!("keyport_session={manager}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            r.text().await.unwrap()
        })
        .await
        .unwrap_or_else(|_| panic!("page {rendered} never finished rendering"));
        assert!(body.contains("data-testid=\"seats-left\""), "{body}");
        rendered += 1;
    }
    starting.await.unwrap();
}
