//! What the browser needs for the portal to survive a lost connection: the service worker, with
//! the release's asset version written into it (it keeps the assets at their versioned
//! addresses), and the offline page it shows instead of the browser's error.

use app::state::AppState;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

const TEMPLATE: &str = include_str!("../assets/sw.js");
const OFFLINE_SCRIPT: &str = include_str!("../assets/offline.js");
const VERSION_MARK: &str = "__KEYPORT_ASSETS_VERSION__";
const FILES_MARK: &str = "__KEYPORT_ASSET_FILES__";

/// `/sw.js` and `/offline`, for the build whose assets are at `/pkg/<version>/`
/// (`crate::assets::Assets::version`); `files` are what every page loads from there.
pub fn routes(version: &str, files: &[String]) -> Router<AppState> {
    let script = worker_script(version, files);
    let version = version.to_owned();
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
        .route(
            "/offline",
            get(move |headers: HeaderMap| offline_page(headers, version.clone())),
        )
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

fn worker_script(version: &str, files: &[String]) -> String {
    let files = serde_json::to_string(files).unwrap_or_else(|_| "[]".into());
    TEMPLATE
        .replace(VERSION_MARK, version)
        .replace(FILES_MARK, &files)
}

/// Shown by the service worker when a page cannot be loaded. Not a Leptos page: it must work
/// without the WASM, and hydrating it at the address of the page asked for would not match. Its
/// one small script loads that page again once the server answers.
async fn offline_page(headers: HeaderMap, version: String) -> Response {
    let text = OfflineText::new(app::i18n::locale_of(&headers));
    let body = format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Keyport</title>
<link rel="stylesheet" href="/pkg/{version}/keyport.css">
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
        let files = ["keyport.js".to_owned(), "__wasm_split.x.js".to_owned()];
        let script = worker_script("0123abcd", &files);
        assert!(script.contains("const VERSION = '0123abcd';"));
        assert!(script.contains(r#"const FILES = ["keyport.js","__wasm_split.x.js"];"#));
        assert!(!script.contains(VERSION_MARK) && !script.contains(FILES_MARK));
    }
}
