//! Delivering webhooks over HTTP: the poster `licensing::webhooks` delivers through, and the
//! background task of each server process that claims due deliveries and posts them.
//!
//! An endpoint is the vendor's, but the request leaves from this server: so redirects are not
//! followed, an attempt ends after a timeout (10 s unless the operator sets another), and (unless
//! the operator allows it) an address that resolves to this machine or a private network is
//! refused, pinned to the address checked so a second DNS answer cannot swap it.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use licensing::webhooks::{self, PostResult, Poster};
use licensing::Store;
use tokio::task::JoinHandle;

/// How often an idle sender looks for due deliveries; a busy one goes on at once.
const IDLE_POLL: Duration = Duration::from_millis(500);

/// Posts with reqwest (rustls, no redirects, a timeout).
pub struct HttpPoster {
    allow_private: bool,
    /// How long one attempt may take, connection included.
    timeout: Duration,
}

impl HttpPoster {
    pub fn new(allow_private: bool, timeout: Duration) -> Self {
        Self {
            allow_private,
            timeout,
        }
    }

    /// The address to connect to for `url`'s host: its first resolved address that deliveries
    /// may go to.
    async fn resolve(&self, url: &reqwest::Url) -> Result<Option<(String, SocketAddr)>, String> {
        let host = url.host_str().ok_or("the address has no host")?.to_owned();
        let port = url
            .port_or_known_default()
            .ok_or("the address has no port")?;
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        let addrs: Vec<SocketAddr> = match literal.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => tokio::net::lookup_host((host.as_str(), port))
                .await
                .map_err(|e| format!("cannot resolve {host}: {e}"))?
                .collect(),
        };
        if self.allow_private {
            return Ok(addrs.first().map(|a| (host, *a)));
        }
        match addrs.into_iter().find(|a| is_public(a.ip())) {
            Some(addr) => Ok(Some((host, addr))),
            None => Err(format!(
                "{host} resolves only to loopback, private or link-local addresses; the operator \
                 may allow them with --allow-private-webhooks"
            )),
        }
    }
}

/// Whether deliveries may go to this address without `--allow-private-webhooks`.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                // Carrier-grade NAT, 100.64.0.0/10.
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                // Unique local fc00::/7 and link-local fe80::/10.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

impl Poster for HttpPoster {
    async fn post(&self, url: &str, headers: &[(&'static str, String)], body: &str) -> PostResult {
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("not an address: {e}"))?;
        let pinned = self.resolve(&parsed).await?;
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .user_agent("Keyport-Webhooks/1");
        if let Some((host, addr)) = pinned {
            client = client.resolve(&host, addr);
        }
        let client = client.build().map_err(|e| e.to_string())?;
        let mut request = client
            .post(parsed)
            .header("content-type", "application/json")
            .body(body.to_owned());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        match request.send().await {
            Ok(response) => Ok(response.status().as_u16()),
            Err(e) if e.is_timeout() => {
                Err(format!("no answer within {} s", self.timeout.as_secs()))
            }
            Err(e) => Err(format!("cannot reach the endpoint: {e}")),
        }
    }
}

/// Starts this process's webhook sender; `backoff_base_ms` is the first retry's wait (doubling).
pub fn spawn(store: Store, poster: HttpPoster, backoff_base_ms: i64) -> JoinHandle<()> {
    let sender = licensing::store::new_id();
    tokio::spawn(async move {
        loop {
            match webhooks::deliver_due(&store, &poster, &sender, backoff_base_ms).await {
                Ok(round) if round.claimed() > 0 => continue,
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "cannot read the webhook deliveries"),
            }
            tokio::time::sleep(IDLE_POLL).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::is_public;

    #[test]
    fn private_loopback_and_link_local_addresses_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1", "100.128.0.1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
