//! The management API's sales and licenses: orders, customers, licenses and their devices, and
//! the tenant's log; each handler translates one request into one `licensing::manage` call.

use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{json, ok, ErrorBody, Id, KeyActor};
use crate::api::{ApiError, ApiJson, ApiQuery};
use licensing::mail::Portal;
use licensing::manage::{self, api, Placed};

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
pub(super) async fn place_order(
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
pub(super) async fn list_customers(
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
pub(super) async fn get_customer(
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
pub(super) async fn list_licenses(
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
pub(super) async fn get_license(
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
pub(super) async fn change_license(
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
pub(super) async fn license_devices(
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
pub(super) async fn suspend_license(
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
pub(super) async fn resume_license(
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
pub(super) async fn reset_deactivations(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    Id(id): Id,
    ApiJson(body): ApiJson<api::Reason>,
) -> Result<Response, ApiError> {
    ok(&manage::reset_deactivations(&state.store, &actor, &id, &body.reason).await?)
}

/// What removing a device did.
#[derive(Serialize, Deserialize, ToSchema)]
pub(super) struct Removed {
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
pub(super) async fn remove_device(
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
pub(super) async fn list_events(
    State(state): State<AppState>,
    KeyActor(actor): KeyActor,
    ApiQuery(query): ApiQuery<api::EventQuery>,
) -> Result<Response, ApiError> {
    ok(&manage::events(&state.store, &actor.principal, &query).await?)
}
