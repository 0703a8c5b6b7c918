//! Storing and taking flashes: one row per session and page, taken with `DELETE … RETURNING` so
//! two requests racing for it cannot both show it.

use super::Flash;
use crate::error::{AppError, Result};
use crate::store::Store;
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
    sqlx::query("DELETE FROM flashes WHERE created_at <= $1")
        .bind(now - FLASH_TTL_MS)
        .execute(store.pool())
        .await?;
    // `WHERE EXISTS` rather than a foreign-key error for a session that ended meanwhile; the
    // SELECT needs a WHERE anyway for SQLite to parse the upsert after it.
    sqlx::query(
        "INSERT INTO flashes (token_hash, path, body, created_at) \
         SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM sessions WHERE token_hash = $1) \
         ON CONFLICT (token_hash, path) DO UPDATE SET body = excluded.body, created_at = excluded.created_at",
    )
    .bind(secret::hash(session_token))
    .bind(path)
    .bind(body)
    .bind(now)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// The note kept for this session and page, deleted as it is read: it shows once. The caller has
/// checked that the session is live (a note of an ended session is deleted with it).
pub async fn take(store: &Store, session_token: &str, path: &str) -> Result<Option<Flash>> {
    let row: Option<(String, Millis)> = sqlx::query_as(
        "DELETE FROM flashes WHERE token_hash = $1 AND path = $2 RETURNING body, created_at",
    )
    .bind(secret::hash(session_token))
    .bind(path)
    .fetch_optional(store.pool())
    .await?;
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
