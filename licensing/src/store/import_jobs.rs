//! The `import_jobs` table: imports uploaded in the vendor console, their files until they end,
//! the lease of the process running one, its progress, and its report.

use sqlx::AnyConnection;

use super::Backend;
use crate::Millis;

/// A job as the console shows it (without its files).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub created_by: String,
    pub dry_run: i64,
    pub licenses_name: Option<String>,
    pub users_name: Option<String>,
    pub devices_name: Option<String>,
    pub status: String,
    pub runs: i64,
    pub rows_done: i64,
    pub rows_total: i64,
    pub created_at: Millis,
    pub started_at: Option<Millis>,
    pub finished_at: Option<Millis>,
}

/// A job a process took on: what it needs to run it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedRow {
    pub id: String,
    pub tenant_id: String,
    pub dry_run: i64,
    pub license_type: String,
    pub max_deactivations: i64,
    pub licenses_file: Option<Vec<u8>>,
    pub users_file: Option<Vec<u8>>,
    pub devices_file: Option<Vec<u8>>,
    pub runs: i64,
}

/// One uploaded file: the name it came with and its bytes.
pub type File<'a> = Option<(&'a str, &'a [u8])>;

/// A job to queue.
pub struct NewJobRow<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub created_by: &'a str,
    pub dry_run: bool,
    pub license_type: &'a str,
    pub max_deactivations: i64,
    pub licenses: File<'a>,
    pub users: File<'a>,
    pub devices: File<'a>,
    pub now: Millis,
}

const COLUMNS: &str = "j.id, a.email AS created_by, j.dry_run, j.licenses_name, j.users_name, \
     j.devices_name, j.status, j.runs, j.rows_done, j.rows_total, j.created_at, j.started_at, \
     j.finished_at";

const FROM: &str = "import_jobs j JOIN accounts a ON a.id = j.created_by";

pub async fn insert(conn: &mut AnyConnection, job: &NewJobRow<'_>) -> sqlx::Result<()> {
    let name = |file: File<'_>| file.map(|(name, _)| name.to_owned());
    let bytes = |file: File<'_>| file.map(|(_, bytes)| bytes.to_vec());
    sqlx::query(
        "INSERT INTO import_jobs (id, tenant_id, created_by, dry_run, license_type, \
             max_deactivations, licenses_name, licenses_file, users_name, users_file, \
             devices_name, devices_file, status, runs, rows_done, rows_total, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'queued', 0, 0, 0, $13)",
    )
    .bind(job.id)
    .bind(job.tenant_id)
    .bind(job.created_by)
    .bind(i64::from(job.dry_run))
    .bind(job.license_type)
    .bind(job.max_deactivations)
    .bind(name(job.licenses))
    .bind(bytes(job.licenses))
    .bind(name(job.users))
    .bind(bytes(job.users))
    .bind(name(job.devices))
    .bind(bytes(job.devices))
    .bind(job.now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The tenant's latest jobs, newest first.
pub async fn of_tenant(
    conn: &mut AnyConnection,
    tenant_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<JobRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE j.tenant_id = $1 \
         ORDER BY j.created_at DESC, j.id DESC LIMIT $2"
    ))
    .bind(tenant_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// A job with its report (JSON), which it has once it has ended.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobWithReport {
    #[sqlx(flatten)]
    pub job: JobRow,
    pub report: Option<String>,
}

/// One job of the tenant with its report; another tenant's is `None`.
pub async fn get_in_tenant(
    conn: &mut AnyConnection,
    tenant_id: &str,
    id: &str,
) -> sqlx::Result<Option<JobWithReport>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS}, j.report FROM {FROM} WHERE j.tenant_id = $1 AND j.id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The condition of a job a process may take: waiting, or running under a lease that ran out
/// (its process stopped).
const TAKEABLE: &str =
    "status IN ('queued', 'running') AND (claimed_until IS NULL OR claimed_until < $1)";

/// Whether any job is waiting for a process: a read, so an idle poll takes no write lock.
pub async fn any_takeable(conn: &mut AnyConnection, now: Millis) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM import_jobs WHERE {TAKEABLE} LIMIT 1) t"
    ))
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Takes the oldest takeable job for `worker` until `lease_until` and starts a run of it. On
/// Postgres the row is locked with `SKIP LOCKED`, so two processes take different jobs; SQLite
/// has one writer at a time.
pub async fn claim(
    conn: &mut AnyConnection,
    backend: Backend,
    worker: &str,
    now: Millis,
    lease_until: Millis,
) -> sqlx::Result<Option<ClaimedRow>> {
    let lock = match backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    sqlx::query_as(&format!(
        "UPDATE import_jobs SET status = 'running', runs = runs + 1, claimed_by = $2, \
             claimed_until = $3, started_at = $1, rows_done = 0 \
         WHERE id = (SELECT id FROM import_jobs WHERE {TAKEABLE} \
                     ORDER BY created_at, id LIMIT 1 {lock}) \
         RETURNING id, tenant_id, dry_run, license_type, max_deactivations, licenses_file, \
             users_file, devices_file, runs"
    ))
    .bind(now)
    .bind(worker)
    .bind(lease_until)
    .fetch_optional(conn)
    .await
}

/// Records progress and extends the lease, if `worker` still holds the job. Returns whether it
/// did (a process that stalled past its lease has lost the job to another).
pub async fn renew(
    conn: &mut AnyConnection,
    id: &str,
    worker: &str,
    lease_until: Millis,
    (done, total): (u64, u64),
) -> sqlx::Result<bool> {
    let renewed = sqlx::query(
        "UPDATE import_jobs SET claimed_until = $1, rows_done = $2, rows_total = $3 \
         WHERE id = $4 AND claimed_by = $5 AND status = 'running'",
    )
    .bind(lease_until)
    .bind(i64::try_from(done).unwrap_or(i64::MAX))
    .bind(i64::try_from(total).unwrap_or(i64::MAX))
    .bind(id)
    .bind(worker)
    .execute(conn)
    .await?;
    Ok(renewed.rows_affected() == 1)
}

/// Ends a run: `done` with its report, or `failed`. The files go; the report stays.
pub async fn finish(
    conn: &mut AnyConnection,
    id: &str,
    worker: &str,
    now: Millis,
    report: Option<&str>,
) -> sqlx::Result<bool> {
    let finished = sqlx::query(
        "UPDATE import_jobs SET status = $1, report = $5, finished_at = $2, \
             rows_done = rows_total, claimed_by = NULL, claimed_until = NULL, \
             licenses_file = NULL, users_file = NULL, devices_file = NULL \
         WHERE id = $3 AND claimed_by = $4 AND status = 'running'",
    )
    .bind(if report.is_some() { "done" } else { "failed" })
    .bind(now)
    .bind(id)
    .bind(worker)
    .bind(report)
    .execute(conn)
    .await?;
    Ok(finished.rows_affected() == 1)
}
