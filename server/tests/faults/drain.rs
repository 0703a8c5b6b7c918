//! SIGTERM: in-flight requests are answered, then the database is closed before the exit.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{demo_tenant, test_database};
use licensing::Store;

use crate::{activation_body, start};

/// Reads until the end of a response head (`\r\n\r\n`), with a deadline.
async fn read_head(conn: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    tokio::time::timeout(Duration::from_secs(15), async {
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = conn.read(&mut buf).await.expect("read");
            assert!(
                n > 0,
                "connection closed: {}",
                String::from_utf8_lossy(&got)
            );
            got.extend_from_slice(&buf[..n]);
        }
    })
    .await
    .expect("a response head within 15 s");
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_in_flight_requests_then_closes_the_database() {
    let (url, _dir) = test_database("faults-term");
    let store = Store::connect(&url).await.expect("open the test database");
    let tenant = demo_tenant(&store, "faults").await;
    // Only the server may hold the SQLite file open while it exits (see the WAL check below).
    store.pool().close().await;
    let mut server = start(&url).await;

    // An idle keep-alive connection must not hold the shutdown up.
    let mut idle = TcpStream::connect(server.addr).await.expect("connect");
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: keyport\r\n\r\n")
        .await
        .unwrap();
    assert!(read_head(&mut idle).await.starts_with("HTTP/1.1 200"));

    // An activation whose body is held back: `100 Continue` says the handler is reading it, so
    // the request is provably in flight when the signal arrives.
    let body = activation_body(&tenant.license_key, "drained-machine");
    let mut in_flight = TcpStream::connect(server.addr).await.expect("connect");
    let head = format!(
        "POST /api/v1/activations HTTP/1.1\r\nHost: keyport\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).await.unwrap();
    let continue_head = read_head(&mut in_flight).await;
    assert!(continue_head.starts_with("HTTP/1.1 100"), "{continue_head}");

    server.sigterm();
    // New connections are refused once the signal is handled: the listener is closed.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match TcpStream::connect(server.addr).await {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
            Err(e) if e.kind() != std::io::ErrorKind::ConnectionReset => {
                panic!("connecting after SIGTERM: {e}")
            }
            // Accepted by the kernel just before the listener closed (then reset): try again.
            _ => {
                assert!(
                    Instant::now() < deadline,
                    "still accepting connections 10 s after SIGTERM"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    assert!(server.running(), "exited with a request in flight");

    in_flight.write_all(body.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(15), in_flight.read_to_end(&mut answer))
        .await
        .expect("the in-flight request is answered within 15 s")
        .expect("read the answer");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    let status = server
        .exit_within(Duration::from_secs(15))
        .await
        .expect("keyport exits within 15 s of SIGTERM");
    assert!(status.success(), "keyport exited with {status}");
    drop(idle);

    let store = Store::connect(&url).await.expect("reopen the database");
    let drained: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM devices WHERE license_id = $1 AND hardware_id = 'drained-machine' \
           AND deactivated_at IS NULL",
    )
    .bind(&tenant.license_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(drained, 1, "the drained activation was not committed");
    if let Some(path) = url.strip_prefix("sqlite://") {
        // A server that closed its database on the way out leaves one self-contained file; a
        // WAL with pages in it means it exited with its work still to be replayed.
        let wal = format!("{path}-wal");
        let left = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        store.pool().close().await;
        assert_eq!(
            left, 0,
            "{wal} left behind: the database was not closed on exit"
        );
    }
}
