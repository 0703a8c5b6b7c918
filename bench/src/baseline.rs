//! The yardstick: a bare axum endpoint answering a constant JSON body, served on its own runtime
//! thread in this process, so Keyport's figures can be read as a fraction of what axum, hyper
//! and the loopback TCP stack manage on the same machine at the same moment.

use std::net::SocketAddr;

use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use axum::Router;
use bytes::Bytes;

pub const PATH: &str = "/constant";

/// The name of every thread of the baseline's runtime, to count its CPU.
pub const THREAD_NAME: &str = "baseline";

/// A constant JSON object of exactly `len` bytes (at least a few dozen), so the baseline sends
/// as much as the answer it is compared with.
pub fn body_of_len(len: usize) -> Bytes {
    let head = r#"{"status":"ok","padding":""#;
    let tail = r#""}"#;
    let pad = len.saturating_sub(head.len() + tail.len());
    Bytes::from(format!("{head}{}{tail}", "x".repeat(pad)))
}

/// Starts the endpoint on 127.0.0.1 and a free port, on a runtime of its own with as many
/// worker threads as Keyport's (one per core). It lives until the process ends.
pub fn start(body: Bytes) -> std::io::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name(THREAD_NAME)
        .build()?;
    std::thread::Builder::new()
        .name(THREAD_NAME.into())
        .spawn(move || {
            runtime.block_on(async move {
                let app = Router::new().route(
                    PATH,
                    get(move || {
                        let body = body.clone();
                        async move { ([(CONTENT_TYPE, "application/json")], body) }
                    }),
                );
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => {
                        if let Err(err) = axum::serve(listener, app).await {
                            eprintln!("keyport-bench: baseline server: {err}");
                        }
                    }
                    Err(err) => eprintln!("keyport-bench: baseline listener: {err}"),
                }
            });
        })?;
    Ok(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_json_of_the_asked_length() {
        for len in [40, 368, 1000] {
            let body = body_of_len(len);
            assert_eq!(body.len(), len);
            let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(value["status"], "ok");
        }
    }
}
