//! The built assets under `/pkg` (the WASM, its JavaScript glue, the stylesheet), served by a
//! static file service rather than the per-request Leptos file handler: the precompressed copy
//! the client accepts (`.br`, else `.gz`, written by `cargo leptos build --precompress`), with
//! `Last-Modified` for revalidation.
//!
//! Names are not hashed yet, so a browser must revalidate (`no-cache`): a new release changes the
//! bytes under the same name.

use std::path::Path;

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// `/pkg/*` from `site_root/pkg`.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &str) -> Router<S> {
    let files = ServeDir::new(Path::new(site_root).join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    Router::new().nest_service(
        "/pkg",
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            ))
            .service(files),
    )
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use tower::ServiceExt;

    async fn get(site: &std::path::Path, path: &str, accept: &str) -> axum::response::Response {
        super::routes::<()>(site.to_str().unwrap())
            .oneshot(
                Request::get(path)
                    .header(header::ACCEPT_ENCODING, accept)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn the_precompressed_copy_the_client_accepts_is_sent() {
        let dir = std::env::temp_dir().join(format!("keyport-assets-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("pkg/keyport.css"), "body{}").unwrap();
        std::fs::write(dir.join("pkg/keyport.css.br"), "BR").unwrap();
        std::fs::write(dir.join("pkg/keyport.css.gz"), "GZ").unwrap();
        for (accept, encoding) in [
            ("br, gzip", Some("br")),
            ("gzip", Some("gzip")),
            ("identity", None),
        ] {
            let answer = get(&dir, "/pkg/keyport.css", accept).await;
            assert_eq!(answer.status(), StatusCode::OK);
            assert_eq!(
                answer
                    .headers()
                    .get(header::CONTENT_ENCODING)
                    .map(|v| v.to_str().unwrap()),
                encoding,
                "{accept}"
            );
            assert_eq!(answer.headers()[header::CACHE_CONTROL], "no-cache");
            assert!(answer.headers().contains_key(header::LAST_MODIFIED));
        }
        assert_eq!(
            get(&dir, "/pkg/nothing.js", "br").await.status(),
            StatusCode::NOT_FOUND
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
