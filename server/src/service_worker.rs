//! What the browser needs for the portal to survive a lost connection: the service worker, with
//! the release's asset version written into it, and the offline page it shows instead of the
//! browser's error.

use std::path::Path;

use app::state::AppState;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};

const TEMPLATE: &str = include_str!("../assets/sw.js");
const OFFLINE_SCRIPT: &str = include_str!("../assets/offline.js");
const VERSION_MARK: &str = "__KEYPORT_ASSETS_VERSION__";
/// The built assets whose bytes make the version (the worker's list in `assets/sw.js` also has the
/// icon, which changes with the source, not the build).
const ASSETS: [&str; 3] = ["keyport.js", "keyport.wasm", "keyport.css"];

/// `/sw.js` and `/offline`, for the site whose assets are under `site_root/pkg`.
pub fn routes(site_root: &str) -> Router<AppState> {
    let script = worker_script(&assets_version(&Path::new(site_root).join("pkg")));
    Router::new()
        .route(
            "/sw.js",
            get(move || {
                let script = script.clone();
                async move {
                    (
                        [
                            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                            // The browser compares the worker on every visit; never an old copy.
                            (header::CACHE_CONTROL, "no-cache"),
                        ],
                        script,
                    )
                }
            }),
        )
        .route("/offline", get(offline_page))
        .route(
            "/offline.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "no-cache"),
                    ],
                    OFFLINE_SCRIPT,
                )
            }),
        )
}

/// A hash of the assets' bytes: a new build is a new worker, whatever its version number says.
fn assets_version(pkg: &Path) -> String {
    let mut hasher = Sha256::new();
    for name in ASSETS {
        match std::fs::read(pkg.join(name)) {
            Ok(bytes) => hasher.update(&bytes),
            // Served without a WASM build (unit tests, API-only use): the worker just caches less.
            Err(error) => {
                tracing::debug!(file = name, %error, "asset missing for the version hash")
            }
        }
        hasher.update(name.as_bytes());
    }
    hex::encode(&hasher.finalize()[..8])
}

fn worker_script(version: &str) -> String {
    TEMPLATE.replace(VERSION_MARK, version)
}

/// Shown by the service worker when a page cannot be loaded. Not a Leptos page: it must work
/// without the WASM, and hydrating it at the address of the page asked for would not match. Its
/// one small script loads that page again once the server answers.
async fn offline_page(headers: HeaderMap) -> Response {
    let text = OfflineText::new(app::i18n::locale_of(&headers));
    let body = format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Keyport</title>
<link rel="stylesheet" href="/pkg/keyport.css">
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
<script src="/offline.js" defer></script>
</head>
<body>
<main id="main" class="login offline-page">
<h1>{title}</h1>
<p class="lead">{lead}</p>
<p>{retry}</p>
<p><a class="button" href="">{again}</a></p>
</main>
</body>
</html>
"#,
        lang = text.lang,
        title = text.title,
        lead = text.lead,
        retry = text.retry,
        again = text.again,
    );
    let mut response = Html(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

struct OfflineText {
    lang: &'static str,
    title: String,
    lead: String,
    retry: String,
    again: String,
}

impl OfflineText {
    /// In the language the request asks for (`app/locales/*.ftl`, `offline_page-*`).
    fn new(locale: app::i18n::Locale) -> Self {
        let text = |key| app::i18n::lookup(locale, key);
        Self {
            lang: locale.code(),
            title: text("offline_page-title"),
            lead: text("offline_page-lead"),
            retry: text("offline_page-retry"),
            again: text("offline_page-again"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_carries_the_assets_version() {
        let script = worker_script("0123abcd");
        assert!(script.contains("const VERSION = '0123abcd';"));
        assert!(!script.contains(VERSION_MARK));
    }

    #[test]
    fn another_build_is_another_version() {
        let dir = std::env::temp_dir().join(format!("keyport-sw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("keyport.wasm"), b"build one").unwrap();
        let one = assets_version(&dir);
        assert_eq!(one, assets_version(&dir));
        std::fs::write(dir.join("keyport.wasm"), b"build two").unwrap();
        assert_ne!(one, assets_version(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
