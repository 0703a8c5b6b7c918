//! Bearer secrets (session cookies, device tokens, license keys): made random, stored only as a
//! hash, so a copy of the database does not hand out working credentials.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The stored form of a secret. A fast hash is enough: the secret has 256 bits of entropy, so
/// there is nothing to brute-force (unlike a password).
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A random secret of this installation, named `name`: made on first use and kept in the
/// database, so every server process sharing it holds the same one (for MACs that one process
/// makes and another checks).
pub async fn installation_secret(
    store: &crate::Store,
    name: &str,
) -> crate::error::Result<Vec<u8>> {
    use crate::store::secrets;
    // Read first: after its first use the secret is there, and a read takes no write turn.
    let stored = secrets::stored_installation_secret(&mut *store.conn().await?, name).await?;
    let secret = match stored {
        Some(secret) => secret,
        None => {
            let mut conn = store.write_conn().await?;
            secrets::installation_secret(&mut conn, name, &random_token()).await?
        }
    };
    hex::decode(secret).map_err(|_| crate::AppError::Internal)
}
