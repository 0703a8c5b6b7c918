//! Hostile input against the server's router (`server::app`, in process): oversized and deeply nested bodies, invalid
//! UTF-8, and SQL and HTML in every text field are refused with a 4xx or stored verbatim and
//! shown escaped, and never cost a 5xx or a crash.
//!
//! Without `KEYPORT_TEST_DATABASE_URL` every test gets its own SQLite file; with it (Postgres)
//! each test keeps to a tenant of its own (`keyport demo-tenant` under a random company ID).

use licensing::Store;
use serde_json::{json, Value};

mod common;
use common::{demo_tenant, random_hex, session, test_database, App, ScratchDir};
use licensing::demo::DemoTenant;

#[path = "hostile/numbers.rs"]
mod numbers;
#[path = "hostile/size.rs"]
mod size;
#[path = "hostile/text.rs"]
mod text;

const SCRIPT: &str = "<script>alert(1)</script>";
const SCRIPT_ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";
const SQL: &str = "'; DROP TABLE devices; --";
const MANAGER: &str = "manager@acme.example";

struct World {
    store: Store,
    company: String,
    license_id: String,
    license_key: String,
    server: App,
    client: reqwest::Client,
    _dir: Option<ScratchDir>,
}

async fn world() -> World {
    let (url, dir) = test_database("hostile");
    let store = Store::connect(&url).await.expect("open the test database");
    let DemoTenant {
        company_id: company,
        license_id,
        license_key,
        ..
    } = demo_tenant(&store, "hostile").await;
    let server = App::start(&url).await;
    World {
        store,
        company,
        license_id,
        license_key,
        server,
        client: common::portal_client().build().expect("HTTP client"),
        _dir: dir,
    }
}

impl World {
    async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> (u16, String) {
        let r = self
            .client
            .post(self.server.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.text().await.unwrap_or_default())
    }

    /// A device API activation with this JSON body.
    async fn activate(&self, body: &Value) -> (u16, String) {
        let bytes = serde_json::to_vec(body).expect("JSON");
        self.post_raw("/activations", "application/json", bytes)
            .await
    }

    /// The server still answers, so a refusal was not a crash.
    async fn assert_alive(&self) {
        let r = self
            .client
            .get(format!("{}/health", self.server.base))
            .send()
            .await
            .expect("the server still answers");
        assert_eq!(r.status(), 200);
    }

    /// A portal page as the license manager sees it, without JavaScript.
    async fn page(&self, path: &str) -> String {
        let cookie = session(&self.store, &self.company, MANAGER).await;
        let r = self
            .client
            .get(format!("{}{path}", self.server.base))
            .header("cookie", format!("keyport_session={cookie}"))
            .send()
            .await
            .expect("page");
        assert_eq!(r.status(), 200, "{path}");
        r.text().await.expect("page body")
    }
}

fn activation(device_name: &str, key: &str) -> Value {
    json!({
        "license_key": key,
        "hardware_id": format!("hw-{}", random_hex(8)),
        "device_name": device_name,
        "os": "Linux",
    })
}

/// The status of a POST that announces `length` bytes of body and sends only `sent` of them, so
/// the answer cannot have waited for the whole body. Raw TCP, because an HTTP client would race
/// the early answer with writing the body and may see the connection closed instead.
fn status_of_partial_body(base: &str, path: &str, length: usize, sent: usize) -> u16 {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Sec-Fetch-Site: same-origin\r\nContent-Length: {length}\r\n\r\n"
    )
    .expect("send the headers");
    stream
        .write_all(&vec![b' '; sent])
        .expect("send the body's start");
    let mut answer = [0u8; 64];
    let n = stream.read(&mut answer).expect("an answer before the body");
    let line = String::from_utf8_lossy(&answer[..n]);
    line.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {line}"))
}

/// The `error` code of a device API refusal, which must be JSON even for hostile bodies.
fn error_code(body: &str) -> String {
    let value: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    value["error"].as_str().unwrap_or_default().to_owned()
}

/// A server function's answer to a script (status and decoded error), as `email` (or nobody).
async fn call(
    w: &World,
    email: Option<&str>,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = w
        .client
        .post(format!("{}/api/{endpoint}", w.server.base))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .form(form);
    if let Some(email) = email {
        let cookie = session(&w.store, &w.company, email).await;
        request = request.header("cookie", format!("keyport_session={cookie}"));
    }
    let r = request.send().await.expect("request");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The customer and manager account of the demo license, for selling to them.
async fn customer_and_owner(w: &World) -> (String, String) {
    sqlx::query_as(
        "SELECT l.customer_id, u.account_id FROM licenses l \
         JOIN license_users u ON u.license_id = l.id AND u.role = 'manager' WHERE l.id = $1",
    )
    .bind(&w.license_id)
    .fetch_one(w.store.pool())
    .await
    .expect("the demo license's customer and manager")
}

/// The status of a chunked POST (no Content-Length) of just over `limit` bytes. Raw TCP, for the
/// reason given at [`status_of_partial_body`]; the last chunk crosses the limit, so the server
/// has read every byte sent when it answers.
fn status_of_chunked_body(
    base: &str,
    path: &str,
    content_type: &str,
    cookie: &str,
    limit: usize,
) -> u16 {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n\
         Cookie: keyport_session={cookie}\r\nSec-Fetch-Site: same-origin\r\n\
         Accept: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for size in [limit, 1024] {
        request.extend_from_slice(format!("{size:x}\r\n").as_bytes());
        request.extend(std::iter::repeat_n(b'a', size));
        request.extend_from_slice(b"\r\n");
    }
    stream.write_all(&request).expect("send the request");
    let mut answer = [0u8; 64];
    let n = stream.read(&mut answer).expect("an answer");
    let line = String::from_utf8_lossy(&answer[..n]);
    line.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {line}"))
}
