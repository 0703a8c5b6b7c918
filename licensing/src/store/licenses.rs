//! The `licenses` table: a license's limits, budget, key and status, read as one typed row that
//! carries its seat and active-device counts.

use sqlx::AnyConnection;

use crate::Millis;

/// Every column a license is shown or checked with, and its counts. The one place the seats of a
/// license are counted; its active devices are kept on its row by triggers (migration 0012).
const LICENSE_COLUMNS: &str = "l.id, l.tenant_id, l.customer_id, c.name AS customer_name, \
    l.product, l.license_type, l.status, l.subscriptions, l.valid_from, l.valid_until, \
    l.max_users, l.max_activations, l.max_deactivations, l.deactivations_used, \
    l.seats_per_subscription, l.activations_per_subscription, \
    (SELECT COUNT(*) FROM license_users u WHERE u.license_id = l.id) AS seats_used, \
    l.devices_active";

/// The tables [`LICENSE_COLUMNS`] reads from, as `l` and `c`.
const LICENSE_FROM: &str = "licenses l JOIN customers c ON c.id = l.customer_id";

/// A license as stored, with what is in use of it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LicenseRow {
    pub id: String,
    pub tenant_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub product: String,
    pub license_type: String,
    pub status: String,
    pub subscriptions: i64,
    pub valid_from: Millis,
    pub valid_until: Millis,
    pub max_users: i64,
    pub max_activations: i64,
    pub max_deactivations: i64,
    pub deactivations_used: i64,
    pub seats_per_subscription: i64,
    pub activations_per_subscription: i64,
    pub seats_used: i64,
    pub devices_active: i64,
}

/// A license with the role of the account it was listed for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignedLicense {
    #[sqlx(flatten)]
    pub license: LicenseRow,
    pub my_role: String,
}

/// The `SELECT` of [`LicenseRow`] columns plus `extra`, from `joins` (which must name the license
/// `l` and its customer `c`), filtered by `filter`.
pub(super) fn select(extra: &str, joins: &str, filter: &str) -> String {
    format!("SELECT {LICENSE_COLUMNS}{extra} FROM {joins} WHERE {filter}")
}

pub async fn get(conn: &mut AnyConnection, license_id: &str) -> sqlx::Result<Option<LicenseRow>> {
    sqlx::query_as(&select("", LICENSE_FROM, "l.id = $1"))
        .bind(license_id)
        .fetch_optional(conn)
        .await
}

/// The licenses an account holds a seat on in its tenant, oldest first.
pub async fn of_account(
    conn: &mut AnyConnection,
    account_id: &str,
    tenant_id: &str,
) -> sqlx::Result<Vec<AssignedLicense>> {
    sqlx::query_as(&format!(
        "{} ORDER BY l.created_at",
        select(
            ", lu.role AS my_role",
            "license_users lu JOIN licenses l ON l.id = lu.license_id \
             JOIN customers c ON c.id = l.customer_id",
            "lu.account_id = $1 AND l.tenant_id = $2",
        )
    ))
    .bind(account_id)
    .bind(tenant_id)
    .fetch_all(conn)
    .await
}

/// Which of a tenant's licenses [`of_tenant`] returns.
pub enum TenantScope<'a> {
    /// Those whose lower-cased customer name or product matches a `LIKE` pattern.
    Matching(&'a str),
    Customer(&'a str),
    License(&'a str),
}

/// A tenant's licenses by customer name and product.
pub async fn of_tenant(
    conn: &mut AnyConnection,
    tenant_id: &str,
    scope: TenantScope<'_>,
) -> sqlx::Result<Vec<LicenseRow>> {
    let (filter, value) = match scope {
        TenantScope::Matching(pattern) => (
            "(LOWER(c.name) LIKE $2 OR LOWER(l.product) LIKE $2)",
            pattern,
        ),
        TenantScope::Customer(id) => ("l.customer_id = $2", id),
        TenantScope::License(id) => ("l.id = $2", id),
    };
    sqlx::query_as(&format!(
        "{} ORDER BY c.name, l.product",
        select("", LICENSE_FROM, &format!("l.tenant_id = $1 AND {filter}"))
    ))
    .bind(tenant_id)
    .bind(value)
    .fetch_all(conn)
    .await
}

/// The customer of a license of this tenant.
pub async fn customer_in_tenant(
    conn: &mut AnyConnection,
    license_id: &str,
    tenant_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT customer_id FROM licenses WHERE id = $1 AND tenant_id = $2")
        .bind(license_id)
        .bind(tenant_id)
        .fetch_optional(conn)
        .await
}

/// The customer's license for a product (at most one), as `(id, license_type)`.
pub async fn for_product(
    conn: &mut AnyConnection,
    tenant_id: &str,
    customer_id: &str,
    product: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT id, license_type FROM licenses WHERE tenant_id = $1 AND customer_id = $2 AND product = $3",
    )
    .bind(tenant_id)
    .bind(customer_id)
    .bind(product)
    .fetch_optional(conn)
    .await
}

/// A license to insert, with no deactivation used.
pub struct NewLicenseRow<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub customer_id: &'a str,
    pub product: &'a str,
    pub license_type: &'a str,
    pub subscriptions: i64,
    pub max_users: i64,
    pub max_activations: i64,
    pub max_deactivations: i64,
    pub valid_from: Millis,
    pub valid_until: Millis,
    pub created_at: Millis,
    pub seats_per_subscription: i64,
    pub activations_per_subscription: i64,
    /// `active`, or `suspended` for a license moved in disabled.
    pub status: &'a str,
    /// A key it already has (an imported license keeps its key); Keyport's own get one later.
    pub key_hash: Option<&'a str>,
    /// The id another license server gave it (see migration 0013).
    pub external_id: Option<&'a str>,
}

pub async fn insert(conn: &mut AnyConnection, new: &NewLicenseRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO licenses (id, tenant_id, customer_id, product, license_type, status, \
            subscriptions, max_users, max_activations, max_deactivations, deactivations_used, \
            valid_from, valid_until, created_at, seats_per_subscription, activations_per_subscription, \
            license_key_hash, external_id) \
         VALUES ($1, $2, $3, $4, $5, $15, $6, $7, $8, $9, 0, $10, $11, $12, $13, $14, $16, $17)",
    )
    .bind(new.id)
    .bind(new.tenant_id)
    .bind(new.customer_id)
    .bind(new.product)
    .bind(new.license_type)
    .bind(new.subscriptions)
    .bind(new.max_users)
    .bind(new.max_activations)
    .bind(new.max_deactivations)
    .bind(new.valid_from)
    .bind(new.valid_until)
    .bind(new.created_at)
    .bind(new.seats_per_subscription)
    .bind(new.activations_per_subscription)
    .bind(new.status)
    .bind(new.key_hash)
    .bind(new.external_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets what the subscriptions of a license add up to.
pub async fn set_subscriptions(
    conn: &mut AnyConnection,
    license_id: &str,
    subscriptions: i64,
    max_users: i64,
    max_activations: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE licenses SET subscriptions = $1, max_users = $2, max_activations = $3 \
         WHERE id = $4",
    )
    .bind(subscriptions)
    .bind(max_users)
    .bind(max_activations)
    .bind(license_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The limits a vendor sets on a license.
pub struct LimitsRow {
    pub max_users: i64,
    pub max_activations: i64,
    pub max_deactivations: i64,
    pub valid_until: Millis,
}

pub async fn set_limits(
    conn: &mut AnyConnection,
    license_id: &str,
    limits: &LimitsRow,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE licenses SET max_users = $1, max_activations = $2, max_deactivations = $3, \
            valid_until = $4 WHERE id = $5",
    )
    .bind(limits.max_users)
    .bind(limits.max_activations)
    .bind(limits.max_deactivations)
    .bind(limits.valid_until)
    .bind(license_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets the stored status; false when it already was that.
pub async fn set_status(
    conn: &mut AnyConnection,
    license_id: &str,
    status: &str,
) -> sqlx::Result<bool> {
    let changed = sqlx::query("UPDATE licenses SET status = $1 WHERE id = $2 AND status <> $1")
        .bind(status)
        .bind(license_id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(changed > 0)
}

/// Counts one more deactivation against the budget.
pub async fn count_deactivation(conn: &mut AnyConnection, license_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE licenses SET deactivations_used = deactivations_used + 1 WHERE id = $1")
        .bind(license_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn clear_deactivations(conn: &mut AnyConnection, license_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE licenses SET deactivations_used = 0 WHERE id = $1")
        .bind(license_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_key_hash(
    conn: &mut AnyConnection,
    license_id: &str,
    key_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE licenses SET license_key_hash = $1 WHERE id = $2")
        .bind(key_hash)
        .bind(license_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The license holding a key hash, as `(id, tenant_id)`.
pub async fn by_key_hash(
    conn: &mut AnyConnection,
    key_hash: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT id, tenant_id FROM licenses WHERE license_key_hash = $1")
        .bind(key_hash)
        .fetch_optional(conn)
        .await
}

/// The company key of the license's tenant (offline license files name it).
pub async fn company_key(conn: &mut AnyConnection, license_id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar(
        "SELECT t.company_key FROM licenses l JOIN tenants t ON t.id = l.tenant_id WHERE l.id = $1",
    )
    .bind(license_id)
    .fetch_one(conn)
    .await
}

/// The license's id when it exists, taking Postgres' row lock when `lock` is set.
pub(super) async fn lock(
    conn: &mut AnyConnection,
    license_id: &str,
    lock: bool,
) -> sqlx::Result<Option<String>> {
    let sql = if lock {
        "SELECT id FROM licenses WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT id FROM licenses WHERE id = $1"
    };
    sqlx::query_scalar(sql)
        .bind(license_id)
        .fetch_optional(conn)
        .await
}
