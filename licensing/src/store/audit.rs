//! The `audit_events` table: one row per change, written in the change's own transaction.

use sqlx::AnyConnection;

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
    sqlx::query_scalar(&format!(
        "INSERT INTO audit_events (id, tenant_id, license_id, actor_id, action, subject, ip, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING (SELECT COUNT(*) FROM webhook_endpoints WHERE {})",
        super::webhooks::subscribed_filter("$2", "$9")
    ))
    .bind(e.id)
    .bind(e.tenant_id)
    .bind(e.license_id)
    .bind(e.actor_id)
    .bind(e.action)
    .bind(e.subject)
    .bind(e.ip)
    .bind(e.at)
    .bind(webhook_type.map(super::webhooks::subscription_pattern))
    .fetch_one(conn)
    .await
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
