//! The load generator: a fixed number of simulated apps, each on its own keep-alive HTTP/1.1
//! connection, sending requests back to back for a fixed time; latencies are kept whole, so the
//! percentiles are exact.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Builds the request a worker sends next, from the worker's index and its request count (so an
/// activation can name a new machine each time).
pub type MakeRequest = Arc<dyn Fn(usize, u64) -> Request<Full<Bytes>> + Send + Sync>;

/// How hard and how long to drive one scenario.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub addr: SocketAddr,
    pub concurrency: usize,
    /// Sent but not counted: connections open, caches and the database warm up.
    pub warmup: Duration,
    pub duration: Duration,
}

/// What one scenario measured: the requests that finished inside the measured window (after
/// the warm-up), wherever they started, so slow requests at the edges do not bias the rate.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Answers with the expected status.
    pub ok: u64,
    /// Any other status, or a failed connection or request.
    pub errors: u64,
    pub window: Duration,
    /// Latency of every successful request, in microseconds, sorted.
    pub latencies_us: Vec<u32>,
    /// The first unexpected answer, to show why a scenario failed.
    pub first_error: Option<String>,
}

impl Outcome {
    /// Nothing measured yet, over a window of `window`.
    pub fn empty(window: Duration) -> Self {
        Self {
            ok: 0,
            errors: 0,
            window,
            latencies_us: Vec::new(),
            first_error: None,
        }
    }

    /// Adds one worker's figures (its latencies unsorted: sort once all are in).
    pub fn add(&mut self, ok: u64, latencies_us: Vec<u32>, errors: u64, first: Option<String>) {
        self.ok += ok;
        self.errors += errors;
        self.latencies_us.extend(latencies_us);
        if self.first_error.is_none() {
            self.first_error = first;
        }
    }

    pub fn requests(&self) -> u64 {
        self.ok + self.errors
    }

    /// Successful requests per second.
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.window.as_secs_f64()
    }

    /// The latency (in milliseconds) that `q` (0..=1) of the successful requests stayed under.
    pub fn percentile_ms(&self, q: f64) -> Option<f64> {
        if self.latencies_us.is_empty() {
            return None;
        }
        let rank = (q * self.latencies_us.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.latencies_us.len()) - 1;
        Some(f64::from(self.latencies_us[index]) / 1000.0)
    }
}

/// No single request may hang the benchmark: past this it counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs `concurrency` workers for `warmup + duration`; each stops by itself at the end.
pub async fn run(plan: Plan, make: MakeRequest, expect: StatusCode) -> Outcome {
    let start = Instant::now();
    let measure_from = start + plan.warmup;
    let end = measure_from + plan.duration;
    let workers: Vec<_> = (0..plan.concurrency)
        .map(|id| {
            let make = make.clone();
            tokio::spawn(worker(plan.addr, id, make, expect, measure_from, end))
        })
        .collect();
    let mut outcome = Outcome::empty(plan.duration);
    for handle in workers {
        match handle.await {
            Ok(stats) => outcome.add(
                stats.ok,
                stats.latencies_us,
                stats.errors,
                stats.first_error,
            ),
            Err(err) => outcome.add(0, Vec::new(), 1, Some(format!("worker failed: {err}"))),
        }
    }
    outcome.latencies_us.sort_unstable();
    outcome
}

#[derive(Default)]
struct WorkerStats {
    ok: u64,
    errors: u64,
    latencies_us: Vec<u32>,
    first_error: Option<String>,
}

impl WorkerStats {
    fn error(&mut self, counted: bool, what: String) {
        if counted {
            self.errors += 1;
            self.first_error.get_or_insert(what);
        }
    }
}

async fn worker(
    addr: SocketAddr,
    id: usize,
    make: MakeRequest,
    expect: StatusCode,
    measure_from: Instant,
    end: Instant,
) -> WorkerStats {
    let mut stats = WorkerStats::default();
    let mut conn: Option<SendRequest<Full<Bytes>>> = None;
    let mut seq = 0u64;
    while Instant::now() < end {
        let sender = match conn.take() {
            Some(sender) => conn.insert(sender),
            None => match connect(addr).await {
                Ok(sender) => conn.insert(sender),
                Err(err) => {
                    stats.error(Instant::now() >= measure_from, format!("connect: {err}"));
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let request = make(id, seq);
        seq += 1;
        let sent = Instant::now();
        let answer = tokio::time::timeout(REQUEST_TIMEOUT, exchange(sender, request)).await;
        let done = Instant::now();
        let counted = done >= measure_from && done <= end;
        match answer {
            Ok(Ok((status, _))) if status == expect => {
                if counted {
                    stats.ok += 1;
                    let us = done.duration_since(sent).as_micros();
                    stats
                        .latencies_us
                        .push(u32::try_from(us).unwrap_or(u32::MAX));
                }
            }
            Ok(Ok((status, body))) => {
                let body = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
                stats.error(counted, format!("HTTP {status}: {body}"));
            }
            Ok(Err(err)) => {
                stats.error(counted, format!("request: {err}"));
                conn = None;
            }
            Err(_) => {
                stats.error(counted, format!("no answer in {REQUEST_TIMEOUT:?}"));
                conn = None;
            }
        }
    }
    stats
}

/// Opens one keep-alive HTTP/1.1 connection (Nagle off, as any HTTP client sets it).
pub async fn connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    handshake(stream).await
}

/// [`connect`] from a loopback address of its own (Linux routes all of 127.0.0.0/8 to `lo`), so
/// the server counts it as another client.
pub async fn connect_from(
    addr: SocketAddr,
    local: std::net::IpAddr,
) -> Result<SendRequest<Full<Bytes>>, String> {
    let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
    socket
        .bind(SocketAddr::new(local, 0))
        .map_err(|e| e.to_string())?;
    handshake(socket.connect(addr).await.map_err(|e| e.to_string())?).await
}

async fn handshake(stream: TcpStream) -> Result<SendRequest<Full<Bytes>>, String> {
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        // Ends when the sender is dropped or the server closes the connection.
        let _ = connection.await;
    });
    Ok(sender)
}

/// Sends one request and reads the whole answer.
pub async fn exchange(
    sender: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, Bytes), String> {
    sender.ready().await.map_err(|e| e.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(latencies_us: Vec<u32>) -> Outcome {
        Outcome {
            ok: latencies_us.len() as u64,
            errors: 0,
            window: Duration::from_secs(2),
            latencies_us,
            first_error: None,
        }
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let o = outcome((1..=100).map(|ms| ms * 1000).collect());
        assert_eq!(o.percentile_ms(0.50), Some(50.0));
        assert_eq!(o.percentile_ms(0.99), Some(99.0));
        assert_eq!(o.percentile_ms(1.0), Some(100.0));
        assert_eq!(outcome(vec![1500]).percentile_ms(0.99), Some(1.5));
        assert_eq!(outcome(vec![]).percentile_ms(0.5), None);
        assert_eq!(o.rate(), 50.0);
    }
}
