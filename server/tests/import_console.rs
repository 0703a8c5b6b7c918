//! The vendor console's import as a vendor uses it over HTTP: the upload (`POST /admin/imports`)
//! queued as a job, run in the background, its page while it waits and once done, its report
//! downloaded whole, *Send set-password emails*; bad uploads refused with nothing queued; other
//! tenants, customers and other sites kept out; a job whose process stopped resumed by another.
//! On SQLite and on Postgres.

mod common;

use common::{
    multipart, page, portal_client, session, take_flash, test_database, App, ExportFiles, Part,
};
use licensing::demo::{admin_email, DemoTenant};
use licensing::error::{Field, InvalidReason};
use licensing::flash::Flash;
use licensing::import::{self, ImportObject, ImportReport, LEASE_MS};
use licensing::store::Backend;
use licensing::testing::demo_tenant;
use licensing::{now_millis, AppError, Store};

const PAGE: &str = "/admin/import";

struct World {
    store: Store,
    app: App,
    client: reqwest::Client,
    demo: DemoTenant,
    admin: String,
    _dir: Option<licensing::testing::ScratchDir>,
}

impl World {
    async fn new(settings: &[(&str, &str)]) -> Self {
        let (url, dir) = test_database("import_console");
        let store = Store::connect(&url).await.unwrap();
        let demo = demo_tenant(&store, "ImpC").await;
        let admin = session(&store, &demo.company_id, &admin_email(&demo.company_id)).await;
        Self {
            app: App::start_with(&url, settings).await,
            client: portal_client().build().unwrap(),
            store,
            demo,
            admin,
            _dir: dir,
        }
    }

    /// Posts the import form as the browser does: `parts` of the multipart body.
    async fn upload(&self, session: Option<&str>, parts: &[Part<'_>]) -> reqwest::Response {
        let (content_type, body) = multipart(parts);
        let mut request = self
            .client
            .post(format!("{}/admin/imports", self.app.base))
            .header("content-type", content_type)
            .body(body);
        if let Some(session) = session {
            request = request.header("cookie", format!("keyport_session={session}"));
        }
        request.send().await.expect("POST /admin/imports")
    }

    /// Uploads the export's three files; returns the job's id from the redirect.
    async fn upload_export(&self, files: &ExportFiles, dry_run: bool) -> String {
        let (licenses, users, devices) = (
            files.bytes("licenses.csv"),
            files.bytes("users.jsonl"),
            files.bytes("devices.jsonl"),
        );
        let mut parts: Vec<Part<'_>> = vec![
            ("licenses_file", Some("licenses.csv"), &licenses),
            ("users_file", Some("users.jsonl"), &users),
            ("devices_file", Some("devices.jsonl"), &devices),
            ("license_type", None, b"organisation"),
            ("deactivations", None, b"7"),
        ];
        if dry_run {
            parts.push(("dry_run", None, b"on"));
        }
        let r = self.upload(Some(&self.admin), &parts).await;
        assert_eq!(r.status(), 303);
        let location = r.headers()["location"].to_str().unwrap().to_owned();
        location
            .strip_prefix("/admin/import/")
            .unwrap_or_else(|| panic!("redirected to {location}"))
            .to_owned()
    }

    async fn get(&self, session: &str, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.app.base))
            .header("cookie", format!("keyport_session={session}"))
            .send()
            .await
            .unwrap()
    }

    async fn jobs(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM import_jobs WHERE tenant_id = $1")
            .bind(&self.demo.tenant_id)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    /// Runs queued jobs, as the server processes do, until `id` has ended. The queue is the whole
    /// database's: on a Postgres shared with other suites, their jobs may come first.
    async fn run_until_ended(&self, id: &str) {
        for _ in 0..200 {
            import::run_next(&self.store, "test-worker").await.unwrap();
            let status: String = sqlx::query_scalar("SELECT status FROM import_jobs WHERE id = $1")
                .bind(id)
                .fetch_one(self.store.pool())
                .await
                .unwrap();
            if status == "done" || status == "failed" {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("import {id} did not end");
    }

    /// The note the refused upload left for the import page.
    async fn refusal(&self) -> AppError {
        match take_flash(&self.client, &self.app.base, &self.admin, PAGE).await {
            Some(Flash::ImportRefused { error }) => error,
            other => panic!("expected the upload's refusal, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_upload_runs_in_the_background_and_its_report_is_kept() {
    let w = World::new(&[]).await;
    let files = ExportFiles::tagged();

    // A dry run first: queued, run, reported, nothing written.
    let dry = w.upload_export(&files, true).await;
    w.run_until_ended(&dry).await;
    let report: ImportReport = w
        .get(
            &w.admin,
            &format!("/admin/imports/{dry}/report?format=json"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(report.dry_run);
    assert_eq!(report.created(ImportObject::License), 5);
    let key = files.key("H62K-C35N-BS2J-VZ13");
    assert!(licensing::licenses::license_for_key(&w.store, &key)
        .await
        .unwrap()
        .is_none());

    // The import: waiting until a process takes it, its page reloading itself meanwhile. (On a
    // Postgres shared with other suites, their `keyport` processes run jobs too, and may have
    // taken this one already; nothing else runs this test's SQLite file.)
    let id = w.upload_export(&files, false).await;
    let waiting = page(&w.client, &w.app.base, &w.admin, &format!("{PAGE}/{id}")).await;
    let reloads = r#"<noscript><meta http-equiv="refresh" content="3"></noscript>"#;
    if w.store.backend() == Backend::Sqlite || waiting.contains("Waiting to start") {
        assert!(waiting.contains("Waiting to start"), "{waiting}");
        assert!(waiting.contains(reloads), "{waiting}");
    }
    w.run_until_ended(&id).await;

    let done = page(&w.client, &w.app.base, &w.admin, &format!("{PAGE}/{id}")).await;
    assert!(!done.contains("http-equiv"), "a finished job's page stays");
    assert!(done.contains(r#"data-testid="import-report""#), "{done}");
    for line in [
        "Done",
        "Licenses: 5 created, 0 already there",
        "Active devices: 5 created, 0 already there",
        "9 rows refused (the rest was imported):",
        "users file, line 5: Max license users number reached (3)",
    ] {
        assert!(done.contains(line), "{line} in {done}");
    }
    let (license_id, _) = licensing::licenses::license_for_key(&w.store, &key)
        .await
        .unwrap()
        .expect("imported");
    let license = licensing::licenses::for_app(&w.store, &license_id)
        .await
        .unwrap();
    assert_eq!(license.max_deactivations, 7, "the form's deactivations");

    // The whole report, as the command prints it.
    let r = w
        .get(&w.admin, &format!("/admin/imports/{id}/report"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let text = r.text().await.unwrap();
    assert_eq!(text.lines().count(), 17, "{text}");
    assert!(text.ends_with(
        "devices file, line 7: time_activated “yesterday” is not a date (2024-09-27) or a time (2024-09-27T23:30:48Z)\n"
    ));

    // The list, then the set-password emails to everyone imported.
    let list = page(&w.client, &w.app.base, &w.admin, PAGE).await;
    assert_eq!(list.matches(r#"data-testid="import-row""#).count(), 2);
    assert!(
        list.contains("7 imported people have no password yet"),
        "{list}"
    );
    let r = w
        .client
        .post(format!("{}/api/admin_import_notify", w.app.base))
        .header("cookie", format!("keyport_session={}", w.admin))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(
        take_flash(&w.client, &w.app.base, &w.admin, PAGE).await,
        Some(Flash::ImportNotified { sent: 7 })
    );
    let list = page(&w.client, &w.app.base, &w.admin, PAGE).await;
    assert!(
        list.contains("0 imported people have no password yet"),
        "{list}"
    );
}

#[tokio::test]
async fn bad_uploads_are_refused_and_queue_nothing() {
    let w = World::new(&[("KEYPORT_IMPORT_MAX_MIB", "1")]).await;
    let big = vec![b'x'; 1024 * 1024 + 1];
    let cases: Vec<(Vec<Part<'_>>, AppError)> = vec![
        (
            vec![
                ("licenses_file", Some(""), b""),
                ("users_file", Some(""), b""),
            ],
            AppError::invalid(Field::LicensesFile, InvalidReason::NoImportFile),
        ),
        (
            vec![(
                "devices_file",
                Some("d.jsonl"),
                b"{\"hardware_id\": \"\xff\"}",
            )],
            AppError::invalid(Field::DevicesFile, InvalidReason::NotUtf8),
        ),
        (
            vec![("licenses_file", Some("big.csv"), &big)],
            AppError::invalid(Field::LicensesFile, InvalidReason::FileTooLarge { mib: 1 }),
        ),
        (
            vec![
                ("licenses_file", Some("l.csv"), b"a"),
                ("deactivations", None, b"99999999999999999999"),
            ],
            AppError::invalid(
                Field::Deactivations,
                InvalidReason::AtMost { max: 1_000_000 },
            ),
        ),
        (
            vec![
                ("licenses_file", Some("l.csv"), b"a"),
                ("license_type", None, b"floating"),
            ],
            AppError::invalid(Field::Type, InvalidReason::NoLicenseType),
        ),
        (
            vec![
                ("licenses_file", Some("l.csv"), b"a"),
                ("license_type", None, b"personal\0"),
            ],
            AppError::invalid(Field::Type, InvalidReason::ContainsNul),
        ),
    ];
    for (parts, expected) in &cases {
        let r = w.upload(Some(&w.admin), parts).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], PAGE);
        assert_eq!(&w.refusal().await, expected);
    }
    assert_eq!(w.jobs().await, 0, "nothing was queued");

    // A file name with control characters is kept without them.
    let r = w
        .upload(Some(&w.admin), &[("licenses_file", Some("a\tb.csv"), b"x")])
        .await;
    assert_eq!(r.status(), 303);
    let list = page(&w.client, &w.app.base, &w.admin, PAGE).await;
    assert!(list.contains("Licenses file (ab.csv)"), "{list}");
}

#[tokio::test]
async fn only_the_tenants_staff_reach_its_imports() {
    let w = World::new(&[]).await;
    let files = ExportFiles::tagged();
    let id = w.upload_export(&files, true).await;
    w.run_until_ended(&id).await;

    let other = demo_tenant(&w.store, "ImpO").await;
    let other_admin = session(&w.store, &other.company_id, &admin_email(&other.company_id)).await;
    let manager = session(&w.store, &w.demo.company_id, "manager@acme.example").await;
    let report = format!("/admin/imports/{id}/report");
    let theirs = page(&w.client, &w.app.base, &other_admin, PAGE).await;
    assert!(
        theirs.contains("No imports yet."),
        "another vendor's list: {theirs}"
    );
    assert_eq!(w.get(&other_admin, &report).await.status(), 404);
    assert_eq!(
        w.get(&other_admin, &format!("{PAGE}/{id}")).await.status(),
        404
    );
    assert_eq!(w.get(&manager, &report).await.status(), 403);
    assert_eq!(w.get(&manager, PAGE).await.status(), 403);
    assert_eq!(
        w.get(&w.admin, "/admin/imports/%00/report").await.status(),
        422
    );

    // No session: to the login, and nothing queued.
    let before = w.jobs().await;
    let r = w
        .upload(None, &[("licenses_file", Some("l.csv"), b"x")])
        .await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login?next="));
    // A customer's session: refused.
    let r = w
        .upload(Some(&manager), &[("licenses_file", Some("l.csv"), b"x")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        take_flash(&w.client, &w.app.base, &manager, PAGE).await,
        Some(Flash::ImportRefused {
            error: AppError::Forbidden
        })
    );
    // Another site's form, with the admin's cookie: refused before anything is read.
    let (content_type, body) = multipart(&[("licenses_file", Some("l.csv"), b"x")]);
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/admin/imports", w.app.base))
        .header("origin", "https://evil.example")
        .header("cookie", format!("keyport_session={}", w.admin))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(w.jobs().await, before);
}

#[tokio::test]
async fn a_job_whose_process_stopped_is_resumed_by_another() {
    let w = World::new(&[]).await;
    let files = ExportFiles::tagged();
    let id = w.upload_export(&files, false).await;

    // A process took it long ago and stopped midway: its lease has run out.
    let long_ago = now_millis() - 10 * LEASE_MS;
    sqlx::query(
        "UPDATE import_jobs SET status = 'running', runs = 1, claimed_by = 'stopped-process', \
             claimed_until = $1, started_at = $2, rows_done = 7, rows_total = 20 WHERE id = $3",
    )
    .bind(long_ago + LEASE_MS)
    .bind(long_ago)
    .bind(&id)
    .execute(w.store.pool())
    .await
    .unwrap();
    // Only this test looks at its SQLite file; on a Postgres shared with other suites, their
    // `keyport` processes may resume the job first, which is what is tested here anyway.
    let alone = w.store.backend() == Backend::Sqlite;
    let stopped = page(&w.client, &w.app.base, &w.admin, &format!("{PAGE}/{id}")).await;
    assert!(
        !alone || stopped.contains("Running: 7 of 20 rows"),
        "{stopped}"
    );

    // Two processes look at once: one of them resumes it, once.
    let (a, b) = tokio::join!(
        import::run_next(&w.store, "worker-a"),
        import::run_next(&w.store, "worker-b")
    );
    assert!(!alone || a.unwrap() ^ b.unwrap(), "exactly one takes it");
    w.run_until_ended(&id).await;
    let done = page(&w.client, &w.app.base, &w.admin, &format!("{PAGE}/{id}")).await;
    assert!(done.contains("Done"), "{done}");
    assert!(done.contains("it was resumed"), "{done}");
    let runs: i64 = sqlx::query_scalar("SELECT runs FROM import_jobs WHERE id = $1")
        .bind(&id)
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(runs, 2);
    let files_left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM import_jobs WHERE id = $1 AND licenses_file IS NULL",
    )
    .bind(&id)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    assert_eq!(files_left, 1, "the files are dropped once the job ends");
}
