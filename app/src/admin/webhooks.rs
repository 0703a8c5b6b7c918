//! The webhooks part of the console's Integrations page: registering an endpoint (its secret
//! shown once, on the page the form redirects to), the endpoints, and the newest deliveries with
//! each attempt and a Redeliver. Every form works without JavaScript.

use leptos::prelude::*;
use licensing::webhooks::{Delivery, DeliveryStatus, EventType, WebhookEndpoint};
use licensing::AppError;

use crate::components::{show, Loading};
use crate::format::format_time;
use crate::i18n::t;
use crate::network::use_network;

/// The tenant's webhook endpoints and newest deliveries (vendor staff of the tenant only).
#[server(endpoint = "admin_webhooks")]
pub async fn admin_webhooks() -> Result<(Vec<WebhookEndpoint>, Vec<Delivery>), AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    let store = &state()?.store;
    Ok((
        licensing::webhooks::list_endpoints(store, &who).await?,
        licensing::webhooks::deliveries(store, &who, DELIVERIES_SHOWN).await?,
    ))
}

/// Deliveries the page lists.
pub const DELIVERIES_SHOWN: i64 = 50;

/// Registers an endpoint (audited); the page it redirects to shows its secret, this once.
#[server(endpoint = "admin_create_webhook")]
pub async fn admin_create_webhook(
    url: String,
    #[server(default)] event_types: Vec<String>,
) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let made =
        licensing::webhooks::create_endpoint(&state()?.store, &actor, &url, &event_types).await?;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    crate::flash::redirect_with(
        super::integrations::PATH,
        licensing::flash::Flash::WebhookCreated {
            url: made.endpoint.url,
            secret: made.secret,
        },
    )
    .await;
    Ok(())
}

/// Deletes an endpoint of the tenant (audited).
#[server(endpoint = "admin_delete_webhook")]
pub async fn admin_delete_webhook(id: String) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    licensing::webhooks::delete_endpoint(&state()?.store, &actor, &id).await?;
    crate::flash::redirect_with(
        super::integrations::PATH,
        licensing::flash::Flash::WebhookDeleted,
    )
    .await;
    Ok(())
}

/// Sends a delivery again (audited).
#[server(endpoint = "admin_redeliver_webhook")]
pub async fn admin_redeliver_webhook(id: String) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    licensing::webhooks::redeliver(&state()?.store, &actor, &id).await?;
    crate::flash::redirect_with(
        super::integrations::PATH,
        licensing::flash::Flash::WebhookRedelivered,
    )
    .await;
    Ok(())
}

/// The webhook forms' actions.
#[derive(Clone, Copy, Default)]
pub struct Hooks {
    create: ServerAction<AdminCreateWebhook>,
    delete: ServerAction<AdminDeleteWebhook>,
    redeliver: ServerAction<AdminRedeliverWebhook>,
}

impl Hooks {
    pub fn version(&self) -> usize {
        self.create.version().get() + self.delete.version().get() + self.redeliver.version().get()
    }

    pub fn failed(&self) -> Option<AppError> {
        self.create
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| self.delete.value().get().and_then(Result::err))
            .or_else(|| self.redeliver.value().get().and_then(Result::err))
    }
}

/// Webhooks: the form to register an endpoint, the endpoints, the newest deliveries.
#[component]
pub fn WebhooksCard(
    hooks: Hooks,
    changes: impl Fn() -> usize + Send + Sync + 'static,
) -> impl IntoView {
    let net = use_network();
    let listed = Resource::new(
        move || (changes(), net.epoch()),
        move |_| net.track(admin_webhooks()),
    );
    view! {
        <section class="card" aria-labelledby="webhooks">
            <h2 id="webhooks">{t("webhooks-title")}</h2>
            <p class="hint">{t("webhooks-hint")}</p>
            <ActionForm action=hooks.create attr:class="form">
                <div class="field">
                    <label for="webhook-url">{t("webhooks-url")}</label>
                    <input id="webhook-url" name="url" type="url" required maxlength="2000" placeholder="https://" />
                </div>
                <fieldset>
                    <legend>{t("webhooks-events")}</legend>
                    {EventType::ALL
                        .iter()
                        .enumerate()
                        .map(|(i, event)| {
                            let (id, label_for) = (format!("event-{i}"), format!("event-{i}"));
                            view! {
                                <label for=label_for class="check">
                                    <input
                                        type="checkbox"
                                        id=id
                                        name=format!("event_types[{i}]")
                                        value=event.as_str()
                                        checked=true
                                    />
                                    " "
                                    <code>{event.as_str()}</code>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <button type="submit" disabled=move || hooks.create.pending().get()>
                    {t("webhooks-add")}
                </button>
            </ActionForm>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(listed.await, move |(endpoints, deliveries): (Vec<WebhookEndpoint>, Vec<Delivery>)| {
                        view! {
                            <EndpointTable endpoints delete=hooks.delete />
                            <h3>{t("webhooks-deliveries")}</h3>
                            <DeliveryTable deliveries redeliver=hooks.redeliver />
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn EndpointTable(
    endpoints: Vec<WebhookEndpoint>,
    delete: ServerAction<AdminDeleteWebhook>,
) -> impl IntoView {
    if endpoints.is_empty() {
        return view! { <p data-testid="no-webhooks">{t("webhooks-none")}</p> }.into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{t("webhooks-url")}</th>
                    <th scope="col">{t("webhooks-events")}</th>
                    <th scope="col">{t("integrations-created_at")}</th>
                    <th scope="col"><span class="visually-hidden">{t("webhooks-delete")}</span></th>
                </tr>
            </thead>
            <tbody>
                {endpoints
                    .into_iter()
                    .map(|e| {
                        let events = e
                            .event_types
                            .iter()
                            .map(|t| t.as_str())
                            .collect::<Vec<_>>()
                            .join(", ");
                        view! {
                            <tr data-testid="webhook-row">
                                <td data-label=t("webhooks-url")><code>{e.url.clone()}</code></td>
                                <td data-label=t("webhooks-events")>{events}</td>
                                <td data-label=t("integrations-created_at")>{format_time(e.created_at)}</td>
                                <td>
                                    <ActionForm action=delete>
                                        <input type="hidden" name="id" value=e.id.clone() />
                                        <button type="submit" class="danger small">
                                            {t("webhooks-delete")}
                                            <span class="visually-hidden">" " {e.url}</span>
                                        </button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn delivery_status(d: &Delivery) -> String {
    match d.status {
        DeliveryStatus::Delivered => t("webhooks-status-delivered"),
        DeliveryStatus::Failed => t("webhooks-status-failed"),
        DeliveryStatus::Pending if d.attempts == 0 => t("webhooks-status-waiting"),
        DeliveryStatus::Pending => t("webhooks-status-retrying"),
    }
}

#[component]
fn DeliveryTable(
    deliveries: Vec<Delivery>,
    redeliver: ServerAction<AdminRedeliverWebhook>,
) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p data-testid="no-deliveries">{t("webhooks-no_deliveries")}</p> }
            .into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{t("label-time")}</th>
                    <th scope="col">{t("webhooks-event")}</th>
                    <th scope="col">{t("webhooks-url")}</th>
                    <th scope="col">{t("integrations-status")}</th>
                    <th scope="col">{t("webhooks-attempts")}</th>
                </tr>
            </thead>
            <tbody>
                {deliveries
                    .into_iter()
                    .map(|d| {
                        let status = delivery_status(&d);
                        let attempts = d
                            .history
                            .iter()
                            .map(|a| {
                                let outcome = match (a.status, &a.error) {
                                    (Some(code), _) => format!("HTTP {code}"),
                                    (None, Some(error)) => error.clone(),
                                    (None, None) => String::new(),
                                };
                                view! { <li>{format_time(a.at)} " · " {outcome}</li> }
                            })
                            .collect_view();
                        let again = (d.status != DeliveryStatus::Pending).then(|| {
                            view! {
                                <ActionForm action=redeliver>
                                    <input type="hidden" name="id" value=d.id.clone() />
                                    <button type="submit" class="secondary small">{t("webhooks-redeliver")}</button>
                                </ActionForm>
                            }
                        });
                        view! {
                            <tr data-testid="delivery-row">
                                <td data-label=t("label-time")>{format_time(d.created_at)}</td>
                                <td data-label=t("webhooks-event")><code>{d.event_type.clone()}</code></td>
                                <td data-label=t("webhooks-url")><code>{d.url.clone()}</code></td>
                                <td data-label=t("integrations-status")>{status} {again}</td>
                                <td data-label=t("webhooks-attempts")><ul class="plain">{attempts}</ul></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
