//! The `flashes` table: one-time notes for a session's next page, by session hash and path.

use sqlx::AnyConnection;

use crate::Millis;

pub async fn delete_before(conn: &mut AnyConnection, at: Millis) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM flashes WHERE created_at <= $1")
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Keeps a note for the page, replacing an unread one, if the session still exists.
pub async fn upsert(
    conn: &mut AnyConnection,
    session_hash: &str,
    path: &str,
    body: &str,
    now: Millis,
) -> sqlx::Result<()> {
    // `WHERE EXISTS` rather than a foreign-key error for a session that ended meanwhile; the
    // SELECT needs a WHERE anyway for SQLite to parse the upsert after it.
    sqlx::query(
        "INSERT INTO flashes (token_hash, path, body, created_at) \
         SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM sessions WHERE token_hash = $1) \
         ON CONFLICT (token_hash, path) DO UPDATE SET body = excluded.body, created_at = excluded.created_at",
    )
    .bind(session_hash)
    .bind(path)
    .bind(body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether a note waits for the page: the read a page view makes before [`take`], since nearly
/// every view has none, and a `DELETE` that finds nothing still takes SQLite's write lock.
pub async fn waiting(
    conn: &mut AnyConnection,
    session_hash: &str,
    path: &str,
) -> sqlx::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM flashes WHERE token_hash = $1 AND path = $2")
            .bind(session_hash)
            .bind(path)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// Deletes the page's note and returns it, as `(body, created_at)`: `DELETE … RETURNING`, so two
/// requests racing for it cannot both get it.
pub async fn take(
    conn: &mut AnyConnection,
    session_hash: &str,
    path: &str,
) -> sqlx::Result<Option<(String, Millis)>> {
    sqlx::query_as(
        "DELETE FROM flashes WHERE token_hash = $1 AND path = $2 RETURNING body, created_at",
    )
    .bind(session_hash)
    .bind(path)
    .fetch_optional(conn)
    .await
}
