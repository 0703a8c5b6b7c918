//! The security headers and the CSP nonce of every page.

use super::*;

fn csp_nonce(headers: &HeaderMap) -> String {
    let csp = headers
        .get("content-security-policy")
        .expect("a CSP")
        .to_str()
        .unwrap();
    for directive in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .expect("script-src");
    script_src
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in script-src")
        .to_owned()
}

fn assert_common_headers(headers: &HeaderMap) {
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
}

#[tokio::test]
async fn security_headers_and_a_fresh_csp_nonce_on_every_page() {
    let (url, _dir) = test_database("headers");
    let server = App::start(&url).await;
    let http = client();
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let r = http
            .get(format!("{}/login", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_common_headers(r.headers());
        assert!(r.headers().get("strict-transport-security").is_none());
        let nonce = csp_nonce(r.headers());
        assert!(nonce.len() >= 22, "at least 128 bits: {nonce}");
        let page = r.text().await.unwrap();
        // Every inline script carries the header's nonce; none is without one.
        let scripts: Vec<&str> = page.split("<script").skip(1).collect();
        assert!(!scripts.is_empty());
        for script in scripts {
            let tag = script.split('>').next().unwrap();
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "script without the response's nonce: <script{tag}>"
            );
        }
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a fresh nonce per response");

    // The device API's JSON: not sniffable either.
    let r = http.get(server.url("/openapi.json")).send().await.unwrap();
    assert_common_headers(r.headers());

    // HSTS once the portal says it is served over HTTPS.
    drop(server);
    let server = App::start_with(&url, &[("KEYPORT_SECURE_COOKIES", "true")]).await;
    let r = http
        .get(format!("{}/login", server.base))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
    assert_common_headers(r.headers());
}
