//! The management API's webhooks: endpoints registered, listed and deleted, deliveries listed
//! and sent again, through `licensing::webhooks`.

use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{json, ok, ErrorBody, Id, KeyActor};
use crate::api::{ApiError, ApiJson};

/// A webhook endpoint to register.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewEndpoint {
    /// `http` or `https`.
    #[schema(min_length = 1, max_length = 2000)]
    url: String,
    /// What the endpoint takes, e.g. `["device.activated", "license.suspended"]`.
    #[schema(min_items = 1)]
    event_types: Vec<String>,
}

/// What was deleted.
#[derive(Serialize, Deserialize, ToSchema)]
pub(super) struct Deleted {
    id: String,
}

/// Registers a webhook endpoint; its secret (which signs every delivery) is in this answer only.
#[utoipa::path(
    post, path = "/webhooks", tag = "webhooks",
    request_body = NewEndpoint,
    responses(
        (status = 201, body = licensing::webhooks::NewWebhookEndpoint),
        (status = 401, body = ErrorBody),
        (status = 422, description = "Not an http(s) address, or an unknown event type", body = ErrorBody),
    )
)]
pub(super) async fn create_webhook(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    ApiJson(body): ApiJson<NewEndpoint>,
) -> Result<Response, ApiError> {
    let made =
        licensing::webhooks::create_endpoint(&state.store, &actor, &body.url, &body.event_types)
            .await?;
    json(StatusCode::CREATED, &made)
}

/// The tenant's webhook endpoints (never their secrets).
#[utoipa::path(
    get, path = "/webhooks", tag = "webhooks",
    responses(
        (status = 200, body = Vec<licensing::webhooks::WebhookEndpoint>),
        (status = 401, body = ErrorBody),
    )
)]
pub(super) async fn list_webhooks(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
) -> Result<Response, ApiError> {
    ok(&licensing::webhooks::list_endpoints(&state.store, &actor.principal).await?)
}

/// Deletes a webhook endpoint: nothing more is sent to it.
#[utoipa::path(
    delete, path = "/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "The endpoint's id")),
    responses(
        (status = 200, body = Deleted),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
pub(super) async fn delete_webhook(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
) -> Result<Response, ApiError> {
    licensing::webhooks::delete_endpoint(&state.store, &actor, &id).await?;
    ok(&Deleted { id })
}

/// The tenant's newest webhook deliveries with each attempt's status and time.
#[utoipa::path(
    get, path = "/webhooks/deliveries", tag = "webhooks",
    responses(
        (status = 200, body = Vec<licensing::webhooks::Delivery>),
        (status = 401, body = ErrorBody),
    )
)]
pub(super) async fn list_deliveries(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
) -> Result<Response, ApiError> {
    ok(&licensing::webhooks::deliveries(&state.store, &actor.principal, 100).await?)
}

/// Sends a delivered or given-up delivery again (the same event id).
#[utoipa::path(
    post, path = "/webhooks/deliveries/{id}/redeliver", tag = "webhooks",
    params(("id" = String, Path, description = "The delivery's id")),
    responses(
        (status = 202, description = "Queued"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such delivery, or it is still pending", body = ErrorBody),
    )
)]
pub(super) async fn redeliver(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
) -> Result<Response, ApiError> {
    licensing::webhooks::redeliver(&state.store, &actor, &id).await?;
    json(StatusCode::ACCEPTED, &serde_json::json!({"queued": true}))
}
