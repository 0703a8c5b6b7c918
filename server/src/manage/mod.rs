//! The management API under `/api/v1/manage`: a vendor's own systems (a web shop, a CRM) sell,
//! read and change licenses with a management key, through the console's services.
//!
//! Its OpenAPI document is generated from the handlers below and their types (utoipa): a route
//! is mounted only with its description, so the two cannot drift apart. Errors are the device
//! API's (`api::ApiError`), a missing or dead key one `invalid_key` answer.

use std::sync::Arc;

use app::state::AppState;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use licensing::access::Actor;
use licensing::error::{Field, InvalidReason};
use licensing::mail::Portal;
use licensing::manage::{self, api, Placed};
use licensing::AppError;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{bearer, json_bytes, ApiError, ApiJson, ApiQuery, ClientIp, BODY_LIMIT};

/// Where the API is nested; its document's server, so clients and schemathesis find it.
pub const BASE: &str = "/api/v1/manage";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Keyport management API",
        version = "1",
        description = "Sell, read and change licenses from the vendor's own systems. Every request \
            carries `Authorization: Bearer <management key>`; a vendor admin makes keys in the \
            console (API keys) or with `keyport api-key create`. A key acts for its tenant only, \
            and every change is one event of the tenant's audit log, by \"API key NAME\"."
    ),
    servers((url = "/api/v1/manage")),
    modifiers(&KeyScheme),
    security(("management_key" = [])),
    components(schemas(ErrorBody))
)]
struct ManageDoc;

/// The bearer scheme every operation requires.
struct KeyScheme;

impl Modify for KeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "management_key",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// Every error answer: the device API's body.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
struct ErrorBody {
    /// What went wrong, for programs: `invalid_key`, `invalid_request`, `not_found`,
    /// `conflict`, `seat_limit_reached`, ...
    error: String,
    /// What went wrong and what to do, in English.
    message: String,
    /// The request's field at fault, for `invalid_request`.
    field: Option<String>,
}

/// The routes, nested under [`BASE`].
pub fn router() -> Router<AppState> {
    let (router, doc) = OpenApiRouter::with_openapi(ManageDoc::openapi())
        .routes(routes!(place_order))
        .routes(routes!(list_customers))
        .routes(routes!(get_customer))
        .routes(routes!(list_licenses))
        .routes(routes!(get_license, change_license))
        .routes(routes!(license_devices))
        .routes(routes!(suspend_license))
        .routes(routes!(resume_license))
        .routes(routes!(reset_deactivations))
        .routes(routes!(remove_device))
        .routes(routes!(list_events))
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(delete_webhook))
        .routes(routes!(list_deliveries))
        .routes(routes!(redeliver))
        .split_for_parts();
    let doc: Arc<str> = doc.to_json().unwrap_or_default().into();
    router
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        doc.to_string(),
                    )
                }
            }),
        )
        .fallback(|| async { ApiError::NoSuchEndpoint })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// The management key of the request, as the actor the services see: its tenant's "API key
/// NAME", from the client's address.
pub struct KeyActor(pub Actor);

impl FromRequestParts<AppState> for KeyActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let key = bearer(parts).ok_or(ApiError::InvalidKey)?;
        let holder =
            manage::authenticate_key(&state.store, key)
                .await
                .map_err(|error| match error {
                    AppError::Unauthenticated => ApiError::InvalidKey,
                    other => other.into(),
                })?;
        let ClientIp(ip) = ClientIp::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|e| match e {});
        Ok(Self(Actor::new(holder.principal, ip)))
    }
}

/// An id of the path; one holding a NUL character is refused (no database stores it).
pub struct Id(pub String);

impl FromRequestParts<AppState> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unreadable = || ApiError::invalid(Field::Input("id".into()), InvalidReason::Unreadable);
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| unreadable())?;
        if id.contains('\0') {
            return Err(unreadable());
        }
        Ok(Self(id))
    }
}

fn json<T: Serialize>(status: StatusCode, body: &T) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(|err| {
        tracing::error!(error = %err, "cannot serialize a management API answer");
        AppError::Internal
    })?;
    Ok(json_bytes(status, bytes))
}

fn ok<T: Serialize>(body: &T) -> Result<Response, ApiError> {
    json(StatusCode::OK, body)
}

/// Places an order: finds or creates the customer (by `external_id`) and the owner, and sells
/// the license as the console does (the customer's license for the product is raised if they
/// have one). The same `order_id` sells once: sent again, or many times at once, it answers the
/// first answer without the key (200); with a different body it is 409.
#[utoipa::path(
    post, path = "/orders", tag = "orders",
    request_body = api::Order,
    responses(
        (status = 201, description = "Sold; a new license's key is in this answer only", body = api::OrderAnswer),
        (status = 200, description = "This order was sold before", body = api::OrderAnswer),
        (status = 422, description = "A field is missing or out of bounds", body = ErrorBody),
        (status = 401, description = "No live management key", body = ErrorBody),
        (status = 409, description = "The order id was used with another order, or the owner belongs to another customer", body = ErrorBody),
    )
)]
async fn place_order(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    ApiJson(order): ApiJson<api::Order>,
) -> Result<Response, ApiError> {
    let portal = Portal::new(&state.public_url);
    let (placed, answer) = manage::place_order(&state.store, &actor, &order, &portal).await?;
    let status = match placed {
        Placed::New => StatusCode::CREATED,
        Placed::Repeat => StatusCode::OK,
    };
    json(status, &answer)
}

/// The tenant's customers, in the order they were made.
#[utoipa::path(
    get, path = "/customers", tag = "customers",
    params(api::CustomerQuery),
    responses(
        (status = 200, body = api::Page<api::Customer>),
        (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody),
    )
)]
async fn list_customers(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    ApiQuery(query): ApiQuery<api::CustomerQuery>,
) -> Result<Response, ApiError> {
    ok(&manage::customers(&state.store, &actor.principal, &query).await?)
}

/// One customer with its people.
#[utoipa::path(
    get, path = "/customers/{id}", tag = "customers",
    params(("id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, body = api::CustomerDetail),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such customer in the key's tenant", body = ErrorBody),
    )
)]
async fn get_customer(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
) -> Result<Response, ApiError> {
    ok(&manage::customer(&state.store, &actor.principal, &id).await?)
}

/// The tenant's licenses, or one customer's.
#[utoipa::path(
    get, path = "/licenses", tag = "licenses",
    params(api::LicenseQuery),
    responses(
        (status = 200, body = api::Page<api::License>),
        (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such customer in the key's tenant", body = ErrorBody),
    )
)]
async fn list_licenses(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    ApiQuery(query): ApiQuery<api::LicenseQuery>,
) -> Result<Response, ApiError> {
    ok(&manage::licenses(&state.store, &actor.principal, &query).await?)
}

/// One license: limits, use, status and validity.
#[utoipa::path(
    get, path = "/licenses/{id}", tag = "licenses",
    params(("id" = String, Path, description = "The license's id")),
    responses(
        (status = 200, body = api::License),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
async fn get_license(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
) -> Result<Response, ApiError> {
    ok(&manage::license(&state.store, &actor.principal, &id).await?)
}

/// Changes a license's limits or validity; what is left out stays. Refused below what is in use.
#[utoipa::path(
    patch, path = "/licenses/{id}", tag = "licenses",
    params(("id" = String, Path, description = "The license's id")),
    request_body = api::LicenseChange,
    responses(
        (status = 200, body = api::License),
        (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "A limit below what is in use", body = ErrorBody),
    )
)]
async fn change_license(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
    ApiJson(change): ApiJson<api::LicenseChange>,
) -> Result<Response, ApiError> {
    ok(&manage::change_license(&state.store, &actor, &id, &change).await?)
}

/// The license's active devices.
#[utoipa::path(
    get, path = "/licenses/{id}/devices", tag = "licenses",
    params(("id" = String, Path, description = "The license's id")),
    responses(
        (status = 200, body = Vec<api::Device>),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
async fn license_devices(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
) -> Result<Response, ApiError> {
    ok(&manage::devices(&state.store, &actor, &id).await?)
}

/// Suspends a license: its devices are refused until it is resumed.
#[utoipa::path(
    post, path = "/licenses/{id}/suspend", tag = "licenses",
    params(("id" = String, Path, description = "The license's id")),
    responses(
        (status = 200, body = api::License),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already suspended", body = ErrorBody),
    )
)]
async fn suspend_license(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
) -> Result<Response, ApiError> {
    ok(&manage::set_suspended(&state.store, &actor, &id, true).await?)
}

/// Resumes a suspended license.
#[utoipa::path(
    post, path = "/licenses/{id}/resume", tag = "licenses",
    params(("id" = String, Path, description = "The license's id")),
    responses(
        (status = 200, body = api::License),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not suspended", body = ErrorBody),
    )
)]
async fn resume_license(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
) -> Result<Response, ApiError> {
    ok(&manage::set_suspended(&state.store, &actor, &id, false).await?)
}

/// Lifts the deactivation limit: every deactivation is available again. The reason is kept in
/// the audit log.
#[utoipa::path(
    post, path = "/licenses/{id}/reset-deactivations", tag = "licenses",
    params(("id" = String, Path, description = "The license's id")),
    request_body = api::Reason,
    responses(
        (status = 200, body = api::License),
        (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
async fn reset_deactivations(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
    ApiJson(body): ApiJson<api::Reason>,
) -> Result<Response, ApiError> {
    ok(&manage::reset_deactivations(&state.store, &actor, &id, &body.reason).await?)
}

/// What removing a device did.
#[derive(Serialize, Deserialize, ToSchema)]
struct Removed {
    id: String,
    name: String,
}

/// Ends a device's activation, as vendor support does: no deactivation of the customer's
/// budget is used.
#[utoipa::path(
    delete, path = "/devices/{id}", tag = "devices",
    params(("id" = String, Path, description = "The device's id")),
    responses(
        (status = 200, body = Removed),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such active device in the key's tenant", body = ErrorBody),
    )
)]
async fn remove_device(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let name = licensing::devices::remove_by_vendor(&state.store, &actor, &id).await?;
    ok(&Removed { id, name })
}

/// The tenant's audit log, newest first.
#[utoipa::path(
    get, path = "/events", tag = "events",
    params(api::EventQuery),
    responses(
        (status = 200, body = api::Page<api::AuditEvent>),
        (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody),
    )
)]
async fn list_events(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    ApiQuery(query): ApiQuery<api::EventQuery>,
) -> Result<Response, ApiError> {
    ok(&manage::events(&state.store, &actor.principal, &query).await?)
}

/// A webhook endpoint to register.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewEndpoint {
    /// `http` or `https`.
    #[schema(min_length = 1, max_length = 2000)]
    url: String,
    /// What the endpoint takes, e.g. `["device.activated", "license.suspended"]`.
    #[schema(min_items = 1)]
    event_types: Vec<String>,
}

/// What was deleted.
#[derive(Serialize, Deserialize, ToSchema)]
struct Deleted {
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
async fn create_webhook(
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
async fn list_webhooks(
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
async fn delete_webhook(
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
async fn list_deliveries(
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
async fn redeliver(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
) -> Result<Response, ApiError> {
    licensing::webhooks::redeliver(&state.store, &actor, &id).await?;
    json(StatusCode::ACCEPTED, &serde_json::json!({"queued": true}))
}
