//! The vendor console's LicenseSpring SDK page (`/admin/licensespring`): what an app built on
//! LicenseSpring's SDK is configured with to activate against this tenant (API address, API key,
//! shared key on request, product short codes, the RSA public key), and rotating the shared key.
//!
//! The shared key is a secret the vendor builds into their app, so it is sent only when asked
//! for (`?reveal=1`; the flag, never the key, is in the address) and with `Cache-Control:
//! no-store`. Both ways work without JavaScript: Reveal is a link, Rotate a confirmed form post.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use licensing::AppError;
use serde::{Deserialize, Serialize};

use crate::components::{show, ConfirmDialog, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::i18n::t;
use crate::network::use_network;

/// The page's address; the rotation's one-time note is kept for it.
pub const PATH: &str = "/admin/licensespring";

/// What the app's `Configuration(...)` and `SignatureVerifier.PUBLIC_KEY` take, for the
/// caller's own tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SdkSettings {
    /// `api_protocol`: the scheme of the portal's public address.
    pub api_protocol: String,
    /// `api_domain`: host, port and path of the portal's public address.
    pub api_domain: String,
    pub api_key: String,
    /// Only when the vendor asked to see it (Reveal).
    pub shared_key: Option<String>,
    /// The tenant's products' short codes: the app sends one as `product`.
    pub products: Vec<String>,
    pub public_key_pem: String,
}

/// `(api_protocol, api_domain)` of a public address such as `https://licenses.example.com/kp`:
/// the SDK joins them as `{api_protocol}://{api_domain}/api/v4`.
pub fn sdk_address(public_url: &str) -> (String, String) {
    let url = public_url.trim().trim_end_matches('/');
    match url.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest.to_owned()),
        None => ("https".to_owned(), url.to_owned()),
    }
}

/// The tenant's SDK settings; the shared key only with `reveal`. Vendor staff of the tenant only
/// (checked in `credentials::for_vendor`, before anything is read).
#[server(endpoint = "admin_licensespring")]
pub async fn admin_licensespring(#[server(default)] reveal: bool) -> Result<SdkSettings, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    let state = state()?;
    let config = licensing::licensespring::credentials::for_vendor(&state.store, &who).await?;
    if reveal {
        // A page or answer holding the secret is not kept by the browser or a proxy.
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
        }
    }
    let (api_protocol, api_domain) = sdk_address(&state.public_url);
    Ok(SdkSettings {
        api_protocol,
        api_domain,
        api_key: config.api_key,
        shared_key: reveal.then_some(config.shared_key),
        products: config.products,
        public_key_pem: config.public_key_pem,
    })
}

/// Gives the tenant a new shared key (vendor staff only, audited, in
/// `credentials::rotate_shared_key`), then shows the page with the new key revealed.
#[server(endpoint = "admin_rotate_shared_key")]
pub async fn admin_rotate_shared_key() -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    licensing::licensespring::credentials::rotate_shared_key(&state()?.store, &actor).await?;
    crate::flash::redirect_with(
        &format!("{PATH}?reveal=1"),
        licensing::flash::Flash::SharedKeyRotated,
    )
    .await;
    Ok(())
}

/// `/admin/licensespring`: the SDK settings, the public key to copy, and the rotate button.
#[component]
pub fn LicensespringPage() -> impl IntoView {
    let query = use_query_map();
    let reveal = Memo::new(move |_| query.read().get("reveal").is_some_and(|v| v == "1"));
    let rotate = ServerAction::<AdminRotateSharedKey>::new();
    let net = use_network();
    let settings = Resource::new(
        move || (reveal.get(), rotate.version().get() + net.epoch() as usize),
        move |(reveal, _)| net.track(admin_licensespring(reveal)),
    );
    let failed = move || rotate.value().get().and_then(Result::err);
    let flash = use_flash(PATH, move || rotate.version().get());
    let confirm = move || failed().is_none() && query.read().get("rotate").is_some();
    view! {
        <Title text=t("licensespring-title") />
        <h1>{t("licensespring-title")}</h1>
        <p class="hint">{t("licensespring-intro")}</p>
        <FlashNote flash />
        {move || failed().map(|error| view! { <ErrorNotice error /> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                show(settings.await, move |s: SdkSettings| {
                    view! {
                        <Settings s=s.clone() />
                        <PublicKey pem=s.public_key_pem />
                        <section class="card">
                            <h2>{t("licensespring-rotate")}</h2>
                            <p class="hint">{t("licensespring-rotate_hint")}</p>
                            {move || {
                                if confirm() {
                                    view! { <ConfirmRotate rotate /> }.into_any()
                                } else {
                                    view! {
                                        <a class="button danger" href="?rotate=1">{t("licensespring-rotate")}</a>
                                    }
                                        .into_any()
                                }
                            }}
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}

/// The values of the app's `Configuration(...)`, named as its arguments are.
#[component]
fn Settings(s: SdkSettings) -> impl IntoView {
    let shared_key = match s.shared_key {
        Some(key) => view! {
            <code data-testid="shared-key">{key}</code>
            " "
            <a href=PATH>{t("licensespring-hide")}</a>
        }
        .into_any(),
        None => view! {
            <a class="button small" href="?reveal=1" data-testid="reveal">{t("licensespring-reveal")}</a>
        }
        .into_any(),
    };
    let products = if s.products.is_empty() {
        view! { {t("licensespring-no_products")} }.into_any()
    } else {
        s.products
            .into_iter()
            .map(|code| view! { <code data-testid="product-code">{code}</code> " " })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card">
            <h2>{t("licensespring-configuration")}</h2>
            <dl class="facts">
                <dt><code>"api_protocol"</code></dt><dd><code>{s.api_protocol}</code></dd>
                <dt><code>"api_domain"</code></dt><dd><code>{s.api_domain}</code></dd>
                <dt><code>"api_key"</code></dt><dd><code data-testid="api-key">{s.api_key}</code></dd>
                <dt><code>"shared_key"</code></dt><dd>{shared_key}</dd>
                <dt><code>"product"</code></dt><dd>{products}</dd>
            </dl>
        </section>
    }
}

/// The RSA public key in a readonly text area (selectable without JavaScript) and, once the page
/// is hydrated, a Copy button.
#[component]
fn PublicKey(pem: String) -> impl IntoView {
    let area = NodeRef::<leptos::html::Textarea>::new();
    // Effects run only in the browser: the button appears where it can work.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let Some(area) = area.get() else { return };
        // Selected first, so a browser without the clipboard API copies it with Ctrl+C.
        area.select();
        #[cfg(feature = "hydrate")]
        {
            let written = window().navigator().clipboard().write_text(&area.value());
            leptos::task::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(written).await.is_ok() {
                    copied.set(true);
                }
            });
        }
    };
    view! {
        <section class="card">
            <h2>{t("licensespring-public_key")}</h2>
            <p class="hint">{t("licensespring-public_key_hint")}</p>
            <div class="form">
                <label for="public-key">{t("licensespring-public_key_pem")}</label>
                <textarea id="public-key" readonly rows="9" spellcheck="false" node_ref=area>{pem}</textarea>
            </div>
            {move || {
                hydrated.get().then(|| view! {
                    <button type="button" class="secondary" on:click=copy>{t("licensespring-copy")}</button>
                })
            }}
            <span role="status">{move || copied.get().then(|| t("licensespring-copied"))}</span>
        </section>
    }
}

/// Asks before rotating: every app built with the old shared key is refused from then on.
#[component]
fn ConfirmRotate(rotate: ServerAction<AdminRotateSharedKey>) -> impl IntoView {
    view! {
        <ConfirmDialog
            id="rotate"
            title=t("licensespring-rotate_confirm_title")
            text=t("licensespring-rotate_confirm_text")
        >
            <ActionForm action=rotate>
                <button type="submit" class="danger" disabled=move || rotate.pending().get()>
                    {t("licensespring-rotate_submit")}
                </button>
                " "
                <a href=PATH>{t("action-cancel")}</a>
            </ActionForm>
        </ConfirmDialog>
    }
}

#[cfg(test)]
mod tests {
    use super::sdk_address;

    #[test]
    fn the_public_address_splits_into_the_sdks_two_settings() {
        assert_eq!(
            sdk_address("http://127.0.0.1:3000"),
            ("http".into(), "127.0.0.1:3000".into())
        );
        assert_eq!(
            sdk_address("HTTPS://licenses.example.com/keyport/"),
            ("https".into(), "licenses.example.com/keyport".into())
        );
    }
}
