//! The LicenseSpring-compatible client API under `/api/v4`: what an app built on LicenseSpring's
//! SDK calls (`shared/licensespring-v4.md` is the contract), on the same licenses, devices,
//! limits and audit log as `/api/v1`.
//!
//! Handlers only translate: headers and fields in, `licensing::licensespring::flows` called, the
//! answer serialised once and signed over those exact bytes (the SDK verifies `LicenseSignature`
//! against the body it received). Every refusal is the contract's JSON error, never HTML and
//! never a redirect: the SDK reads any other shape as "offline".

use std::collections::HashMap;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{
    DefaultBodyLimit, FromRef, FromRequest, FromRequestParts, Query, Request, State,
};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use licensing::auth::ThrottlePolicy;
use licensing::licensespring::flows::{self, LicenseRequest, Machine, Via};
use licensing::licensespring::offline::{self, OfflineRequest, RequestKind};
use licensing::licensespring::{authenticate, Authenticated, RequestAuth, V4Error};
use licensing::Store;
use serde::Serialize;
use serde_json::Value;

use crate::api::{json_bytes, ClientIp};

/// Largest request body read; an activation is well under 1 KiB.
pub const BODY_LIMIT: usize = 16 * 1024;

/// The response header the SDK verifies: base64 RSA PKCS#1 v1.5 SHA-256 over the body bytes.
pub const SIGNATURE_HEADER: &str = "licensesignature";

/// The LicenseSpring endpoints Keyport serves, each behind the request authentication.
pub const SUPPORTED: [&str; 6] = [
    "/activate_license",
    "/check_license",
    "/deactivate_license",
    "/product_details",
    "/activate_offline",
    "/deactivate_offline",
];

/// LicenseSpring endpoints Keyport does not offer yet: each answers `not_supported` (after the
/// request proved its API key), so an app sees a refusal it can show rather than an outage.
pub const NOT_SUPPORTED: &[&str] = &[
    "/trial_key",
    "/add_consumption",
    "/add_feature_consumption",
    "/check_license_feature",
    "/floating/borrow",
    "/floating/release",
    "/floating/feature_borrow",
    "/floating/feature_release",
    "/track_device_variables",
    "/get_device_variables",
    "/change_password",
    "/versions",
    "/installation_file",
    "/user_licenses",
    "/customer_license_users",
    "/sso_url",
    "/oauth_url",
    "/activate_bundle",
    "/check_bundle",
    "/deactivate_bundle",
];

/// The routes, to be nested under `/api/v4`.
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Store: FromRef<S>,
    ThrottlePolicy: FromRef<S>,
{
    let [activate_path, check_path, deactivate_path, product_path, offline_path, offline_back_path] =
        SUPPORTED;
    let mut router = Router::new()
        .route("/", get(online))
        .route("/openapi.json", get(openapi))
        .route(activate_path, post(activate))
        .route(check_path, get(check))
        .route(deactivate_path, post(deactivate))
        .route(product_path, get(product_details))
        .route(offline_path, post(activate_offline))
        .route(offline_back_path, post(deactivate_offline));
    for path in NOT_SUPPORTED {
        router = router.route(path, any(not_supported));
    }
    router
        .fallback(|| async { Refusal(V4Error::NoSuchEndpoint).into_response() })
        .method_not_allowed_fallback(|| async {
            Refusal(V4Error::MethodNotAllowed).into_response()
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// An `/api/v4` refusal as the SDK reads it: `{"status", "code", "message"}` with that status.
pub struct Refusal(pub V4Error);

impl From<V4Error> for Refusal {
    fn from(err: V4Error) -> Self {
        Self(err)
    }
}

impl From<licensing::AppError> for Refusal {
    fn from(err: licensing::AppError) -> Self {
        Self(err.into())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = self.0.body();
        if body.status >= 500 {
            tracing::error!(error = %self.0, "an /api/v4 call failed");
        }
        let status = StatusCode::from_u16(body.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        json_bytes(status, bytes)
    }
}

/// A request that proved it holds a tenant's shared key (section 2 of the contract). Every
/// endpoint but `GET /` takes it first, so nothing is read for a caller that has not.
pub struct Client(pub Authenticated);

impl<S> FromRequestParts<S> for Client
where
    S: Send + Sync,
    Store: FromRef<S>,
{
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let header_text = |name: header::HeaderName| -> Result<Option<&str>, Refusal> {
            parts
                .headers
                .get(name)
                .map(|v| v.to_str().map_err(|_| Refusal(V4Error::InvalidHeaders)))
                .transpose()
        };
        let request = RequestAuth {
            authorization: header_text(header::AUTHORIZATION)?,
            date: header_text(header::DATE)?,
        };
        let store = Store::from_ref(state);
        Ok(Self(
            authenticate(&store, request, SystemTime::now()).await?,
        ))
    }
}

/// The request body up to [`BODY_LIMIT`]; past it, or unreadable, the contract's JSON error
/// rather than axum's plain-text refusal.
pub struct Body(Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state)
            .await
            .map(Self)
            .map_err(|rejection| {
                Refusal(if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    V4Error::BodyTooLarge
                } else {
                    V4Error::UnreadableBody
                })
            })
    }
}

/// The request's fields, from the query string of a GET or the JSON object of a POST: strings as
/// sent, numbers and booleans as their JSON text (the SDK sends `license_id` as a number in a
/// body and as a string in a query).
pub struct Fields(HashMap<String, String>);

impl Fields {
    fn from_query(uri: &Uri) -> Result<Self, Refusal> {
        let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map_err(|_| Refusal(V4Error::UnreadableBody))?;
        Self::checked(pairs.into_iter())
    }

    fn from_json(bytes: &[u8]) -> Result<Self, Refusal> {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(bytes) else {
            return Err(Refusal(V4Error::UnreadableBody));
        };
        Self::checked(map.into_iter().filter_map(|(name, value)| {
            let text = match value {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                // Objects (`variables`), arrays and nulls carry nothing these endpoints read.
                _ => return None,
            };
            Some((name, text))
        }))
    }

    /// Text with a NUL is refused whole: Postgres cannot store it, and no SDK sends one.
    fn checked(pairs: impl Iterator<Item = (String, String)>) -> Result<Self, Refusal> {
        let mut fields = HashMap::new();
        for (name, value) in pairs {
            if name.contains('\0') || value.contains('\0') {
                return Err(Refusal(V4Error::UnreadableBody));
            }
            fields.insert(name, value);
        }
        Ok(Self(fields))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    fn license_request(&self) -> LicenseRequest<'_> {
        LicenseRequest {
            product: self.get("product").unwrap_or_default(),
            hardware_id: self.get("hardware_id").unwrap_or_default(),
            license_key: self.get("license_key"),
            username: self.get("username"),
            password: self.get("password"),
            license_id: self.get("license_id"),
        }
    }
}

/// Serialises `body` once, signs those bytes with the tenant's RSA key and sends them as they
/// are: the SDK verifies the signature over the body it received.
fn signed<T: Serialize>(client: &Authenticated, body: &T) -> Result<Response, Refusal> {
    let bytes = serde_json::to_vec(body).map_err(|err| {
        tracing::error!(error = %err, "cannot serialise an /api/v4 answer");
        Refusal(licensing::AppError::Internal.into())
    })?;
    let signature = client.credentials.sign(&bytes);
    let mut response = json_bytes(StatusCode::OK, bytes);
    // Base64 is always a valid header value.
    if let Ok(value) = HeaderValue::from_str(&signature) {
        response.headers_mut().insert(SIGNATURE_HEADER, value);
    }
    Ok(response)
}

/// The hand-written OpenAPI 3.0 description, served as is (no credentials needed to read it).
const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> Response {
    json_bytes(StatusCode::OK, OPENAPI.as_bytes().to_vec())
}

/// `GET /api/v4/`: answers 200, so a reachability check through the API prefix succeeds.
async fn online() -> Response {
    json_bytes(StatusCode::OK, br#"{"status":"ok"}"#.to_vec())
}

async fn activate(
    State(store): State<Store>,
    State(throttle): State<ThrottlePolicy>,
    ClientIp(ip): ClientIp,
    Client(client): Client,
    Body(body): Body,
) -> Result<Response, Refusal> {
    let fields = Fields::from_json(&body)?;
    let machine = Machine {
        hostname: fields.get("hostname").unwrap_or_default(),
        os_ver: fields.get("os_ver").unwrap_or_default(),
    };
    let answer = flows::activate(
        &store,
        client.tenant_id(),
        &fields.license_request(),
        &machine,
        &ip,
        &throttle,
        Via::App,
    )
    .await?;
    signed(&client, &answer.object())
}

async fn check(
    State(store): State<Store>,
    Client(client): Client,
    uri: Uri,
) -> Result<Response, Refusal> {
    let fields = Fields::from_query(&uri)?;
    let answer = flows::check(&store, client.tenant_id(), &fields.license_request()).await?;
    signed(&client, &answer.object())
}

async fn deactivate(
    State(store): State<Store>,
    ClientIp(ip): ClientIp,
    Client(client): Client,
    Body(body): Body,
) -> Result<Response, Refusal> {
    let fields = Fields::from_json(&body)?;
    flows::deactivate(&store, client.tenant_id(), &fields.license_request(), &ip).await?;
    // The SDK reads nothing from a deactivation's answer.
    Ok(json_bytes(StatusCode::OK, b"{}".to_vec()))
}

#[derive(Serialize)]
struct ProductBody<'a> {
    product_name: &'a str,
    short_code: &'a str,
    authorization_method: &'static str,
    allow_trial: bool,
    trial_days: i64,
    allow_overages: bool,
    max_overages: i64,
    prevent_vm: bool,
    floating_timeout: Option<i64>,
    metadata: serde_json::Map<String, Value>,
    custom_fields: Vec<Value>,
}

async fn product_details(
    State(store): State<Store>,
    Client(client): Client,
    uri: Uri,
) -> Result<Response, Refusal> {
    let fields = Fields::from_query(&uri)?;
    let product = flows::product(
        &store,
        client.tenant_id(),
        fields.get("product").unwrap_or_default(),
    )
    .await?;
    signed(
        &client,
        &ProductBody {
            product_name: &product.name,
            short_code: &product.short_code,
            // Keyport licenses answer to a key and to their users' logins alike.
            authorization_method: "license-key",
            allow_trial: false,
            trial_days: 0,
            allow_overages: false,
            max_overages: 0,
            prevent_vm: false,
            floating_timeout: None,
            metadata: serde_json::Map::new(),
            custom_fields: Vec::new(),
        },
    )
}

/// `activate_offline`: the body is the request file the SDK wrote (base64 text); the answer is the
/// license file's JSON, which the SDK verifies itself (`license_signature_v2`).
async fn activate_offline(
    State(store): State<Store>,
    State(throttle): State<ThrottlePolicy>,
    ClientIp(ip): ClientIp,
    Client(client): Client,
    Body(body): Body,
) -> Result<Response, Refusal> {
    let request = OfflineRequest::open(&client.credentials, &body, RequestKind::Activation)?;
    let answer = flows::activate(
        &store,
        client.tenant_id(),
        &request.license_request(),
        &request.machine(),
        &ip,
        &throttle,
        Via::OfflineFile,
    )
    .await?;
    let file = offline::license_file(&client.credentials, &answer, request.request_id())?;
    Ok(json_bytes(StatusCode::OK, file))
}

/// `deactivate_offline`: a machine without a connection gives its slot back with a request file.
async fn deactivate_offline(
    State(store): State<Store>,
    ClientIp(ip): ClientIp,
    Client(client): Client,
    Body(body): Body,
) -> Result<Response, Refusal> {
    let request = OfflineRequest::open(&client.credentials, &body, RequestKind::Deactivation)?;
    flows::deactivate(&store, client.tenant_id(), &request.license_request(), &ip).await?;
    Ok(json_bytes(StatusCode::OK, b"{}".to_vec()))
}

async fn not_supported(_: Client, _: HeaderMap) -> Response {
    Refusal(V4Error::NotSupported).into_response()
}
