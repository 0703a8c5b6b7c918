//! The same-origin check on state-changing requests (CSRF).

use super::*;

#[tokio::test]
async fn state_changes_only_from_the_portals_own_origin() {
    let (url, _dir) = test_database("csrf");
    let store = Store::connect(&url).await.unwrap();
    let server = App::start_with(
        &url,
        &[(
            "KEYPORT_ALLOWED_ORIGINS",
            "http://localhost:8080,http://dev.example:1234/",
        )],
    )
    .await;
    let t = tenant(&store, "Csrf").await;
    let token = session(&store, &t.company_id, "manager@acme.example").await;
    let cookie = format!("keyport_session={token}");
    let http = bare_client();
    let post = |endpoint: &str| {
        http.post(format!("{}/api/{endpoint}", server.base))
            .header("accept", "application/json")
            .header("cookie", &cookie)
    };

    // Another site's page posting to a server function, as a browser sends it.
    let device = a_device(&store, &t.license_id).await;
    let before = active_devices(&store, &t.license_id).await;
    for (origin, site) in [
        (Some("https://evil.example"), Some("cross-site")),
        (Some("https://evil.example"), None),
        (Some("null"), Some("cross-site")),
        (None, Some("cross-site")),
        (None, Some("same-site")),
        // Neither header: an old or tampering client, not one of the portal's pages.
        (None, None),
        // The right host over the wrong scheme is another origin.
        (Some(&*server.base.replace("http://", "https://")), None),
    ] {
        let mut request = post("reset_device").form(&[("device_id", &device)]);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 403, "{origin:?} {site:?}");
        assert!(r.text().await.unwrap().contains("another website"));
        let mut request = post("logout");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        assert_eq!(request.send().await.unwrap().status(), 403);
    }
    assert_eq!(active_devices(&store, &t.license_id).await, before);
    assert!(
        logged_in(&store, &token).await,
        "the refused logout ended nothing"
    );

    // The offline-activation form is a state-changing route outside the server functions.
    let r = http
        .post(format!(
            "{}/licenses/{}/offline-activation",
            server.base, t.license_id
        ))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // Nothing changes state on GET: server functions answer only POST.
    let r = http
        .get(format!("{}/api/logout", server.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 200);
    assert!(logged_in(&store, &token).await);

    // The portal's own pages (by Sec-Fetch-Site or by Origin) and the configured origins pass.
    let r = post("reset_device")
        .form(&[("device_id", &device)])
        .header("origin", &server.base)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(active_devices(&store, &t.license_id).await, before - 1);
    for (origin, site) in [
        (Some(server.base.as_str()), None),
        (Some("http://localhost:8080"), Some("same-site")),
        (Some("http://dev.example:1234"), Some("cross-site")),
        (None, Some("same-origin")),
    ] {
        let mut request = post("list_licenses");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        assert_eq!(
            request.send().await.unwrap().status(),
            200,
            "{origin:?} {site:?}"
        );
    }
    let r = post("logout")
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success() || r.status().is_redirection());
    assert!(!logged_in(&store, &token).await);

    // The device API is called by apps with their own credentials: no origin check.
    let r = http
        .post(server.url("/activations"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .json(
            &serde_json::json!({"license_key": t.license_key, "hardware_id": "hw-csrf",
                                  "device_name": "PC", "os": "Linux"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}
