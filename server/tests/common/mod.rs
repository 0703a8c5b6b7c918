//! What the server's integration tests share: the `server` library's application served in the
//! test process ([`App`]), the real `keyport` binary ([`Server`]) for tests where the process is
//! the point, an HTTP client that posts as the portal's pages do; and, from `licensing::testing`,
//! the scratch database (SQLite, or the Postgres of `KEYPORT_TEST_DATABASE_URL`) and its fixtures.
#![allow(dead_code, unused_imports)] // each test crate uses its own part of this

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// The fixtures every suite shares, the licensing conformance suite included.
pub use licensing::testing::{
    customer_account, demo_tenant, random_hex, session, test_database, ScratchDir, DATABASE_ENV,
};
pub const BIN: &str = env!("CARGO_BIN_EXE_keyport");

// ---------------------------------------------------------------------------------------------
// Fixture: a database, a tenant in it, one or two server processes
// ---------------------------------------------------------------------------------------------

pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
}

/// The environment of a server that tests load or fault on purpose: its logs off (the errors
/// provoked are noise), and no address throttle, since other suites on a shared Postgres fail
/// logins from 127.0.0.1 on purpose and their count must not refuse this suite's valid requests.
pub const QUIET: &[(&str, &str)] = &[
    ("RUST_LOG", "off"),
    ("KEYPORT_THROTTLE_ADDRESS_FAILURES", "1000000"),
];

/// One running `keyport` process; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub base: String,
}

impl Server {
    pub async fn start(url: &str) -> Self {
        Self::start_with_env(url, &[]).await
    }

    /// [`Server::start`] with more environment (`KEYPORT_SMTP_URL`...).
    pub async fn start_with_env(url: &str, env: &[(&str, &str)]) -> Self {
        let addr = TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .unwrap();
        let child = Command::new(BIN)
            .current_dir(workspace_root())
            .env("DATABASE_URL", url)
            .env("KEYPORT_ADDR", addr.to_string())
            .env("KEYPORT_DEMO", "false")
            .env("RUST_LOG", "warn")
            .env("LEPTOS_OUTPUT_NAME", "keyport")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start keyport");
        let mut server = Self {
            child,
            addr,
            base: format!("http://{addr}"),
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(format!("{}/health", server.base)).send().await {
                if r.status() == 200 {
                    return server;
                }
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("keyport exited at start: {status}");
            }
            assert!(Instant::now() < deadline, "keyport did not become healthy");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A device API path's address.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// Any path's address.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Ends the process as `kill -9` does: no shutdown, no last writes.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Asks the process to stop as a service manager does (SIGTERM).
    pub fn sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
    }

    /// How the process ended, if it does within `limit`.
    pub async fn exit_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `server` library's application (`server::app`), the router `keyport serve` serves, run in
/// this test process on a port of its own; stopped when dropped.
///
/// It runs on a runtime of its own, on its own thread, as the server process did: a test on a
/// single-threaded runtime, or one that blocks for a moment, does not stall the server it talks to.
pub struct App {
    pub base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl App {
    pub async fn start(url: &str) -> Self {
        Self::start_with(url, &[]).await
    }

    /// [`App::start`] with settings of `keyport serve`, named by their environment variables
    /// (`KEYPORT_SECURE_COOKIES`...) as an operator sets them; each becomes its flag.
    pub async fn start_with(url: &str, settings: &[(&str, &str)]) -> Self {
        use clap::{CommandFactory, Parser};

        let listener = TcpListener::bind("127.0.0.1:0").expect("free port");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().unwrap();
        let command = server::config::Cli::command();
        let mut argv = vec![
            "keyport".to_owned(),
            format!("--database-url={url}"),
            format!("--addr={addr}"),
            "--demo=false".to_owned(),
        ];
        for (name, value) in settings {
            let flag = command
                .get_arguments()
                .find(|arg| arg.get_env().is_some_and(|env| env == *name))
                .and_then(|arg| arg.get_long())
                .unwrap_or_else(|| panic!("{name} is no setting of keyport serve"));
            argv.push(format!("--{flag}={value}"));
        }
        let cli = server::config::Cli::try_parse_from(argv).expect("valid settings");
        // What cargo-leptos hands the binary (LEPTOS_OUTPUT_NAME), and the site where the test
        // process used to run it: the workspace root.
        let leptos_options = leptos::config::LeptosOptions::builder()
            .output_name("keyport")
            .site_root(workspace_root().join("target/site").display().to_string())
            .build();
        let url = url.to_owned();
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let options = licensing::store::StoreOptions {
                    sqlite_sync: cli.sqlite_synchronous,
                };
                let store = licensing::Store::connect_with(&url, options)
                    .await
                    .expect("open the database");
                let app = server::app(store, leptos_options, &cli.serve)
                    .await
                    .expect("build the application");
                let listener = server::without_nagle(
                    tokio::net::TcpListener::from_std(listener).expect("listener"),
                );
                let _ = ready_tx.send(());
                let serve = axum::serve(
                    listener,
                    app.into_make_service_with_connect_info::<SocketAddr>(),
                );
                // Not a graceful shutdown: the test's client may keep connections open, and
                // dropping the runtime ends them as killing the process did.
                tokio::select! {
                    served = serve => served.expect("serve"),
                    _ = stopped => {},
                }
            });
        });
        ready_rx.await.expect("the application started");
        Self {
            base: format!("http://{addr}"),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An HTTP client that posts to the portal as its own pages do: a browser sends `Sec-Fetch-Site:
/// same-origin` with a same-origin form post or fetch, and the portal refuses a state-changing
/// request that carries neither that nor an `Origin` of its own. Redirects are not followed, so
/// tests see the form posts' 303s.
pub fn portal_client() -> reqwest::ClientBuilder {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "sec-fetch-site",
        reqwest::header::HeaderValue::from_static("same-origin"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
}

/// The one-time note (`licensing::flash`) kept for a session and page, taken as a hydrated page
/// takes it: through the `take_flash` server function. Taking it deletes it.
pub async fn take_flash(
    client: &reqwest::Client,
    base: &str,
    session: &str,
    path: &str,
) -> Option<licensing::flash::Flash> {
    let r = client
        .post(format!("{base}/api/take_flash"))
        .header("accept", "application/json")
        .header("origin", base)
        .header("cookie", format!("keyport_session={session}"))
        .form(&[("path", path)])
        .send()
        .await
        .expect("POST take_flash");
    assert_eq!(r.status(), 200, "take_flash {path}");
    r.json().await.expect("a flash or null")
}

/// A page as the browser loads it with a session: server-rendered, answered 200.
pub async fn page(client: &reqwest::Client, base: &str, session: &str, path: &str) -> String {
    let r = client
        .get(format!("{base}{path}"))
        .header("cookie", format!("keyport_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    r.text().await.unwrap()
}

/// A part of a form: its field name, its file name (`None`: not a file input) and its bytes.
pub type Part<'a> = (&'a str, Option<&'a str>, &'a [u8]);

/// A `multipart/form-data` body as a browser sends a form: each part's field name, its file
/// name when it is a file input (`Some("")` for one left empty), and its bytes. Returns the
/// content type (with its boundary) and the body.
pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = format!("----keyport{}", random_hex(16));
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        let head = match file_name {
            Some(file_name) => format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            ),
            None => format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body.extend_from_slice(head.as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

// ---------------------------------------------------------------------------------------------
// Fixture: an export built like LicenseSpring's (server/tests/fixtures/licensespring)
// ---------------------------------------------------------------------------------------------

const EXPORT: &str = "server/tests/fixtures/licensespring";
const EXPORT_KEYS: [&str; 8] = [
    "H62K-C35N-BS2J-VZ13",
    "Q7RT-M2KX-8WZP-4LNA",
    "T9PL-C4VB-XX2M-R8KD",
    "Z3NM-8QWE-R5TY-U1IO",
    "FL0A-TING-0000-0001",
    "BADD-ATE0-0000-0001",
    "C0NS-UMPT-0000-0001",
    "SECO-NDLI-CENS-E001",
];
/// The first 14 digits of every LicenseSpring id in the fixture.
const EXPORT_ID_STEM: &str = "17029830981334";

/// The export's files with keys (`KEY-TAG`) and ids (another 14-digit stem) of their own: license
/// keys are unique on a server, and suites share a Postgres.
pub struct ExportFiles {
    pub dir: ScratchDir,
    pub tag: String,
    pub stem: String,
}

impl ExportFiles {
    pub fn tagged() -> Self {
        let dir = ScratchDir::new("import");
        let tag = random_hex(6).to_uppercase();
        let stem = format!(
            "1{:013}",
            u64::from_str_radix(&random_hex(10), 16).unwrap() % 10u64.pow(13)
        );
        for name in ["licenses.csv", "users.jsonl", "devices.jsonl"] {
            let mut text =
                std::fs::read_to_string(workspace_root().join(EXPORT).join(name)).unwrap();
            for key in EXPORT_KEYS {
                text = text.replace(key, &format!("{key}-{tag}"));
            }
            text = text.replace(EXPORT_ID_STEM, &stem);
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        Self { dir, tag, stem }
    }

    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    pub fn bytes(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }

    pub fn key(&self, fixture_key: &str) -> String {
        format!("{fixture_key}-{}", self.tag)
    }

    /// The id the fixture gives as its stem + `last2`.
    pub fn id(&self, last2: &str) -> i64 {
        format!("{}{last2}", self.stem).parse().unwrap()
    }
}
