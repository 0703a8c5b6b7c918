//! Each tenant's credentials for the LicenseSpring-compatible API: the API key (public, names
//! the tenant), the shared key (the HMAC key the app is built with; rotatable) and the RSA key
//! pair whose signatures the SDK checks. Made on first use and kept in the database
//! (`licensespring_credentials`), so every server process authenticates and signs alike.
//!
//! RSA because the SDK verifies nothing else (PKCS#1 v1.5 over SHA-256); the tenant's Ed25519 key
//! (`signing`) stays for `/api/v1`. The private key and the shared key never leave this module
//! except into the database and, for the shared key, to the vendor who configures the app.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::RsaPrivateKey;
use sha2::Sha256;

use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::Principal;
use crate::error::{AppError, Result};
use crate::now_millis;
use crate::secret::random_token;
use crate::store::licensespring::{self as rows, CredentialsRow};
use crate::store::{new_id, Store, Tx};

/// The modulus size of new keys: the contract's minimum (LicenseSpring itself uses 4096), which
/// every SDK verifies and which keeps signing cheap.
pub const RSA_BITS: usize = 2048;

/// A tenant's credentials, loaded for one request. `Debug` leaves the secrets out.
#[derive(Clone)]
pub struct TenantCredentials {
    tenant_id: String,
    api_key: String,
    shared_key: String,
    signer: SigningKey<Sha256>,
    public_key_pem: String,
}

impl std::fmt::Debug for TenantCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantCredentials")
            .field("tenant_id", &self.tenant_id)
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

impl TenantCredentials {
    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The HMAC key, for checking a request and for showing to the tenant's vendor admins.
    pub fn shared_key(&self) -> &str {
        &self.shared_key
    }

    /// The `LicenseSignature` header of a response: base64 of the PKCS#1 v1.5 SHA-256 signature
    /// over exactly these body bytes (sign what is sent; never re-serialise after signing).
    pub fn sign(&self, body: &[u8]) -> String {
        BASE64.encode(self.signer.sign(body).to_bytes())
    }

    /// The public key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), what the app's
    /// `SignatureVerifier.PUBLIC_KEY` holds.
    pub fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }
}

/// The tenant's credentials, made on first use (and logged as
/// `signing_key.licensespring_created`, naming the API key). Concurrent first uses, in one
/// process or several, agree on one set: the first insert wins and everyone reads it back.
pub async fn for_tenant(store: &Store, tenant_id: &str) -> Result<TenantCredentials> {
    if let Some(found) = load_tenant(store, tenant_id).await? {
        return Ok(found);
    }
    let row = fresh_row(tenant_id.to_owned()).await?;
    let mut tx = store.begin().await?;
    // The insert and its audit event commit together, or neither does.
    if rows::insert(&mut tx, &row).await? {
        let action = AuditAction::LicensespringCredentialsCreated;
        record(&mut tx, tenant_id, &row.api_key, action, None).await?;
    }
    tx.commit().await?;
    load_tenant(store, tenant_id)
        .await?
        .ok_or(AppError::Internal)
}

/// What an app built on LicenseSpring's SDK is configured with to talk to this tenant: its
/// `Configuration(api_key=, shared_key=, product=)` and its `SignatureVerifier.PUBLIC_KEY`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClientConfig {
    pub api_key: String,
    pub shared_key: String,
    /// The short codes of the tenant's products, one of which the app sends as `product`.
    pub products: Vec<String>,
    pub public_key_pem: String,
}

/// The [`ClientConfig`] of the tenant a company ID names (case-insensitive, as at login), its
/// credentials made if it had none: for the vendor who builds the app, never for its customers.
pub async fn client_config(store: &Store, company: &str) -> Result<ClientConfig> {
    let tenant_id = crate::tenants::by_company(store, company).await?;
    config_of(store, &tenant_id).await
}

/// The [`ClientConfig`] of the caller's own tenant, for the vendor console: vendor staff only (a
/// customer is `Forbidden` before anything is read or made), and never another tenant's.
pub async fn for_vendor(store: &Store, who: &Principal) -> Result<ClientConfig> {
    let vendor = access::vendor_admin(who)?;
    config_of(store, &vendor.tenant_id).await
}

async fn config_of(store: &Store, tenant_id: &str) -> Result<ClientConfig> {
    let credentials = for_tenant(store, tenant_id).await?;
    let products = crate::products::list(store, tenant_id).await?;
    Ok(ClientConfig {
        api_key: credentials.api_key,
        shared_key: credentials.shared_key,
        products: products.into_iter().map(|p| p.short_code).collect(),
        public_key_pem: credentials.public_key_pem,
    })
}

/// The credentials a request's API key names, whichever tenant holds them; `None` when none
/// does.
pub async fn by_api_key(store: &Store, api_key: &str) -> Result<Option<TenantCredentials>> {
    let row = {
        let mut conn = store.conn().await?;
        rows::by_api_key(&mut conn, api_key).await?
    };
    row.map(decode).transpose()
}

/// Gives the caller's tenant a new shared key (the old one stops working at once), logged as
/// `signing_key.licensespring_rotated`; the API key and the RSA key pair stay, so apps need a new
/// shared key only. Vendor staff only.
pub async fn rotate_shared_key(store: &Store, actor: &Actor) -> Result<TenantCredentials> {
    let vendor = access::vendor_admin(&actor.principal)?;
    // Made first, so there is a row to rotate.
    let current = for_tenant(store, &vendor.tenant_id).await?;
    let mut tx = store.begin().await?;
    rows::set_shared_key(&mut tx, &vendor.tenant_id, &random_token(), now_millis()).await?;
    let action = AuditAction::LicensespringSharedKeyRotated;
    record(
        &mut tx,
        &vendor.tenant_id,
        current.api_key(),
        action,
        Some(actor),
    )
    .await?;
    tx.commit().await?;
    load_tenant(store, &vendor.tenant_id)
        .await?
        .ok_or(AppError::Internal)
}

/// Logs a change to a tenant's credentials, naming them by their API key (never a secret).
async fn record(
    tx: &mut Tx,
    tenant_id: &str,
    api_key: &str,
    action: AuditAction,
    actor: Option<&Actor>,
) -> Result<()> {
    audit::record(
        tx,
        Event {
            tenant_id,
            license_id: None,
            actor_id: actor.map(|a| a.principal.account_id.as_str()),
            action,
            subject: AuditSubject::SigningKey {
                key_id: api_key.to_owned(),
            },
            ip: actor.map(|a| a.ip.as_str()),
        },
    )
    .await
}

async fn load_tenant(store: &Store, tenant_id: &str) -> Result<Option<TenantCredentials>> {
    let row = {
        let mut conn = store.conn().await?;
        rows::by_tenant(&mut conn, tenant_id).await?
    };
    row.map(decode).transpose()
}

/// New credentials for a tenant. The RSA key takes a noticeable moment to find, so it is made
/// off the async workers.
async fn fresh_row(tenant_id: String) -> Result<CredentialsRow> {
    let key = tokio::task::spawn_blocking(|| RsaPrivateKey::new(&mut rand::rngs::OsRng, RSA_BITS))
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "RSA key generation did not finish");
            AppError::Internal
        })?
        .map_err(|err| {
            tracing::error!(error = %err, "RSA key generation failed");
            AppError::Internal
        })?;
    let private = key.to_pkcs8_der().map_err(|err| {
        tracing::error!(error = %err, "cannot encode the RSA private key");
        AppError::Internal
    })?;
    let public = key.to_public_key().to_public_key_der().map_err(|err| {
        tracing::error!(error = %err, "cannot encode the RSA public key");
        AppError::Internal
    })?;
    let now = now_millis();
    Ok(CredentialsRow {
        tenant_id,
        // Random, so a tenant's key cannot be guessed from another's; public all the same.
        api_key: new_id(),
        shared_key: random_token(),
        shared_key_set_at: now,
        rsa_public_key: BASE64.encode(public.as_bytes()),
        rsa_private_key: BASE64.encode(private.as_bytes()),
        created_at: now,
    })
}

/// The stored row as usable keys; a row whose halves do not match is refused (and logged)
/// rather than signing with a key the vendor's apps do not hold.
fn decode(row: CredentialsRow) -> Result<TenantCredentials> {
    let tenant_id = row.tenant_id.as_str();
    let corrupt = |what: &str| {
        tracing::error!(tenant_id, what, "stored LicenseSpring credentials unusable");
        AppError::Internal
    };
    let der = BASE64
        .decode(&row.rsa_private_key)
        .map_err(|_| corrupt("private key is not base64"))?;
    let key =
        RsaPrivateKey::from_pkcs8_der(&der).map_err(|_| corrupt("private key is not PKCS#8"))?;
    let public = key.to_public_key();
    let public_der = public
        .to_public_key_der()
        .map_err(|_| corrupt("public key cannot be encoded"))?;
    if BASE64.encode(public_der.as_bytes()) != row.rsa_public_key {
        return Err(corrupt("private key does not match the public key"));
    }
    let public_key_pem = public
        .to_public_key_pem(LineEnding::LF)
        .map_err(|_| corrupt("public key cannot be encoded"))?;
    Ok(TenantCredentials {
        tenant_id: row.tenant_id,
        api_key: row.api_key,
        shared_key: row.shared_key,
        signer: SigningKey::<Sha256>::new(key),
        public_key_pem,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    use rsa::RsaPublicKey;

    /// A key pair and a signature made by `openssl dgst -sha256 -sign` over [`BODY`]: PKCS#1
    /// v1.5 signatures are deterministic, so ours must be the same bytes.
    const PRIVATE_PEM: &str = include_str!("testdata/vector-key.pem");
    const PUBLIC_PEM: &str = include_str!("testdata/vector-public.pem");
    const BODY: &[u8] = br#"{"id":101,"license_key":"KEY-AAAA-BBBB"}"#;
    const OPENSSL_SIGNATURE: &str = include_str!("testdata/vector-signature.b64");

    pub(crate) fn vector_credentials() -> TenantCredentials {
        let key = RsaPrivateKey::from_pkcs8_pem(PRIVATE_PEM).expect("test key");
        let row = CredentialsRow {
            tenant_id: "t".into(),
            api_key: "k".into(),
            shared_key: "s".into(),
            shared_key_set_at: 0,
            rsa_public_key: BASE64.encode(key.to_public_key().to_public_key_der().unwrap()),
            rsa_private_key: BASE64.encode(key.to_pkcs8_der().unwrap().as_bytes()),
            created_at: 0,
        };
        decode(row).expect("decodes")
    }

    #[test]
    fn signs_like_openssl() {
        let creds = vector_credentials();
        assert_eq!(creds.sign(BODY), OPENSSL_SIGNATURE.trim());
    }

    #[test]
    fn the_public_key_is_the_spki_pem_openssl_writes() {
        assert_eq!(vector_credentials().public_key_pem(), PUBLIC_PEM);
    }

    #[test]
    fn a_signature_binds_the_exact_body() {
        let creds = vector_credentials();
        let public = RsaPublicKey::from_public_key_pem(creds.public_key_pem()).unwrap();
        let verifier = VerifyingKey::<Sha256>::new(public);
        let sig = BASE64.decode(creds.sign(BODY)).unwrap();
        let sig = Signature::try_from(sig.as_slice()).unwrap();
        assert!(verifier.verify(BODY, &sig).is_ok());
        let mut flipped = BODY.to_vec();
        flipped[3] ^= 1;
        assert!(verifier.verify(&flipped, &sig).is_err());
    }

    #[test]
    fn a_row_whose_halves_differ_is_refused() {
        let good = vector_credentials();
        let other = RsaPrivateKey::from_pkcs8_pem(PRIVATE_PEM).unwrap();
        let row = CredentialsRow {
            tenant_id: "t".into(),
            api_key: good.api_key.clone(),
            shared_key: "s".into(),
            shared_key_set_at: 0,
            rsa_public_key: "AAAA".into(),
            rsa_private_key: BASE64.encode(other.to_pkcs8_der().unwrap().as_bytes()),
            created_at: 0,
        };
        assert_eq!(decode(row).err(), Some(AppError::Internal));
    }
}
