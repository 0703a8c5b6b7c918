//! The error of a no-JavaScript form post, shown only when Keyport signed it.

use super::*;

/// A failed form post without JavaScript comes back to its page with the error in the address;
/// the page shows it only when Keyport signed it for this browser, so a crafted link cannot put
/// words of its own on a portal page.
#[tokio::test]
async fn a_page_shows_only_the_form_errors_keyport_signed() {
    use base64::engine::general_purpose::URL_SAFE;
    use base64::Engine;
    let (url, _dir) = test_database("formerr");
    let store = Store::connect(&url).await.unwrap();
    let server = App::start(&url).await;
    let t = tenant(&store, "FormErr").await;
    let http = client();

    // A wrong password, posted as a browser without JavaScript posts the form.
    let r = http
        .post(format!("{}/api/login", server.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/login", server.base))
        .form(&[
            ("company", t.company_id.as_str()),
            ("email", "manager@acme.example"),
            ("password", "wrong-password"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("__err=") && back.contains("__sig="), "{back}");
    let page = http.get(&back).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("The company ID, email or password is incorrect."));

    // The same address with words of an attacker's in place of the error, and a link without
    // any signature: sent to the page without them, and nothing of them is shown.
    let forged = URL_SAFE.encode(
        br#"{"error":"conflict","message":"Your license expired. Call +1 555 0100 to renew."}"#,
    );
    let query_of = |url: &str| url.split_once('?').map(|(_, q)| q.to_owned()).unwrap();
    let swapped: String = query_of(&back)
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("__err", _)) => format!("__err={forged}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&");
    for query in [
        swapped,
        format!("__path=%2Fapi%2Flogin&__err={forged}"),
        format!("next=%2Flicenses&__path=%2Fapi%2Flogin&__err={forged}&__sig=00"),
    ] {
        let r = http
            .get(format!("{}/login?{query}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{query}");
        let to = r.headers()["location"].to_str().unwrap();
        assert!(to == "/login" || to == "/login?next=%2Flicenses", "{to}");
        let page = http
            .get(format!("{}{to}", server.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // The attacker's words, not a bare "555": the page's random CSP nonce may hold that.
        assert!(
            !page.contains("555 0100") && !page.contains("license expired"),
            "{page}"
        );
    }
}
