//! The browser entry points. With `hydrate` (cargo-leptos) the WASM takes over the pages the
//! server rendered; with `csr` (Trunk) it renders the same `app::App` into an empty page and calls
//! the server functions of a Keyport server running elsewhere.

#[cfg(all(feature = "hydrate", feature = "csr"))]
compile_error!(
    "the `hydrate` and `csr` features exclude each other: build csr with --no-default-features"
);

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The page's language catalog first (the WASM carries none); without it the page stays as the
    // server rendered it.
    // Not Leptos' spawn: its executor starts with the hydration.
    wasm_bindgen_futures::spawn_local(async {
        if app::i18n::load_catalog().await {
            leptos::mount::hydrate_lazy(app::App);
        }
    });
}

/// Where the server functions live, fixed at build time: `KEYPORT_SERVER_URL=/keyport trunk build`.
/// Empty (the default) means the origin the page came from, i.e. `trunk serve`'s proxy or a reverse
/// proxy in front of `dist/` and the server. A path prefix on that origin works; another origin
/// does not, as the browser sends the session cookie only with same-origin calls (README).
#[cfg(feature = "csr")]
const SERVER_URL: Option<&str> = option_env!("KEYPORT_SERVER_URL");

#[cfg(feature = "csr")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    if let Some(url) = SERVER_URL.map(|url| url.trim_end_matches('/')) {
        if !url.is_empty() {
            leptos::server_fn::client::set_server_url(url);
        }
    }
    set_page_language();
    leptos::mount::mount_to_body(app::App);
}

/// What the server does for a rendered page, done here: the switcher's cookie, else the browser's
/// languages, decide `<html lang>`, which `app::i18n` reads.
#[cfg(feature = "csr")]
fn set_page_language() {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let cookie = document
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.cookie().ok())
        .unwrap_or_default();
    let chosen = app::i18n::cookie_language(&cookie);
    let accept = web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|list| {
            list.iter()
                .filter_map(|lang| lang.as_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    let locale = app::i18n::Locale::for_request(chosen.as_deref(), Some(&accept));
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute("lang", locale.code());
    }
}
