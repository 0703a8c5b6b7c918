//! The management API under `/api/v1/manage`: a vendor's own systems (a web shop, a CRM) sell,
//! read and change licenses with a management key, through the console's services.
//!
//! Its OpenAPI document is generated from the handlers below and their types (utoipa): a route
//! is mounted only with its description, so the two cannot drift apart. Errors are the device
//! API's (`api::ApiError`), a missing or dead key one `invalid_key` answer.

use std::sync::Arc;

use app::state::AppState;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use licensing::access::Actor;
use licensing::error::{Field, InvalidReason};
use licensing::manage;
use licensing::AppError;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{bearer, json_bytes, ApiError, ClientIp, BODY_LIMIT};

mod licenses;
mod webhooks;

use licenses::*;
use webhooks::*;

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
