//! The document: the OpenAPI description the API publishes.

use super::*;

#[tokio::test]
async fn openapi_document_describes_every_endpoint() {
    let w = world().await;
    let r = w
        .client
        .get(w.server.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.0"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/activations", "post"),
        ("/device", "get"),
        ("/device", "delete"),
        ("/public-key", "get"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path}");
    }
    for code in ["201", "200", "401", "403", "409", "413", "422"] {
        assert!(
            paths["/activations"]["post"]["responses"][code].is_object(),
            "{code}"
        );
    }

    // Anything else under /api/v1 is a JSON 404, not the portal's page.
    let r = w
        .client
        .get(w.server.url("/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
}
