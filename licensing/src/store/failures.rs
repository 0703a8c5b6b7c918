//! The `auth_failures` table: failed and in-flight credential checks, per throttle key.

use sqlx::AnyConnection;

use crate::Millis;

/// Records a check: `pending` while its verdict is out, else a failure.
pub async fn insert(
    conn: &mut AnyConnection,
    id: &str,
    key: &str,
    at: Millis,
    pending: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO auth_failures (id, throttle_key, at, pending) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(key)
    .bind(at)
    .bind(i64::from(pending))
    .execute(conn)
    .await?;
    Ok(())
}

/// The key's checks after `since`, oldest first, as `(at, pending)`.
pub async fn since(
    conn: &mut AnyConnection,
    key: &str,
    since: Millis,
) -> sqlx::Result<Vec<(Millis, i64)>> {
    sqlx::query_as(
        "SELECT at, pending FROM auth_failures WHERE throttle_key = $1 AND at > $2 ORDER BY at",
    )
    .bind(key)
    .bind(since)
    .fetch_all(conn)
    .await
}

/// Turns a pending check into a failure at `at`.
pub async fn settle(conn: &mut AnyConnection, id: &str, at: Millis) -> sqlx::Result<()> {
    sqlx::query("UPDATE auth_failures SET pending = 0, at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Which rows [`delete`] removes.
#[derive(Debug, Clone, Copy)]
pub enum Remove<'a> {
    /// One check.
    Id(&'a str),
    /// Every row of every key from `at` or before.
    Before(Millis),
    /// The key's failures, and its pending checks from `at` or before.
    Settled(&'a str, Millis),
}

pub async fn delete(conn: &mut AnyConnection, which: Remove<'_>) -> sqlx::Result<()> {
    match which {
        Remove::Id(id) => {
            sqlx::query("DELETE FROM auth_failures WHERE id = $1")
                .bind(id)
                .execute(conn)
                .await?
        }
        Remove::Before(at) => {
            sqlx::query("DELETE FROM auth_failures WHERE at <= $1")
                .bind(at)
                .execute(conn)
                .await?
        }
        Remove::Settled(key, at) => {
            sqlx::query(
                "DELETE FROM auth_failures WHERE throttle_key = $1 AND (pending = 0 OR at <= $2)",
            )
            .bind(key)
            .bind(at)
            .execute(conn)
            .await?
        }
    };
    Ok(())
}
