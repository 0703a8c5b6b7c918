//! Email through a real SMTP server (aiosmtpd from tools/venv, started here; `scripts/setup.sh
//! test` installs it): the `keyport` process delivers the outbox as multipart messages with the
//! vendor as sender name and a stable Message-ID; with the SMTP server down it keeps each message
//! and retries; a process killed after the commit loses nothing; two processes on one database
//! send each message once.
//!
//! SQLite by default; the Postgres of `KEYPORT_TEST_DATABASE_URL` when it is set.

mod common;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{demo_tenant, test_database, workspace_root, ScratchDir, Server};
use licensing::demo::DemoTenant;
use licensing::mail::{self, MailKind, Message};
use licensing::Store;

const FROM: &str = "licenses@codeglass.example";

/// One test at a time: on a shared Postgres every process delivers every tenant's due messages,
/// so two tests' processes would deliver each other's.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// aiosmtpd writing every message it accepts into a Maildir.
struct Smtpd {
    child: Child,
    dir: ScratchDir,
}

impl Smtpd {
    fn start(port: u16) -> Self {
        let python = workspace_root().join("tools/venv/bin/python");
        assert!(
            python.exists(),
            "{} is missing: scripts/setup.sh test installs aiosmtpd there",
            python.display()
        );
        let dir = ScratchDir::new("smtpd");
        let maildir = dir.path().join("mail");
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, dir }
    }

    /// The messages received so far, as their raw text.
    fn received(&self) -> Vec<String> {
        let new = self.dir.path().join("mail/new");
        let Ok(entries) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        entries
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect()
    }

    /// The messages received so far of these outbox ids (a shared database may hold others').
    fn received_of(&self, ids: &BTreeSet<String>) -> Vec<String> {
        self.received()
            .into_iter()
            .filter(|raw| {
                header(raw, "Message-ID").is_some_and(|mid| {
                    ids.contains(
                        mid.trim_start_matches('<')
                            .split('@')
                            .next()
                            .unwrap_or_default(),
                    )
                })
            })
            .collect()
    }

    /// Waits until `n` messages of these ids arrived; panics after 30 s.
    async fn wait_for(&self, ids: &BTreeSet<String>, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let received = self.received_of(ids);
            if received.len() >= n {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} messages arrived",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn smtp_env(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("KEYPORT_SMTP_URL", format!("smtp://127.0.0.1:{port}")),
        ("KEYPORT_MAIL_FROM", FROM.to_owned()),
    ]
}

async fn keyport(url: &str, port: u16) -> Server {
    let env = smtp_env(port);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Server::start_with_env(url, &env).await
}

fn invitation(tenant: &DemoTenant, n: usize) -> Message {
    Message {
        tenant_id: tenant.tenant_id.clone(),
        kind: MailKind::Invitation,
        to: format!("person{n}@acme.example"),
        from_name: "CodeGlass Licensing".into(),
        reply_to: Some("support@codeglass.example".into()),
        subject: format!("You are invited ({n})"),
        text: format!("Set your password: https://licenses.example/set-password?token={n}"),
        html: format!(
            "<p>Set your password: <a href=\"https://licenses.example/\">link {n}</a></p>"
        ),
    }
}

async fn enqueue(store: &Store, message: &Message) -> String {
    let mut conn = store.pool().acquire().await.unwrap();
    mail::enqueue(&mut conn, message).await.unwrap()
}

async fn status(store: &Store, id: &str) -> (String, i64) {
    sqlx::query_as("SELECT status, attempts FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn make_due(store: &Store, id: &str) {
    sqlx::query("UPDATE outbox SET next_attempt_at = 0, claimed_until = NULL WHERE id = $1")
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();
}

async fn world(prefix: &str) -> (String, Option<ScratchDir>, Store, DemoTenant) {
    let (url, dir) = test_database(prefix);
    let store = Store::connect(&url).await.expect("open the test database");
    let tenant = demo_tenant(&store, prefix).await;
    (url, dir, store, tenant)
}

/// The header `name` of a raw message (unfolded).
fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .replace("\r\n", "\n");
    let unfolded = head.replace("\n ", " ").replace("\n\t", " ");
    unfolded.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

#[tokio::test]
async fn a_message_arrives_as_multipart_from_the_vendor_with_a_stable_id() {
    let _serial = SERIAL.lock().await;
    let (url, _dir, store, tenant) = world("MailOne").await;
    let port = free_port();
    let smtpd = Smtpd::start(port);
    let _keyport = keyport(&url, port).await;
    let id = enqueue(&store, &invitation(&tenant, 1)).await;

    let raw = smtpd
        .wait_for(&BTreeSet::from([id.clone()]), 1)
        .await
        .remove(0);
    assert_eq!(
        header(&raw, "From").as_deref(),
        Some("\"CodeGlass Licensing\" <licenses@codeglass.example>")
    );
    assert_eq!(header(&raw, "To").as_deref(), Some("person1@acme.example"));
    assert_eq!(
        header(&raw, "Reply-To").as_deref(),
        Some("support@codeglass.example")
    );
    assert_eq!(
        header(&raw, "Subject").as_deref(),
        Some("You are invited (1)")
    );
    assert_eq!(
        header(&raw, "Message-ID"),
        Some(format!("<{id}@codeglass.example>"))
    );
    assert!(header(&raw, "Content-Type")
        .unwrap()
        .starts_with("multipart/alternative"));
    assert!(raw.contains("Content-Type: text/plain"));
    assert!(raw.contains("Content-Type: text/html"));
    assert!(raw.contains("set-password?token=1"));

    let deadline = Instant::now() + Duration::from_secs(10);
    while status(&store, &id).await.0 != "sent" {
        assert!(Instant::now() < deadline, "never marked sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status(&store, &id).await, ("sent".into(), 1));
}

/// The SMTP server is down: the message waits and is retried; a kill -9 of the process
/// meanwhile loses nothing; the next process delivers it once the server is back.
#[tokio::test]
async fn with_the_smtp_server_down_a_message_waits_survives_a_kill_and_is_sent_once() {
    let _serial = SERIAL.lock().await;
    let (url, _dir, store, tenant) = world("MailDown").await;
    let port = free_port();
    let mut first = keyport(&url, port).await;
    let id = enqueue(&store, &invitation(&tenant, 1)).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while status(&store, &id).await.1 == 0 {
        assert!(Instant::now() < deadline, "never attempted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status(&store, &id).await.0, "pending", "kept for a retry");
    first.kill();

    let smtpd = Smtpd::start(port);
    let _second = keyport(&url, port).await;
    // Due now rather than after the 30 s backoff (the backoff itself is the conformance suite's).
    make_due(&store, &id).await;
    let ours = BTreeSet::from([id.clone()]);
    assert_eq!(smtpd.wait_for(&ours, 1).await.len(), 1);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(smtpd.received_of(&ours).len(), 1, "sent once");
    assert_eq!(status(&store, &id).await.0, "sent");
}

#[tokio::test]
async fn two_processes_on_one_database_send_each_message_once() {
    let _serial = SERIAL.lock().await;
    let (url, _dir, store, tenant) = world("MailTwo").await;
    let port = free_port();
    let smtpd = Smtpd::start(port);
    let _a = keyport(&url, port).await;
    let _b = keyport(&url, port).await;
    let mut ids = BTreeSet::new();
    for n in 0..30 {
        ids.insert(enqueue(&store, &invitation(&tenant, n)).await);
    }
    smtpd.wait_for(&ids, 30).await;
    // Time for a duplicate to arrive, had one been sent.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let received = smtpd.received_of(&ids);
    let message_ids: BTreeSet<String> = received
        .iter()
        .map(|raw| header(raw, "Message-ID").unwrap())
        .collect();
    assert_eq!(received.len(), 30, "each message once");
    let expected: BTreeSet<String> = ids
        .iter()
        .map(|id| format!("<{id}@codeglass.example>"))
        .collect();
    assert_eq!(message_ids, expected);
}
