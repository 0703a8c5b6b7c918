//! The vendor console's Integrations page (`/admin/integrations`): the management API's keys a
//! vendor's own systems (a web shop, a CRM) use, made, listed and revoked here; and the webhook
//! endpoints the tenant's events are posted to, with each delivery's attempts and a Redeliver.
//!
//! A new key (or endpoint secret) is shown once, on the page the form redirects to (a one-time note, never in the
//! address); afterwards only its first characters are, to recognise it by. Both forms work
//! without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use licensing::flash::Flash;
use licensing::manage::ApiKeyEntry;
use licensing::AppError;

use crate::components::{show, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::format::format_time;
use crate::i18n::{t, t_around};
use crate::network::use_network;

use super::webhooks::{Hooks, WebhooksCard};

/// The page's address.
pub const PATH: &str = "/admin/integrations";

/// The tenant's management keys, newest first (vendor staff of the tenant only).
#[server(endpoint = "admin_api_keys")]
pub async fn admin_api_keys() -> Result<Vec<ApiKeyEntry>, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::manage::list_keys(&state()?.store, &who).await
}

/// Makes a management key (audited); the page it redirects to shows the key, this once.
#[server(endpoint = "admin_create_api_key")]
pub async fn admin_create_api_key(name: String) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let made = licensing::manage::create_key(&state()?.store, &actor, &name).await?;
    // The note is the only place the key is ever shown; the page holding it is not cached.
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    crate::flash::redirect_with(
        PATH,
        Flash::ApiKeyCreated {
            name: made.name,
            key: made.key,
        },
    )
    .await;
    Ok(())
}

/// Revokes a key of the tenant (audited): it is refused from the next request on.
#[server(endpoint = "admin_revoke_api_key")]
pub async fn admin_revoke_api_key(id: String) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    licensing::manage::revoke_key(&state()?.store, &actor, &id).await?;
    crate::flash::redirect_with(PATH, Flash::ApiKeyRevoked).await;
    Ok(())
}

/// `/admin/integrations`: the management API's keys and the webhooks.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let create = ServerAction::<AdminCreateApiKey>::new();
    let revoke = ServerAction::<AdminRevokeApiKey>::new();
    let hooks = Hooks::default();
    let changes = move || create.version().get() + revoke.version().get() + hooks.version();
    let net = use_network();
    let keys = Resource::new(
        move || (changes(), net.epoch()),
        move |_| net.track(admin_api_keys()),
    );
    let flash = use_flash(PATH, changes);
    let failed = move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| revoke.value().get().and_then(Result::err))
            .or_else(|| hooks.failed())
    };
    view! {
        <Title text=t("integrations-title") />
        <h1>{t("integrations-title")}</h1>
        <p class="hint">{t("integrations-intro")}</p>
        <FlashNote flash />
        {move || failed().map(|error| view! { <ErrorNotice error /> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match flash.await {
                    Some(Flash::ApiKeyCreated { key, .. }) => {
                        let (before, after) = t_around("integrations-new_key", "key");
                        Some(view! {
                            <section class="notice">
                                <p>{before}<code data-testid="api-key">{key}</code>{after}</p>
                            </section>
                        })
                    }
                    Some(Flash::WebhookCreated { secret, .. }) => {
                        let (before, after) = t_around("webhooks-new_secret", "secret");
                        Some(view! {
                            <section class="notice">
                                <p>{before}<code data-testid="webhook-secret">{secret}</code>{after}</p>
                            </section>
                        })
                    }
                    _ => None,
                }
            })}
        </Suspense>
        <section class="card" aria-labelledby="api-keys">
            <h2 id="api-keys">{t("integrations-keys")}</h2>
            <p class="hint">{t("integrations-keys_hint")}</p>
            <ActionForm action=create attr:class="form row">
                <div class="field">
                    <label for="key-name">{t("integrations-key_name")}</label>
                    <input id="key-name" name="name" required maxlength="100" autocomplete="off" />
                </div>
                <button type="submit" disabled=move || create.pending().get()>
                    {t("integrations-create_key")}
                </button>
            </ActionForm>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(keys.await, move |list: Vec<ApiKeyEntry>| {
                        view! { <KeyTable list revoke /> }
                    })
                })}
            </Suspense>
        </section>
        <WebhooksCard hooks changes />
    }
}

#[component]
fn KeyTable(list: Vec<ApiKeyEntry>, revoke: ServerAction<AdminRevokeApiKey>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p data-testid="no-keys">{t("integrations-no_keys")}</p> }.into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{t("integrations-key_name")}</th>
                    <th scope="col">{t("integrations-prefix")}</th>
                    <th scope="col">{t("integrations-created_by")}</th>
                    <th scope="col">{t("integrations-created_at")}</th>
                    <th scope="col">{t("integrations-last_used")}</th>
                    <th scope="col">{t("integrations-status")}</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|k| {
                        let status = match k.revoked_at {
                            Some(at) => view! {
                                {t("integrations-revoked")} " " {format_time(at)}
                            }
                                .into_any(),
                            None => {
                                let (id, name) = (k.id.clone(), k.name.clone());
                                view! {
                                <ActionForm action=revoke>
                                    <input type="hidden" name="id" value=id />
                                    <button type="submit" class="danger small">
                                        {t("integrations-revoke")}
                                        <span class="visually-hidden">" " {name}</span>
                                    </button>
                                </ActionForm>
                            }
                                .into_any()
                            }
                        };
                        view! {
                            <tr data-testid="api-key-row">
                                <td data-label=t("integrations-key_name")>{k.name.clone()}</td>
                                <td data-label=t("integrations-prefix")><code>{k.prefix.clone()} "…"</code></td>
                                <td data-label=t("integrations-created_by")>{k.created_by.clone().unwrap_or_default()}</td>
                                <td data-label=t("integrations-created_at")>{format_time(k.created_at)}</td>
                                <td data-label=t("integrations-last_used")>
                                    {k.last_used_at.map(format_time).unwrap_or_else(|| t("integrations-never"))}
                                </td>
                                <td data-label=t("integrations-status")>{status}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
