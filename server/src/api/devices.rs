//! Device API handlers: the request and answer shapes of `/api/v1`, mapped onto
//! `licensing::devices` and `licensing::signing`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use licensing::auth::{Credentials, ThrottlePolicy};
use licensing::devices::{self, ActivationAuth, DeviceInfo, DeviceStatus, LicenseSummary};
use licensing::error::{Field, InvalidReason};
use licensing::licenses::{LicenseStatus, LicenseType};
use licensing::{now_millis, signing, Millis, Store};
use serde::{Deserialize, Serialize};

use super::activation::ActivationRequest;
use super::{signed, ApiError, ApiJson, ApiQuery, ClientIp, DeviceToken};

impl ActivationRequest {
    /// Which of the two ways to authenticate the body uses: exactly one of them.
    fn auth(&mut self) -> Result<ActivationAuth, ApiError> {
        let login_given = self.company.is_some() || self.email.is_some() || self.password.is_some();
        match self.license_key.take() {
            Some(_) if login_given => Err(ApiError::invalid(
                Field::LicenseKey,
                InvalidReason::KeyWithLogin,
            )),
            Some(key) => Ok(ActivationAuth::LicenseKey(key)),
            None if !login_given => Err(ApiError::invalid(
                Field::LicenseKey,
                InvalidReason::KeyOrLogin,
            )),
            None => {
                let take = |field: Field, value: &mut Option<String>| {
                    value
                        .take()
                        .ok_or_else(|| ApiError::invalid(field, InvalidReason::Required))
                };
                Ok(ActivationAuth::Credentials(Credentials {
                    company: take(Field::ApiCompany, &mut self.company)?,
                    email: take(Field::ApiEmail, &mut self.email)?,
                    password: take(Field::ApiPassword, &mut self.password)?,
                }))
            }
        }
    }
}

/// The license part of an answer.
#[derive(Debug, Serialize)]
struct LicenseBody {
    id: String,
    product: String,
    #[serde(rename = "type")]
    license_type: LicenseType,
    status: LicenseStatus,
    valid_until: Millis,
    max_activations: i64,
    devices_active: i64,
}

impl From<LicenseSummary> for LicenseBody {
    fn from(l: LicenseSummary) -> Self {
        Self {
            id: l.id,
            product: l.product,
            license_type: l.license_type,
            status: l.status,
            valid_until: l.valid_until,
            max_activations: l.max_activations,
            devices_active: l.devices_active,
        }
    }
}

/// The answer to an activation (with `device_token`) and to a check-in (without).
#[derive(Debug, Serialize)]
struct DeviceBody {
    device_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_token: Option<String>,
    hardware_id: String,
    device_name: String,
    /// Until when the app may run without checking in again: the license's end.
    valid_until: Millis,
    license: LicenseBody,
    /// When the server signed this answer, so an app can refuse an old one replayed.
    issued_at: Millis,
}

impl DeviceBody {
    fn new(status: DeviceStatus, token: Option<String>) -> Self {
        Self {
            device_id: status.device_id,
            device_token: token,
            hardware_id: status.hardware_id,
            device_name: status.device_name,
            valid_until: status.license.valid_until,
            license: status.license.into(),
            issued_at: now_millis(),
        }
    }
}

pub async fn activate(
    State(store): State<Store>,
    State(throttle): State<ThrottlePolicy>,
    ClientIp(ip): ClientIp,
    ApiJson(mut body): ApiJson<ActivationRequest>,
) -> Result<Response, ApiError> {
    let auth = body.auth()?;
    let target = devices::activation_target(&store, &auth, &ip, &throttle).await?;
    let device = DeviceInfo {
        hardware_id: &body.hardware_id,
        name: &body.device_name,
        os: &body.os,
    };
    let activation = devices::activate_device(&store, &target, &device, &ip)
        .await
        .map_err(|e| ApiError::from(e).for_license(&target.license_id))?;
    let status = if activation.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let tenant_id = activation.status.tenant_id.clone();
    let body = DeviceBody::new(activation.status, Some(activation.token));
    signed(&store, &tenant_id, status, &body).await
}

/// `GET /device`: the app's check-in.
pub async fn check_in(
    State(store): State<Store>,
    DeviceToken(token): DeviceToken,
) -> Result<Response, ApiError> {
    let status = devices::check_in(&store, &token).await?;
    let tenant_id = status.tenant_id.clone();
    signed(
        &store,
        &tenant_id,
        StatusCode::OK,
        &DeviceBody::new(status, None),
    )
    .await
}

#[derive(Debug, Serialize)]
struct DeactivationBody {
    device_id: String,
    deactivated: bool,
    deactivations_left: i64,
    issued_at: Millis,
}

/// `DELETE /device`: the app deactivates itself.
pub async fn deactivate(
    State(store): State<Store>,
    ClientIp(ip): ClientIp,
    DeviceToken(token): DeviceToken,
) -> Result<Response, ApiError> {
    let done = devices::deactivate_by_token(&store, &token, &ip).await?;
    let body = DeactivationBody {
        device_id: done.device_id,
        deactivated: true,
        deactivations_left: done.deactivations_left,
        issued_at: now_millis(),
    };
    signed(&store, &done.tenant_id, StatusCode::OK, &body).await
}

#[derive(Debug, Deserialize)]
pub struct PublicKeyQuery {
    company: Option<String>,
}

#[derive(Debug, Serialize)]
struct PublicKeyBody {
    company: String,
    algorithm: &'static str,
    key_id: String,
    public_key: String,
    public_key_pem: String,
}

/// `GET /public-key?company=ID`: the tenant's Ed25519 public key.
pub async fn public_key(
    State(store): State<Store>,
    ApiQuery(query): ApiQuery<PublicKeyQuery>,
) -> Result<Response, ApiError> {
    let company = query
        .company
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| ApiError::invalid(Field::ApiCompany, InvalidReason::Required))?;
    let (tenant_id, key) = signing::public_key_for_company(&store, &company).await?;
    let body = PublicKeyBody {
        company: company.trim().to_owned(),
        algorithm: "Ed25519",
        key_id: key.key_id,
        public_key: key.public_key,
        public_key_pem: key.public_key_pem,
    };
    signed(&store, &tenant_id, StatusCode::OK, &body).await
}
