//! The system under test: the release `keyport` binary started as its own process on a free
//! loopback port, and the data the scenarios need (demo tenants with their limits lifted).

use std::fs::File;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, StatusCode};
use licensing::Store;

use crate::load;

/// A running `keyport` server; stopped (SIGTERM, then SIGKILL) when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

impl Server {
    /// Starts `bin` on `database_url` with its output in `log` and `env` set. No demo seed: the
    /// scenarios create their own tenants.
    pub fn start(
        bin: &Path,
        database_url: &str,
        log: PathBuf,
        env: &[(&str, String)],
    ) -> Result<Self, String> {
        let addr = free_port()?;
        let out = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(bin)
            .env("DATABASE_URL", database_url)
            .env("KEYPORT_ADDR", addr.to_string())
            .env("KEYPORT_DEMO", "false")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        Ok(Self { child, addr, log })
    }

    /// Waits until `/health` answers 200 (migrations done, database reachable).
    pub async fn wait_healthy(&mut self, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "keyport exited ({status}) before it was ready; see {}",
                    self.log.display()
                ));
            }
            if let Ok(mut conn) = load::connect(self.addr).await {
                let request = get(self.addr, "/health", None);
                if let Ok((StatusCode::OK, _)) = load::exchange(&mut conn, request).await {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "keyport was not healthy after {limit:?}; see {}",
                    self.log.display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Asks the server to shut down gracefully, and kills it if it has not within 5 s.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        // Only our own child, by its id.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<SocketAddr, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map_err(|e| e.to_string())
}

/// `keyport demo-tenant --company ID`: a tenant with the Acme Corp demo (manager and user with
/// the demo password, an Organisation license, four devices).
pub fn demo_tenant(bin: &Path, database_url: &str, company: &str) -> Result<(), String> {
    let out = Command::new(bin)
        .args(["demo-tenant", "--company", company])
        .env("DATABASE_URL", database_url)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "keyport demo-tenant --company {company} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Opens the database directly (with the `licensing` crate, like the server) to lift each
/// tenant's license to a million activations and issue it a fresh license key; returns each
/// license's id and key, in the order of `companies`. The demo license allows 10 devices, far fewer than a load run
/// activates.
pub async fn prepare(
    database_url: &str,
    companies: &[&str],
) -> Result<Vec<(String, String)>, String> {
    let store = Store::connect(database_url)
        .await
        .map_err(|e| format!("cannot open {database_url}: {e}"))?;
    let mut keys = Vec::new();
    for company in companies {
        let license_id: String = sqlx::query_scalar(
            "SELECT l.id FROM licenses l JOIN tenants t ON t.id = l.tenant_id \
             WHERE t.company_key = $1",
        )
        .bind(company.to_lowercase())
        .fetch_one(store.pool())
        .await
        .map_err(|e| format!("the license of {company}: {e}"))?;
        sqlx::query("UPDATE licenses SET max_activations = $1 WHERE id = $2")
            .bind(1_000_000_i64)
            .bind(&license_id)
            .execute(store.pool())
            .await
            .map_err(|e| format!("lifting the limit of {company}: {e}"))?;
        let key = licensing::licenses::issue_key(&store, &license_id)
            .await
            .map_err(|e| format!("issuing a license key for {company}: {e}"))?;
        keys.push((license_id, key));
    }
    store.pool().close().await;
    Ok(keys)
}

/// Takes a license back to as many activations as it has active devices, so that every new
/// machine is refused.
pub async fn fill(database_url: &str, license_id: &str) -> Result<(), String> {
    let store = Store::connect(database_url)
        .await
        .map_err(|e| format!("cannot open {database_url}: {e}"))?;
    sqlx::query("UPDATE licenses SET max_activations = devices_active WHERE id = $1")
        .bind(license_id)
        .execute(store.pool())
        .await
        .map_err(|e| format!("filling license {license_id}: {e}"))?;
    store.pool().close().await;
    Ok(())
}

/// A GET to `path`, with a bearer token if given.
pub fn get(addr: SocketAddr, path: &str, bearer: Option<&str>) -> Request<Full<Bytes>> {
    let mut request = Request::get(path).header(hyper::header::HOST, addr.to_string());
    if let Some(token) = bearer {
        request = request.header(hyper::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request
        .body(Full::new(Bytes::new()))
        .expect("a GET with valid headers")
}

/// A JSON POST to `path`.
pub fn post_json(addr: SocketAddr, path: &str, body: &serde_json::Value) -> Request<Full<Bytes>> {
    Request::post(path)
        .header(hyper::header::HOST, addr.to_string())
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("a POST with valid headers")
}
