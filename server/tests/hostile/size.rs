//! Bodies too large or too deep: announced, sent or chunked past the limit, refused with a 413
//! before they are read whole; JSON nested past any use, refused without a crash.

use super::*;

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let w = world().await;
    // Valid JSON just past the API's 16 KiB, so only the size can be the reason.
    let body = serde_json::to_vec(&activation(&"x".repeat(17 * 1024), &w.license_key)).unwrap();
    let (status, text) = w.post_raw("/activations", "application/json", body).await;
    assert_eq!(status, 413, "{text}");
    assert_eq!(error_code(&text), "payload_too_large");

    // A megabyte announced: the API refuses once it has read past its limit, without waiting
    // for the rest. The portal's forms (64 KiB) are refused from the Content-Length alone.
    assert_eq!(
        status_of_partial_body(
            &w.server.base,
            "/api/v1/activations",
            1024 * 1024,
            20 * 1024
        ),
        413
    );
    assert_eq!(
        status_of_partial_body(&w.server.base, "/api/create_user", 100 * 1024, 0),
        413
    );
    w.assert_alive().await;
}

#[tokio::test]
async fn deeply_nested_json_is_refused_without_a_crash() {
    let w = world().await;
    // As deep as fits the body limit, in every position a parser recurses: arrays, objects, and
    // nested values in a known string field.
    let depth = 3000;
    let bodies = [
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        format!(
            "{{\"device_name\":{}1{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
        format!("{}1{}", "{\"a\":".repeat(depth / 2), "}".repeat(depth / 2)),
        format!(
            "{{\"hardware_id\":{}null{}}}",
            "{\"a\":".repeat(depth / 2),
            "}".repeat(depth / 2)
        ),
        // Unterminated: the parser must give up, not wait or recurse further.
        "[{".repeat(depth),
    ];
    for body in bodies {
        let (status, text) = w
            .post_raw("/activations", "application/json", body.into_bytes())
            .await;
        assert_eq!(status, 422, "{text}");
        assert_eq!(error_code(&text), "invalid_request");
    }
    w.assert_alive().await;

    // The offline activation request file is JSON too (read by the portal, as a manager).
    let cookie = session(&w.store, &w.company, MANAGER).await;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let boundary = format!("----keyport{}", random_hex(16));
    let form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"request_text\"\r\n\r\n{nested}\r\n--{boundary}--\r\n"
    );
    let r = w
        .client
        .post(format!(
            "{}/licenses/{}/offline-activation",
            w.server.base, w.license_id
        ))
        .header("cookie", format!("keyport_session={cookie}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(form)
        .send()
        .await
        .expect("request");
    assert!(r.status().as_u16() < 500, "{}", r.status());
    w.assert_alive().await;
}

#[tokio::test]
async fn chunked_oversized_portal_bodies_are_refused_with_413() {
    // The portal's limit cut a chunked body while the server function read it, which answered
    // 422 ("length limit exceeded"); with a Content-Length it was 413 already.
    let w = world().await;
    let cookie = session(&w.store, &w.company, MANAGER).await;
    let offline = format!("/licenses/{}/offline-activation", w.license_id);
    let form = "application/x-www-form-urlencoded";
    let multipart = "multipart/form-data; boundary=----keyport-chunked";
    for (path, content_type) in [
        ("/api/create_user", form),
        ("/api/login", form),
        (offline.as_str(), multipart),
    ] {
        assert_eq!(
            status_of_chunked_body(&w.server.base, path, content_type, &cookie, 64 * 1024),
            413,
            "{path}"
        );
    }
    // The offline form, like every portal route, is refused from its Content-Length alone.
    assert_eq!(
        status_of_partial_body(&w.server.base, &offline, 100 * 1024, 0),
        413
    );

    // Under the limit, a chunked form is read as ever.
    let body = format!(
        "license_id={}&name=Chunked&email=chunked%40acme.example&password=a-long-chunked-password",
        w.license_id
    );
    let r = w
        .client
        .post(format!("{}/api/create_user", w.server.base))
        .header("cookie", format!("keyport_session={cookie}"))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .header("content-type", form)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter([
            Ok::<_, std::io::Error>(body.into_bytes()),
        ])))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    w.assert_alive().await;
}
