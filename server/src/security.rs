//! The portal's browser defences at the HTTP layer: the same-origin check on state-changing
//! requests (CSRF), the security headers with a per-response CSP nonce, and the client address
//! (the peer, or `X-Forwarded-For` from trusted proxies only).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use app::session::ClientAddr;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

// ---------------------------------------------------------------------------------------------
// CSRF: state changes only from the portal's own pages
// ---------------------------------------------------------------------------------------------

/// Which origins may send the portal a state-changing request.
#[derive(Debug, Clone)]
pub struct OriginPolicy {
    /// The portal's own origin from `--public-url`; `None` means "the Host the request names".
    pub own: Option<String>,
    /// Scheme assumed for the Host-derived origin.
    pub https: bool,
    /// Extra origins (`--allowed-origin`), e.g. a development server proxying to Keyport.
    pub allowed: Vec<String>,
}

impl OriginPolicy {
    fn allows(&self, origin: &str, headers: &HeaderMap) -> bool {
        let origin = origin.trim_end_matches('/');
        if self.allowed.iter().any(|a| a.eq_ignore_ascii_case(origin)) {
            return true;
        }
        match &self.own {
            Some(own) => own.eq_ignore_ascii_case(origin),
            None => headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .is_some_and(|host| {
                    let scheme = if self.https { "https" } else { "http" };
                    origin.eq_ignore_ascii_case(&format!("{scheme}://{host}"))
                }),
        }
    }
}

/// `scheme://host[:port]` of a URL, the form browsers send in `Origin`.
pub fn origin_of(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            format!(
                "{}://{}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }
        None => url.to_ascii_lowercase(),
    }
}

/// Refuses a state-changing request a browser sent from another site. SameSite=Lax already keeps
/// the session cookie off cross-site posts; this also covers same-site attackers (another app
/// on a sibling subdomain) and browsers without SameSite. Every browser of the last years sends
/// `Origin` or `Sec-Fetch-Site` with a POST, so a request with neither is refused too: it cannot
/// be told apart from an old or tampering client, and nothing legitimate needs it (the desktop
/// app speaks the device API, which this does not cover; a script can say `Sec-Fetch-Site:
/// same-origin`, since without the session cookie of a browser it can only act as itself).
pub async fn same_origin_only(
    State(policy): State<Arc<OriginPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let allowed = match (fetch_site, origin) {
        (Some("same-origin" | "none"), _) => true,
        (_, Some(origin)) => policy.allows(origin, headers),
        (_, None) => false,
    };
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!(
        origin = origin.unwrap_or("-"),
        sec_fetch_site = fetch_site.unwrap_or("-"),
        path = %request.uri().path(),
        "cross-origin request refused"
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Refused: this request came from another website. Changes can only be made from the \
         Keyport portal's own pages.",
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// Security headers
// ---------------------------------------------------------------------------------------------

/// The CSP nonce of this response, handed to Leptos (see [`provide_csp_nonce`]) so the inline
/// hydration and resource scripts carry it.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// Leptos context hook: the nonce the security middleware put on the request. Leptos makes a
/// nonce of its own for every render; this replaces it (it runs after Leptos' own contexts), so
/// the page and the header agree.
pub fn provide_csp_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(nonce) = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// The Content-Security-Policy of a portal response with this nonce: only the portal's own
/// scripts (its WASM needs `'wasm-unsafe-eval'`) and the inline scripts Leptos writes, which
/// carry the nonce; no inline styles, no plugins, no framing, forms only to the portal.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         worker-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; \
         object-src 'none'; frame-ancestors 'none'"
    )
}

/// Portal pages and server functions: a fresh nonce per request, the CSP with it, and the
/// request's memo of who is signed in.
pub async fn portal_headers(mut request: Request, next: Next) -> Response {
    // 128 random bits, hex: valid in both the header and the attribute without escaping.
    let nonce = licensing::secret::random_token()[..32].to_owned();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    // One session look-up per request, however many of the page's resources ask for it.
    request
        .extensions_mut()
        .insert(app::session::LoginMemo::default());
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// Every response, device API included: no MIME sniffing, no framing, no full referrer to
/// other sites, and HSTS when the portal is served over HTTPS.
pub async fn common_headers(State(https): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Client address
// ---------------------------------------------------------------------------------------------

/// An IP address or a CIDR block, for `--trusted-proxy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpBlock {
    addr: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for IpBlock {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{s}` is not an IP address or CIDR block"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{s}`: the prefix length must be 0 to {max}"))?,
        };
        Ok(Self { addr, prefix })
    }
}

impl IpBlock {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (canonical(self.addr), ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// IPv4 peers of a dual-stack socket arrive as `::ffff:a.b.c.d`.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Who is asking: the TCP peer; when the peer is a trusted proxy, the `X-Forwarded-For` entry
/// just before the first trusted proxy (walking from the right, the only end a proxy we trust
/// wrote). Anyone can put anything in that header, so from an untrusted peer it is ignored.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpBlock]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|block| block.contains(ip));
    let peer = canonical(peer);
    if !is_trusted(peer) {
        return peer;
    }
    let mut client = peer;
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>().map(canonical) else {
            // A garbled entry: the proxies' chain ends here; trust nothing further left.
            break;
        };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// Puts the [`ClientAddr`] on every request, for throttling, the audit log and failed-login logs.
pub async fn client_address(
    State(trusted): State<Arc<Vec<IpBlock>>>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(peer) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip())
    {
        let addr = client_addr(peer, request.headers(), &trusted);
        request.extensions_mut().insert(ClientAddr(addr));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let trusted: Vec<IpBlock> = vec!["10.0.0.0/8".parse().unwrap(), "::1".parse().unwrap()];
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        // An untrusted peer: its header is ignored.
        assert_eq!(
            client_addr(ip("203.0.113.9"), &xff("198.51.100.1"), &trusted),
            ip("203.0.113.9")
        );
        // Through one trusted proxy; the spoofed left part is not used.
        assert_eq!(
            client_addr(ip("10.1.2.3"), &xff("6.6.6.6, 198.51.100.1"), &trusted),
            ip("198.51.100.1")
        );
        // Through two trusted proxies.
        assert_eq!(
            client_addr(ip("10.1.2.3"), &xff("198.51.100.1, 10.9.9.9"), &trusted),
            ip("198.51.100.1")
        );
        // A trusted proxy that sent no header is itself the client.
        assert_eq!(
            client_addr(ip("::1"), &HeaderMap::new(), &trusted),
            ip("::1")
        );
        assert_eq!(
            client_addr(ip("::ffff:10.0.0.1"), &xff("198.51.100.7"), &trusted),
            ip("198.51.100.7")
        );
        assert!("10.0.0.0/33".parse::<IpBlock>().is_err());
        assert!("0.0.0.0/0"
            .parse::<IpBlock>()
            .unwrap()
            .contains(ip("1.2.3.4")));
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://Licenses.Example.com/portal/"),
            "https://licenses.example.com"
        );
        let policy = OriginPolicy {
            own: None,
            https: false,
            allowed: vec!["http://127.0.0.1:8080".into()],
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
        assert!(policy.allows("http://127.0.0.1:3000", &headers));
        assert!(policy.allows("http://127.0.0.1:8080", &headers));
        assert!(!policy.allows("https://127.0.0.1:3000", &headers));
        assert!(!policy.allows("http://evil.example", &headers));
        assert!(!policy.allows("null", &headers));
    }
}
