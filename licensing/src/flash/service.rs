//! Storing and taking flashes: one row per session and page, taken with `DELETE … RETURNING` so
//! two requests racing for it cannot both show it.

use super::Flash;
use crate::error::{AppError, Result};
use crate::store::{flashes, Store};
use crate::{now_millis, secret, Millis};

/// How long a note waits for its page. The page is the redirect's target, loaded at once; a note
/// left unread (the browser closed in between) should not surface much later, and a secret in it
/// should not sit in the database.
pub const FLASH_TTL_MS: Millis = 5 * 60 * 1000;

/// Keeps `flash` for the session of `session_token` and the page at `path`, replacing an unread
/// note for the same page. Nothing is kept for a session that does not exist (any more): nobody
/// could read it.
pub async fn put(store: &Store, session_token: &str, path: &str, flash: &Flash) -> Result<()> {
    let now = now_millis();
    let body = serde_json::to_string(flash).map_err(|err| {
        tracing::error!(error = %err, "cannot serialize a flash");
        AppError::Internal
    })?;
    // Housekeeping on the path that writes, so unread notes (and the secrets in them) go away.
    let mut conn = store.write_conn().await?;
    flashes::delete_before(&mut conn, now - FLASH_TTL_MS).await?;
    flashes::upsert(&mut conn, &secret::hash(session_token), path, &body, now).await?;
    Ok(())
}

/// The note kept for this session and page, deleted as it is read: it shows once. The caller has
/// checked that the session is live (a note of an ended session is deleted with it).
pub async fn take(store: &Store, session_token: &str, path: &str) -> Result<Option<Flash>> {
    let hash = secret::hash(session_token);
    if !flashes::waiting(&mut *store.conn().await?, &hash, path).await? {
        return Ok(None);
    }
    let row = flashes::take(&mut *store.write_conn().await?, &hash, path).await?;
    let Some((body, created_at)) = row else {
        return Ok(None);
    };
    if created_at <= now_millis() - FLASH_TTL_MS {
        return Ok(None);
    }
    match serde_json::from_str(&body) {
        Ok(flash) => Ok(Some(flash)),
        Err(err) => {
            // A note written by an older version: not worth an error page.
            tracing::warn!(error = %err, "unreadable flash dropped");
            Ok(None)
        }
    }
}
