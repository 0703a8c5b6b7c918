//! The `audit_events` table: one row per change, written in the change's own transaction.

use sqlx::any::AnyArguments;
use sqlx::{AnyConnection, Arguments};

use super::{add, Backend};
use crate::Millis;

/// An event as it is written.
pub struct NewEvent<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub license_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    /// An `AuditAction`'s code.
    pub action: &'static str,
    /// An `AuditSubject` as JSON.
    pub subject: &'a str,
    pub ip: Option<&'a str>,
    pub at: Millis,
}

/// Inserts the event and answers how many of the tenant's webhook endpoints take
/// `webhook_type` (0 for `None`), counted in the same statement: most events are written under a
/// license's lock and most tenants subscribe to few of them, so the common case saves the round
/// trip a separate look-up would cost while the lock is held.
pub async fn insert(
    conn: &mut AnyConnection,
    e: &NewEvent<'_>,
    webhook_type: Option<&str>,
) -> sqlx::Result<i64> {
    insert_after(conn, None, AnyArguments::default(), e, webhook_type).await
}

/// A write and the event that tells of it, sent in one round trip, answering the subscriber count
/// as [`insert`] does: under a license's lock each statement is a hand-off to the database and
/// back that every other writer of the license (on SQLite, of the database) waits for. `write`
/// is one statement whose parameters are `$1` onwards, bound to `args`.
///
/// SQLite runs the two statements one after the other (it binds parameters by number, so the
/// event's are numbered on from the write's). Postgres prepares one statement at a time, so there
/// the write runs as a data-modifying `WITH` of the event's insert, which runs it exactly once.
pub(super) async fn insert_logged<'q>(
    conn: &mut AnyConnection,
    write: &str,
    args: AnyArguments<'q>,
    e: &NewEvent<'q>,
    webhook_type: Option<&str>,
) -> sqlx::Result<i64> {
    insert_after(conn, Some(write), args, e, webhook_type).await
}

async fn insert_after<'q>(
    conn: &mut AnyConnection,
    write: Option<&str>,
    mut args: AnyArguments<'q>,
    e: &NewEvent<'q>,
    webhook_type: Option<&str>,
) -> sqlx::Result<i64> {
    let event = insert_sql(args.len() + 1);
    let sql = match (write, Backend::of(conn)) {
        (None, _) => event,
        (Some(write), Backend::Sqlite) => format!("{write}; {event}"),
        (Some(write), Backend::Postgres) => format!("WITH write AS ({write}) {event}"),
    };
    add(&mut args, e.id)?;
    add(&mut args, e.tenant_id)?;
    add(&mut args, e.license_id)?;
    add(&mut args, e.actor_id)?;
    add(&mut args, e.action)?;
    add(&mut args, e.subject)?;
    add(&mut args, e.ip)?;
    add(&mut args, e.at)?;
    add(
        &mut args,
        webhook_type.map(super::webhooks::subscription_pattern),
    )?;
    // Read as a list: SQLite answers the write's "done" ahead of the event's row, and sqlx's
    // single-row reads stop at the first answer.
    sqlx::query_scalar_with(&sql, args)
        .fetch_all(conn)
        .await?
        .pop()
        .ok_or(sqlx::Error::RowNotFound)
}

/// The event's insert, its nine parameters numbered from `$first`.
fn insert_sql(first: usize) -> String {
    let p = |n: usize| format!("${}", first + n);
    let values: Vec<String> = (0..8).map(p).collect();
    format!(
        "INSERT INTO audit_events (id, tenant_id, license_id, actor_id, action, subject, ip, at) \
         VALUES ({}) RETURNING (SELECT COUNT(*) FROM webhook_endpoints WHERE {})",
        values.join(", "),
        super::webhooks::subscribed_filter(&p(1), &p(8))
    )
}

/// An event as the logs read it, with the acting account's name and the license it concerns.
#[derive(Debug, sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    pub license_id: Option<String>,
    pub at: Millis,
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    pub ip: Option<String>,
    pub customer: Option<String>,
    pub product: Option<String>,
}

const EVENT_COLUMNS: &str =
    "SELECT e.id, e.license_id, e.at, a.name AS actor, e.action, e.subject, e.ip, \
        c.name AS customer, l.product \
     FROM audit_events e LEFT JOIN accounts a ON a.id = e.actor_id \
     LEFT JOIN licenses l ON l.id = e.license_id LEFT JOIN customers c ON c.id = l.customer_id";

/// What a tenant's log is narrowed to.
#[derive(Default)]
pub struct Narrowing<'a> {
    pub customer_id: Option<&'a str>,
    pub license_id: Option<&'a str>,
    /// A `LIKE` pattern matched against the actor's lower-cased name and email.
    pub actor_pattern: Option<String>,
    /// An `AuditKind`'s code: the actions that start with it.
    pub kind: Option<&'static str>,
    pub from: Option<Millis>,
    pub until: Option<Millis>,
    /// Only events older than this one (`at`, `id`): the management API's cursor.
    pub before: Option<(Millis, String)>,
}

/// `limit` events of a license from `offset` on, newest first.
pub async fn page_of_license(
    conn: &mut AnyConnection,
    license_id: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(&format!(
        "{EVENT_COLUMNS} WHERE e.license_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(license_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// `limit` events of a tenant from `offset` on, newest first, narrowed.
pub async fn page_of_tenant(
    conn: &mut AnyConnection,
    tenant_id: &str,
    narrowing: &Narrowing<'_>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<EventRow>> {
    // Conditions are added with their own numbered parameters: one SQL text for both databases,
    // and no untyped NULL parameters (which Postgres cannot infer).
    let mut conditions = vec!["e.tenant_id = $1".to_owned()];
    let mut values: Vec<String> = vec![tenant_id.to_owned()];
    let mut add = |condition: &str, value: String| {
        values.push(value);
        conditions.push(condition.replace('?', &format!("${}", values.len())));
    };
    if let Some(id) = narrowing.customer_id {
        add("l.customer_id = ?", id.to_owned());
    }
    if let Some(id) = narrowing.license_id {
        add("e.license_id = ?", id.to_owned());
    }
    if let Some(pattern) = &narrowing.actor_pattern {
        add(
            "(LOWER(a.name) LIKE ? OR LOWER(a.email) LIKE ?)",
            pattern.clone(),
        );
    }
    if let Some(kind) = narrowing.kind {
        add("e.action LIKE ?", format!("{kind}.%"));
    }
    // The cursor's id is text: bound with the text parameters, its condition added with the times.
    let before_id = narrowing.before.as_ref().map(|(_, id)| {
        values.push(id.clone());
        values.len()
    });
    let mut sql = format!("{EVENT_COLUMNS} WHERE {}", conditions.join(" AND "));
    // Times are numbers: bound as such, after the text parameters.
    let mut times = Vec::new();
    for (bound, op) in [(narrowing.from, ">="), (narrowing.until, "<")] {
        if let Some(at) = bound {
            times.push(at);
            sql.push_str(&format!(" AND e.at {op} ${}", values.len() + times.len()));
        }
    }
    if let (Some((at, _)), Some(id_n)) = (&narrowing.before, before_id) {
        // Newest first by (at, id): older than the cursor's event, or as old with a smaller id.
        times.push(*at);
        let at_n = values.len() + times.len();
        sql.push_str(&format!(
            " AND (e.at < ${at_n} OR (e.at = ${at_n} AND e.id < ${id_n}))"
        ));
    }
    let limit_at = values.len() + times.len() + 1;
    sql.push_str(&format!(
        " ORDER BY e.at DESC, e.id DESC LIMIT ${limit_at} OFFSET ${}",
        limit_at + 1
    ));
    let mut query = sqlx::query_as(&sql);
    for value in &values {
        query = query.bind(value);
    }
    for at in &times {
        query = query.bind(*at);
    }
    query.bind(limit).bind(offset).fetch_all(conn).await
}
