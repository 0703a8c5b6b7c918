//! Offline activation: a machine without a connection gets a license file signed with the
//! tenant's key, made in the portal by a manager of an Offline Organisation license from the
//! activation request file the desktop app wrote.
//!
//! Both files are JSON. The request names the license (its key) and the machine; the license
//! file carries its payload as base64 of the exact bytes the Ed25519 signature covers, so an app
//! verifies it with nothing but the tenant's public key (`/api/v1/public-key`) and never depends
//! on how JSON is re-serialized. README.md ("Offline activation") documents both formats.

use serde::{Deserialize, Serialize};

use crate::licenses::LicenseType;
use crate::Millis;

#[cfg(feature = "server")]
pub use service::*;

/// The `format` of an activation request file, as the desktop app writes it.
pub const REQUEST_FORMAT: &str = "keyport-offline-request/1";
/// The `format` of a license file, as the portal hands it out.
pub const LICENSE_FORMAT: &str = "keyport-offline-license/1";
/// Largest request file accepted; a real one is a few hundred bytes.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// The activation request file the desktop app writes on a machine without a connection.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineRequest {
    /// Always [`REQUEST_FORMAT`].
    pub format: String,
    /// The license key the app was given (`KP-…`): which license the request is for.
    pub license_key: String,
    /// Stable id of the machine, computed by the app, as in an online activation.
    pub hardware_id: String,
    pub device_name: String,
    pub os: String,
}

impl std::fmt::Debug for OfflineRequest {
    /// The license key stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfflineRequest")
            .field("format", &self.format)
            .field("hardware_id", &self.hardware_id)
            .field("device_name", &self.device_name)
            .field("os", &self.os)
            .finish_non_exhaustive()
    }
}

/// The license file a manager downloads and copies to the offline machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflineLicenseFile {
    /// Always [`LICENSE_FORMAT`].
    pub format: String,
    /// Which tenant key signed it (`key_id` of `/api/v1/public-key`).
    pub key_id: String,
    /// Base64 (standard, padded) of the JSON bytes of an [`OfflineLicense`].
    pub payload: String,
    /// Base64 of the 64-byte Ed25519 signature of the decoded payload bytes.
    pub signature: String,
}

/// What a license file grants, signed: this license, on this machine, until `valid_until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflineLicense {
    /// The vendor's company ID, lower-case: the `company` of `/api/v1/public-key`.
    pub company: String,
    pub license_id: String,
    pub product: String,
    pub license_type: LicenseType,
    /// The machine's id as the request gave it (surrounding spaces removed): the app runs only
    /// where it computes the same id.
    pub hardware_id: String,
    pub device_name: String,
    /// The device on the license's Devices tab; resetting it frees the slot (the file cannot be
    /// recalled: it stays valid on that machine until `valid_until`).
    pub device_id: String,
    /// Milliseconds since the Unix epoch, UTC.
    pub issued_at: Millis,
    /// The end of the license's validity period, in milliseconds since the Unix epoch, UTC.
    pub valid_until: Millis,
}

impl OfflineLicense {
    /// The download's file name, `keyport-license-{hardware id}.json`, with only letters, digits,
    /// `-` and `_` of the hardware id, so any browser and file system accepts it.
    pub fn file_name(&self) -> String {
        let safe: String = self
            .hardware_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(48)
            .collect();
        if safe.is_empty() {
            "keyport-license.json".to_owned()
        } else {
            format!("keyport-license-{safe}.json")
        }
    }
}

/// A license file just made, with what it says and whether it took a new device slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineActivation {
    pub file: OfflineLicenseFile,
    /// The signed payload, decoded.
    pub license: OfflineLicense,
    /// False when the machine was already active on the license (no new slot was taken).
    pub created: bool,
}

#[cfg(feature = "server")]
mod service {
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine;

    use super::{
        OfflineActivation, OfflineLicense, OfflineLicenseFile, OfflineRequest, LICENSE_FORMAT,
        MAX_REQUEST_BYTES, REQUEST_FORMAT,
    };
    use crate::auth::Principal;
    use crate::devices::{self, ActivationTarget, DeviceInfo};
    use crate::error::{AppError, ConflictReason, Field, InvalidReason, Result};
    use crate::licenses::{self, LicenseType};
    use crate::store::Store;
    use crate::{now_millis, signing};

    /// Field name of errors about the request file as a whole.
    const REQUEST: Field = Field::ActivationRequest;

    /// Reads an activation request file: JSON of at most [`MAX_REQUEST_BYTES`], of this format,
    /// with no unknown field. The machine's fields are checked like an online activation's when
    /// it is activated.
    pub fn parse_request(bytes: &[u8]) -> Result<OfflineRequest> {
        if bytes.len() > MAX_REQUEST_BYTES {
            return Err(AppError::invalid(
                REQUEST,
                InvalidReason::RequestTooLarge {
                    kib: (MAX_REQUEST_BYTES / 1024) as i64,
                },
            ));
        }
        // Editors on Windows may add a byte order mark when a pasted request is saved.
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(AppError::invalid(
                Field::ActivationRequest,
                InvalidReason::RequestMissing,
            ));
        }
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|err| {
            AppError::invalid(
                REQUEST,
                InvalidReason::RequestNotJson {
                    detail: err.to_string(),
                },
            )
        })?;
        // Its texts name the machine's device, stored like an online activation's.
        crate::input::refuse_nul_in_json(&value)?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(REQUEST_FORMAT) => {}
            Some(other) => {
                return Err(AppError::invalid(
                    Field::RequestFormat,
                    InvalidReason::FormatUnsupported {
                        given: other.chars().take(64).collect(),
                        expected: REQUEST_FORMAT.to_owned(),
                    },
                ))
            }
            None => {
                return Err(AppError::invalid(
                    REQUEST,
                    InvalidReason::RequestNoFormat {
                        expected: REQUEST_FORMAT.to_owned(),
                    },
                ))
            }
        }
        serde_json::from_value(value).map_err(|err| {
            AppError::invalid(
                REQUEST,
                InvalidReason::RequestUnreadable {
                    detail: err.to_string(),
                },
            )
        })
    }

    /// Offline activation: a manager turns a request file into a license file for the machine.
    ///
    /// Only a manager of the license (a vendor admin of its tenant counts as one): a license user
    /// is `Forbidden`, a license of another customer or tenant `NotFound`. Only for an Offline
    /// Organisation license (`Conflict` otherwise), and only for a request made with this
    /// license's current key (`Invalid` on `license_key` otherwise). The machine takes a device
    /// slot exactly like an online activation ([`devices::activate_offline`]): none when it is
    /// already active, `TooManyDevices` when the license is full, `LicenseInactive` when it is
    /// expired or suspended; a refusal writes nothing but the `device.limit_refused` log line.
    /// The file is valid until the license's validity period ends.
    pub async fn activate(
        store: &Store,
        who: &Principal,
        license_id: &str,
        request: &[u8],
        ip: &str,
    ) -> Result<OfflineActivation> {
        let (tenant_id, company) = {
            let mut conn = store.conn().await?;
            crate::access::manager(&mut conn, who, license_id).await?;
            let license = crate::licenses::license_row(&mut conn, license_id).await?;
            let license_type =
                LicenseType::parse(&license.license_type).ok_or(AppError::Internal)?;
            if license_type != LicenseType::OfflineOrganisation {
                return Err(AppError::conflict(ConflictReason::OfflineOnly {
                    license_type,
                }));
            }
            let company = crate::store::licenses::company_key(&mut conn, license_id).await?;
            (license.tenant_id, company)
        };
        let request = parse_request(request)?;
        if request.license_key.trim().is_empty() {
            return Err(AppError::invalid(
                Field::LicenseKey,
                InvalidReason::Required,
            ));
        }
        match licenses::license_for_key(store, &request.license_key).await? {
            Some((id, _)) if id == license_id => {}
            _ => {
                return Err(AppError::invalid(
                    Field::LicenseKey,
                    InvalidReason::OtherLicense,
                ))
            }
        }
        // Loaded (or made) before the slot is taken: a key that cannot be read leaves the license
        // as it was.
        let key = signing::tenant_key(store, &tenant_id).await?;
        let target = ActivationTarget {
            tenant_id,
            license_id: license_id.to_owned(),
            account_id: Some(who.account_id.clone()),
        };
        let device = DeviceInfo {
            hardware_id: &request.hardware_id,
            name: &request.device_name,
            os: &request.os,
        };
        let (activation, status) = devices::activate_offline(store, &target, &device, ip).await?;
        let license = OfflineLicense {
            company,
            license_id: status.license.id,
            product: status.license.product,
            license_type: status.license.license_type,
            hardware_id: status.hardware_id,
            device_name: status.device_name,
            device_id: activation.device_id,
            issued_at: now_millis(),
            valid_until: status.license.valid_until,
        };
        let payload = serde_json::to_vec(&license).map_err(|err| {
            tracing::error!(error = %err, "cannot serialize an offline license");
            AppError::Internal
        })?;
        let file = OfflineLicenseFile {
            format: LICENSE_FORMAT.to_owned(),
            key_id: key.key_id(),
            signature: key.sign(&payload),
            payload: BASE64.encode(&payload),
        };
        Ok(OfflineActivation {
            file,
            license,
            created: activation.created,
        })
    }
}
