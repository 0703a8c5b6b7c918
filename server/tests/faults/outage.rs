//! The database goes away and comes back (Postgres): "temporarily unavailable" meanwhile, and
//! recovery without a restart.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use licensing::Store;
use serde_json::Value;
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinHandle;

use crate::common::{demo_tenant, random_hex, DATABASE_ENV};
use crate::{activation_body, client, start, Rng};

const UNAVAILABLE: &str = "Keyport is temporarily unavailable. Please try again in a moment.";

/// A TCP proxy in front of Postgres that can cut every connection and refuse new ones, so one
/// server loses its database while the shared cluster keeps serving everyone else.
struct Proxy {
    addr: SocketAddr,
    upstream: String,
    accept: Option<JoinHandle<()>>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(upstream: String) -> Self {
        // Below Linux's ephemeral range (32768 and up), so no outgoing connection can take the
        // port while the proxy is down and keep it from listening again.
        let mut rng = Rng::seeded(u64::from_str_radix(&random_hex(12), 16).unwrap());
        for _ in 0..100 {
            let mut proxy = Self {
                addr: SocketAddr::from(([127, 0, 0, 1], 20_000 + rng.below(12_000) as u16)),
                upstream: upstream.clone(),
                accept: None,
                links: Arc::default(),
            };
            if proxy.restore().is_ok() {
                return proxy;
            }
        }
        panic!("no free port for the proxy");
    }

    /// Listens (again) on the proxy's port and forwards every new connection.
    fn restore(&mut self) -> std::io::Result<()> {
        let socket = TcpSocket::new_v4()?;
        // The cut connections linger in TIME_WAIT on this port.
        socket.set_reuseaddr(true)?;
        socket.bind(self.addr)?;
        let listener = socket.listen(64)?;
        let (upstream, links) = (self.upstream.clone(), self.links.clone());
        self.accept = Some(tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    continue;
                };
                let upstream = upstream.clone();
                links.lock().unwrap().push(tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                }));
            }
        }));
        Ok(())
    }

    /// Drops every connection and closes the port: to the server, the database is gone.
    async fn cut(&mut self) {
        if let Some(accept) = self.accept.take() {
            accept.abort();
            let _ = accept.await;
        }
        let links: Vec<_> = self.links.lock().unwrap().drain(..).collect();
        for link in links {
            link.abort();
            let _ = link.await;
        }
    }
}

/// Status and body of a response, with a deadline.
async fn fetch(request: reqwest::RequestBuilder) -> (u16, String) {
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_outage_answers_503_and_recovers_without_a_restart() {
    let real = match std::env::var(DATABASE_ENV) {
        Ok(url) if url.starts_with("postgres") => url,
        _ => {
            eprintln!("skipped: the database outage is staged on Postgres ({DATABASE_ENV})");
            return;
        }
    };
    let started = Instant::now();
    let store = Store::connect(&real).await.expect("open the test database");
    let tenant = demo_tenant(&store, "faults").await;
    // From an address of its own: other suites' failed logins from 127.0.0.1 share this
    // database's throttle.
    let session = licensing::auth::login(
        &store,
        &licensing::auth::Credentials {
            company: tenant.company_id.clone(),
            email: "manager@acme.example".into(),
            password: licensing::demo::DEMO_PASSWORD.into(),
        },
        None,
        licensing::auth::SessionPolicy::default(),
        &licensing::auth::ThrottlePolicy::default(),
        "2001:db8::fa17",
    )
    .await
    .expect("log in the manager");
    let cookie = format!("keyport_session={}", session.token);
    let parsed = reqwest::Url::parse(&real).expect("a database URL");
    let upstream = format!(
        "{}:{}",
        parsed.host_str().expect("a host"),
        parsed.port().unwrap_or(5432)
    );
    let mut proxy = Proxy::start(upstream).await;
    let mut via_proxy = parsed.clone();
    via_proxy.set_host(Some("127.0.0.1")).unwrap();
    via_proxy.set_port(Some(proxy.addr.port())).unwrap();
    let mut server = start(via_proxy.as_str()).await;
    let pid = server.pid();
    let http = client();

    let page = || {
        http.get(server.at("/dashboard"))
            .header("cookie", &cookie)
            .header("accept-language", "en")
    };
    let server_fn = || {
        http.post(server.at("/api/get_dashboard"))
            .header("cookie", &cookie)
            .header("accept-language", "en")
            .header("sec-fetch-site", "same-origin")
            .header("content-type", "application/x-www-form-urlencoded")
    };
    let activate = |hw: &str| {
        http.post(server.at("/api/v1/activations"))
            .header("content-type", "application/json")
            .body(activation_body(&tenant.license_key, hw))
    };
    let health = || http.get(server.at("/health"));

    assert_eq!(
        fetch(page()).await.0,
        200,
        "the dashboard before the outage"
    );
    assert_eq!(fetch(activate("before")).await.0, 201);

    proxy.cut().await;
    // Concurrently: each waits out the pool's acquire timeout.
    let (h, p, f, a) = tokio::join!(
        fetch(health()),
        fetch(page()),
        fetch(server_fn()),
        fetch(activate("during"))
    );
    assert_eq!(h.0, 503, "/health while the database is away: {}", h.1);
    assert_eq!(
        p.0, 503,
        "the dashboard while the database is away: {}",
        p.1
    );
    assert!(p.1.contains(UNAVAILABLE), "the dashboard says: {}", p.1);
    assert_eq!(
        f.0, 503,
        "a server function while the database is away: {}",
        f.1
    );
    // A server function answers with the error itself; the page shows it as this message.
    let f: licensing::AppError = serde_json::from_str(&f.1).expect("a server function error");
    assert_eq!(f, licensing::AppError::Unavailable);
    assert_eq!(
        app::error_text::error_text_in(app::i18n::Locale::En, &f),
        UNAVAILABLE
    );
    assert_eq!(
        a.0, 503,
        "an activation while the database is away: {}",
        a.1
    );
    let a: Value = serde_json::from_str(&a.1).expect("a JSON error");
    assert_eq!(a["error"], "unavailable", "{a}");
    assert_eq!(a["message"], UNAVAILABLE, "{a}");

    proxy.restore().expect("listen on the proxy's port again");
    let deadline = Instant::now() + Duration::from_secs(30);
    while fetch(health()).await.0 != 200 {
        assert!(
            Instant::now() < deadline,
            "not healthy 30 s after the database returned"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(fetch(page()).await.0, 200, "the dashboard after the outage");
    assert_eq!(fetch(server_fn()).await.0, 200, "a server function after");
    assert_eq!(fetch(activate("after")).await.0, 201);
    assert!(
        server.running() && server.pid() == pid,
        "recovered by a restart"
    );
    eprintln!("outage test took {:?}", started.elapsed());
}
