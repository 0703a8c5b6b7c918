//! Text that is not what a field takes: invalid UTF-8 refused, SQL and HTML stored verbatim and
//! shown escaped, `null` and NUL bytes refused naming the field.

use super::*;

#[tokio::test]
async fn invalid_utf8_is_refused() {
    let w = world().await;
    let mut body = br#"{"license_key":"KP-1","hardware_id":"hw-"#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    body.extend_from_slice(br#"","device_name":"d","os":"o"}"#);
    let (status, text) = w.post_raw("/activations", "application/json", body).await;
    assert_eq!(status, 422, "{text}");
    assert_eq!(error_code(&text), "invalid_request");

    // A lone UTF-16 surrogate escape is valid JSON syntax but no Rust string.
    let body = br#"{"license_key":"KP-1","hardware_id":"\ud800","device_name":"d","os":"o"}"#;
    let (status, text) = w
        .post_raw("/activations", "application/json", body.to_vec())
        .await;
    assert_eq!(status, 422, "{text}");

    // In the query string and the token header.
    let r = w
        .client
        .get(format!("{}?company=%FF%FE", w.server.url("/public-key")))
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    assert!((400..500).contains(&status), "{status}");
    let r = w
        .client
        .get(w.server.url("/device"))
        .header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 401);

    // In a portal form: the server function refuses it, and nothing is created.
    let cookie = session(&w.store, &w.company, MANAGER).await;
    let mut form = format!("license_id={}&name=", w.license_id).into_bytes();
    form.extend_from_slice(b"\xff\xfe&email=utf8%40acme.example&password=a-long-password");
    let r = w
        .client
        .post(format!("{}/api/create_user", w.server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("cookie", format!("keyport_session={cookie}"))
        .body(form)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    assert!((400..500).contains(&status), "{status}: {text}");
    let created: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE email = 'utf8@acme.example'")
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    assert_eq!(created, 0);
    w.assert_alive().await;
}

#[tokio::test]
async fn sql_and_html_in_device_fields_are_stored_verbatim_and_shown_escaped() {
    let w = world().await;
    let hardware_id = format!("{SQL} {SCRIPT} {}", random_hex(8));
    let body = json!({
        "license_key": w.license_key,
        "hardware_id": hardware_id,
        "device_name": SCRIPT,
        "os": SQL,
    });
    let r = w
        .client
        .post(w.server.url("/activations"))
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 201);
    let answer: Value = r.json().await.expect("JSON");
    assert_eq!(answer["device_name"], SCRIPT);
    assert_eq!(answer["hardware_id"], hardware_id);

    let (name, os): (String, String) =
        sqlx::query_as("SELECT name, os FROM devices WHERE hardware_id = $1")
            .bind(&hardware_id)
            .fetch_one(w.store.pool())
            .await
            .expect("the device, stored under its exact hardware id");
    assert_eq!((name.as_str(), os.as_str()), (SCRIPT, SQL));

    // The same text as a login is just a wrong login, not SQL.
    let r = w
        .client
        .post(w.server.url("/activations"))
        .json(&json!({
            "company": SQL, "email": SCRIPT, "password": SQL,
            "hardware_id": SQL, "device_name": SCRIPT, "os": SQL,
        }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 401);
    let r = w
        .client
        .get(w.server.url("/public-key"))
        .query(&[("company", SQL)])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 404);

    let page = w.page(&format!("/licenses/{}/devices", w.license_id)).await;
    assert!(!page.contains(SCRIPT), "the raw tag reached the page");
    assert!(page.contains(SCRIPT_ESCAPED), "the name is not shown");
    assert!(
        page.contains("&#x27;; DROP TABLE devices; --")
            || page.contains("&#39;; DROP TABLE devices; --")
            || page.contains(SQL),
        "the OS is not shown"
    );
    let activity = w
        .page(&format!("/licenses/{}/activity", w.license_id))
        .await;
    assert!(!activity.contains(SCRIPT), "the raw tag reached the log");

    // The tables the text names are all still there.
    let devices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM devices")
        .fetch_one(w.store.pool())
        .await
        .expect("devices table");
    assert!(devices >= 5);
    w.assert_alive().await;
}

#[tokio::test]
async fn sql_and_html_in_portal_forms_are_stored_verbatim_and_shown_escaped() {
    let w = world().await;
    let cookie = session(&w.store, &w.company, MANAGER).await;
    let email = format!("hostile-{}@acme.example", random_hex(6));
    let name = format!("{SCRIPT}{SQL}");
    let r = w
        .client
        .post(format!("{}/api/create_user", w.server.base))
        .header("accept", "application/json")
        .header("cookie", format!("keyport_session={cookie}"))
        .form(&[
            ("license_id", w.license_id.as_str()),
            ("name", name.as_str()),
            ("email", email.as_str()),
            ("password", "a-long-hostile-password"),
            ("assign", "on"),
        ])
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    assert_eq!(status, 200, "{}", r.text().await.unwrap_or_default());

    let stored: String = sqlx::query_scalar("SELECT name FROM accounts WHERE email = $1")
        .bind(&email)
        .fetch_one(w.store.pool())
        .await
        .expect("the new account");
    assert_eq!(stored, name);

    let page = w.page(&format!("/licenses/{}/users", w.license_id)).await;
    assert!(!page.contains(SCRIPT), "the raw tag reached the page");
    assert!(page.contains(SCRIPT_ESCAPED), "the name is not shown");

    // An email with markup is refused as an email, never echoed raw.
    let r = w
        .client
        .post(format!("{}/api/create_user", w.server.base))
        .header("accept", "application/json")
        .header("cookie", format!("keyport_session={cookie}"))
        .form(&[
            ("license_id", w.license_id.as_str()),
            ("name", "Someone"),
            ("email", SCRIPT),
        ])
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    assert!((400..500).contains(&status), "{status}");
    w.assert_alive().await;
}

#[tokio::test]
async fn null_in_an_optional_field_is_refused_as_the_document_says() {
    let w = world().await;
    // openapi.json types `license_key` and the login fields as strings, not nullable: a `null`
    // must not pass for an absent field (schemathesis' negative checks hold the server to it).
    let body = json!({
        "license_key": null, "company": w.company, "email": MANAGER, "password": "x",
        "hardware_id": "h", "device_name": "d", "os": "o",
    });
    let (status, text) = w.activate(&body).await;
    assert_eq!(status, 422, "{text}");
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["field"], "license_key");
}

type Case<'a> = (Option<&'a str>, &'a str, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn nul_in_any_text_is_refused_naming_the_field() {
    // Postgres cannot store U+0000 and failed the statement (500); SQLite stored it. Both refuse
    // it now, before a database sees it.
    let w = world().await;

    // The device API: query and body.
    let r = w
        .client
        .get(format!(
            "{}?company=code%00glass",
            w.server.url("/public-key")
        ))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(
        (body["error"].as_str(), body["field"].as_str()),
        (Some("invalid_request"), Some("company"))
    );
    let hardware_id = format!("hw-{}", random_hex(8));
    let mut body = activation("a\u{0}b", &w.license_key);
    body["hardware_id"] = json!(hardware_id);
    let (status, text) = w.activate(&body).await;
    assert_eq!(status, 422, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["field"], "device_name");
    let body = json!({
        "company": w.company, "email": "user\u{0}@acme.example", "password": "x",
        "hardware_id": "h", "device_name": "d", "os": "o",
    });
    let (status, text) = w.activate(&body).await;
    assert_eq!(status, 422, "{text}");

    // Server functions: every text argument, whoever calls.
    let admin = licensing::demo::admin_email(&w.company);
    let (customer_id, owner_id) = customer_and_owner(&w).await;
    let lic = w.license_id.as_str();
    let nul = "a\u{0}b";
    // Who calls, the server function, its form, and the field the refusal names.
    let cases: Vec<Case> = vec![
        (
            None,
            "login",
            vec![
                ("company", &w.company),
                ("email", "user\u{0}@acme.example"),
                ("password", "x"),
            ],
            "email",
        ),
        (
            None,
            "login",
            vec![("company", nul), ("email", MANAGER), ("password", "x")],
            "company",
        ),
        (
            Some(MANAGER),
            "create_user",
            vec![
                ("license_id", lic),
                ("name", nul),
                ("email", "n1@acme.example"),
            ],
            "name",
        ),
        (
            Some(MANAGER),
            "create_user",
            vec![
                ("license_id", lic),
                ("name", "N"),
                ("email", "n\u{0}2@acme.example"),
            ],
            "email",
        ),
        (
            Some(MANAGER),
            "list_devices",
            vec![("license_id", nul)],
            "license_id",
        ),
        (
            Some(MANAGER),
            "list_devices",
            vec![("license_id", lic), ("search", nul)],
            "search",
        ),
        (Some(MANAGER), "get_license", vec![("id", nul)], "id"),
        (
            Some(MANAGER),
            "reset_device",
            vec![("device_id", nul)],
            "device_id",
        ),
        (
            None,
            "set_password",
            vec![("token", nul), ("password", "p"), ("confirm", "p")],
            "token",
        ),
        (None, "set_language", vec![("lang", nul)], "lang"),
        (
            Some(&admin),
            "admin_create_customer",
            vec![("name", nul)],
            "name",
        ),
        (
            Some(&admin),
            "admin_list_customers",
            vec![("search", nul)],
            "search",
        ),
        (
            Some(&admin),
            "admin_rename_customer",
            vec![("id", &customer_id), ("name", nul)],
            "name",
        ),
        (
            Some(&admin),
            "admin_sell",
            vec![
                ("customer_id", &customer_id),
                ("product", nul),
                ("license_type", "organisation"),
                ("owner_account_id", &owner_id),
                ("terms[subscriptions]", "1"),
                ("terms[seats_per_subscription]", "1"),
                ("terms[devices_per_subscription]", "1"),
                ("terms[deactivations]", "1"),
                ("terms[valid_days]", "30"),
            ],
            "product",
        ),
        (
            Some(&admin),
            "admin_reset_deactivations",
            vec![("license_id", lic), ("reason", nul)],
            "reason",
        ),
    ];
    for (who, endpoint, form, field) in &cases {
        let (status, error) = call(&w, *who, endpoint, form).await;
        assert_eq!(status, 422, "{endpoint} {field}: {error}");
        assert_eq!(error["invalid"]["field"], *field, "{endpoint}: {error}");
        assert_eq!(
            error["invalid"]["reason"], "contains_nul",
            "{endpoint}: {error}"
        );
    }

    // A form posted without JavaScript goes back to its page with the error, as server functions
    // answer it.
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/api/login", w.server.base))
        .header("accept", "text/html")
        .header("sec-fetch-site", "same-origin")
        .header("referer", format!("{}/login", w.server.base))
        .form(&[
            ("company", w.company.as_str()),
            ("email", nul),
            ("password", "x"),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("__err="), "{location}");

    // Pages take texts from their URL to the server functions they call.
    let cookie = session(&w.store, &w.company, MANAGER).await;
    for path in ["/licenses/a%00b", "/login?next=%00"] {
        let r = w
            .client
            .get(format!("{}{path}", w.server.base))
            .header("cookie", format!("keyport_session={cookie}"))
            .send()
            .await
            .expect("page");
        assert_eq!(r.status(), 422, "{path}");
    }

    // Nothing was stored.
    let stored: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM accounts WHERE email = 'n1@acme.example' \
                 AND customer_id = $1) \
         + (SELECT COUNT(*) FROM devices WHERE hardware_id = $2)",
    )
    .bind(&customer_id)
    .bind(&hardware_id)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    assert_eq!(stored, 0);
    w.assert_alive().await;
}

#[tokio::test]
async fn nul_in_an_offline_activation_request_is_refused() {
    let w = world().await;
    // An Offline Organisation license of the demo customer to upload a request for.
    let admin = licensing::demo::admin_email(&w.company);
    let vendor = licensing::auth::principal_by_email(&w.store, &w.company, &admin)
        .await
        .expect("the vendor admin");
    let (customer_id, owner_id) = customer_and_owner(&w).await;
    let (sold, key) = licensing::licenses::sell(
        &w.store,
        &vendor,
        &licensing::licenses::Sale {
            customer_id,
            product: "Offline".into(),
            license_type: licensing::licenses::LicenseType::OfflineOrganisation,
            subscriptions: 1,
            seats_per_subscription: 2,
            devices_per_subscription: 2,
            max_deactivations: 1,
            valid_days: 30,
            owner_account_id: owner_id,
        },
        &licensing::mail::Portal::new("http://keyport.test"),
    )
    .await
    .expect("sell an offline license");
    let request = json!({
        "format": "keyport-offline-request/1",
        "license_key": key.expect("a new license's key"),
        "hardware_id": format!("HW-{}", random_hex(6)),
        "device_name": "Lab\u{0}PC",
        "os": "Windows 11",
    })
    .to_string();
    let cookie = session(&w.store, &w.company, MANAGER).await;
    let boundary = format!("----keyport{}", random_hex(16));
    let form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"request_text\"\r\n\r\n{request}\r\n--{boundary}--\r\n"
    );
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!(
            "{}/licenses/{}/offline-activation",
            w.server.base, sold.license_id
        ))
        .header("cookie", format!("keyport_session={cookie}"))
        .header("sec-fetch-site", "same-origin")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(form)
        .send()
        .await
        .expect("request");
    // Refused back to the license page (which shows why), not activated.
    assert!(r.status().is_redirection(), "{}", r.status());
    let active: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM devices WHERE license_id = $1")
        .bind(&sold.license_id)
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(active, 0);
    assert!(matches!(
        licensing::offline::parse_request(request.as_bytes()),
        Err(licensing::AppError::Invalid { field, .. }) if field.name() == "device_name"
    ));
}
