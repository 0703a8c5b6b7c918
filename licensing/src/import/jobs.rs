//! Imports uploaded in the vendor console: queued with their files, run in the background by any
//! server process sharing the database, their progress and report kept for the console.
//!
//! A process runs a job under a lease it renews with the job's progress. A process that stops
//! (a restart, a crash, kill -9) lets the lease run out, and the next process to look runs the
//! job again from the start of its files: an import run twice changes nothing the first run
//! wrote, so the second run resumes it, and the job's page says it was resumed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::{
    import_licensespring, notify_imported, ImportFile, ImportFiles, ImportJob, ImportOptions,
    ImportOverview, ImportReport, JobStatus, NO_PASSWORD, REPORT_ROWS_SHOWN,
};
use crate::access::{self, Actor};
use crate::auth::Principal;
use crate::error::{AppError, Field, InvalidReason, Result, Thing};
use crate::licenses::LicenseType;
use crate::mail::Portal;
use crate::now_millis;
use crate::store::import_jobs::{self as rows, ClaimedRow, JobRow, NewJobRow};
use crate::store::{imports, new_id, Store};

/// How long a running job's lease lasts without renewal: past it, the job counts as stopped.
pub const LEASE_MS: i64 = 30_000;
/// How often a running job renews its lease and records its progress.
const RENEW_EVERY: Duration = Duration::from_secs(1);
/// Jobs the console lists.
const LISTED: i64 = 20;

/// An uploaded file: the name it came with and its bytes.
pub type Upload = (String, Vec<u8>);

/// What the console's import form sends.
#[derive(Debug, Clone)]
pub struct ImportUpload {
    pub licenses: Option<Upload>,
    pub users: Option<Upload>,
    pub devices: Option<Upload>,
    pub options: ImportOptions,
}

/// Queues an import of the caller's tenant (vendor staff only); returns the job's id. The users
/// and devices files must be UTF-8 text, and at least one file must be given; the rows
/// themselves are checked when the job runs, and refused rows go into its report.
pub async fn submit(store: &Store, actor: &Actor, upload: &ImportUpload) -> Result<String> {
    let vendor = access::vendor_admin(&actor.principal)?;
    if upload.licenses.is_none() && upload.users.is_none() && upload.devices.is_none() {
        return Err(AppError::invalid(
            Field::LicensesFile,
            InvalidReason::NoImportFile,
        ));
    }
    for (field, file) in [
        (Field::UsersFile, &upload.users),
        (Field::DevicesFile, &upload.devices),
    ] {
        if file
            .as_ref()
            .is_some_and(|(_, bytes)| std::str::from_utf8(bytes).is_err())
        {
            return Err(AppError::invalid(field, InvalidReason::NotUtf8));
        }
    }
    let id = new_id();
    let mut tx = store.begin().await?;
    rows::insert(
        &mut tx,
        &NewJobRow {
            id: &id,
            tenant_id: &vendor.tenant_id,
            created_by: &actor.principal.account_id,
            dry_run: upload.options.dry_run,
            license_type: upload.options.license_type.as_str(),
            max_deactivations: upload.options.max_deactivations,
            licenses: file_of(&upload.licenses),
            users: file_of(&upload.users),
            devices: file_of(&upload.devices),
            now: now_millis(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn file_of(file: &Option<Upload>) -> rows::File<'_> {
    file.as_ref()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
}

/// The console's import page: the tenant's latest jobs and who still waits for a password.
pub async fn overview(store: &Store, who: &Principal) -> Result<ImportOverview> {
    let vendor = access::vendor_admin(who)?;
    let mut conn = store.conn().await?;
    let now = now_millis();
    let jobs = rows::of_tenant(&mut conn, &vendor.tenant_id, LISTED)
        .await?
        .into_iter()
        .map(|row| job_of(row, now))
        .collect();
    let awaiting =
        imports::awaiting_password(&mut conn, &vendor.tenant_id, NO_PASSWORD, now).await?;
    Ok(ImportOverview {
        jobs,
        awaiting_password: awaiting.len() as u64,
    })
}

/// One job of the caller's tenant with its report, its refused rows cut to those a page shows;
/// another tenant's job is `NotFound`.
pub async fn job(store: &Store, who: &Principal, id: &str) -> Result<ImportJob> {
    let (row, report) = job_and_report(store, who, id).await?;
    let mut job = job_of(row, now_millis());
    if let Some(mut report) = report {
        job.refused_total = report.refused.len() as u64;
        report.refused.truncate(REPORT_ROWS_SHOWN);
        job.report = Some(report);
    }
    Ok(job)
}

/// A job's whole report, for the download; `NotFound` until the job has one.
pub async fn report(store: &Store, who: &Principal, id: &str) -> Result<ImportReport> {
    job_and_report(store, who, id)
        .await?
        .1
        .ok_or_else(|| AppError::not_found(Thing::ImportJob))
}

async fn job_and_report(
    store: &Store,
    who: &Principal,
    id: &str,
) -> Result<(JobRow, Option<ImportReport>)> {
    let vendor = access::vendor_admin(who)?;
    let mut conn = store.conn().await?;
    let found = rows::get_in_tenant(&mut conn, &vendor.tenant_id, id)
        .await?
        .ok_or_else(|| AppError::not_found(Thing::ImportJob))?;
    let report = match found.report {
        Some(json) => Some(serde_json::from_str(&json).map_err(|error| {
            tracing::error!(%error, job = id, "an import job's report does not parse");
            AppError::Internal
        })?),
        None => None,
    };
    Ok((found.job, report))
}

/// *Send set-password emails* (vendor staff only): an invitation to every person of the tenant
/// an import made without a password and without a usable link. Returns how many were sent.
pub async fn notify(store: &Store, actor: &Actor, portal: &Portal) -> Result<u64> {
    let vendor = access::vendor_admin(&actor.principal)?;
    notify_imported(store, &vendor.tenant_id, portal).await
}

fn job_of(row: JobRow, now: crate::Millis) -> ImportJob {
    let status = JobStatus::parse(&row.status).unwrap_or(JobStatus::Failed);
    let files = [
        (ImportFile::Licenses, row.licenses_name),
        (ImportFile::Users, row.users_name),
        (ImportFile::Devices, row.devices_name),
    ]
    .into_iter()
    .filter_map(|(file, name)| Some((file, name?)))
    .collect();
    let (done, total) = (row.rows_done.max(0) as u64, row.rows_total.max(0) as u64);
    let elapsed_ms = row.started_at.map_or(0, |started| now - started).max(0) as u64;
    let rate = (status == JobStatus::Running && elapsed_ms >= 1000 && done > 0)
        .then(|| done * 1000 / elapsed_ms)
        .filter(|rate| *rate > 0);
    ImportJob {
        id: row.id,
        status,
        dry_run: row.dry_run != 0,
        files,
        created_by: row.created_by,
        created_at: row.created_at,
        started_at: row.started_at,
        finished_at: row.finished_at,
        rows_done: done,
        rows_total: total,
        runs: row.runs.max(0) as u64,
        rows_per_second: rate,
        seconds_left: rate.map(|rate| total.saturating_sub(done) / rate),
        report: None,
        refused_total: 0,
    }
}

/// Takes the oldest job waiting (or stopped) and runs it to its end as `worker`. Returns whether
/// there was one. An `Err` is the database failing before the job could be taken or ended.
pub async fn run_next(store: &Store, worker: &str) -> Result<bool> {
    let now = now_millis();
    {
        let mut conn = store.conn().await?;
        if !rows::any_takeable(&mut conn, now).await? {
            return Ok(false);
        }
    }
    let claimed = {
        let mut tx = store.begin().await?;
        let claimed = rows::claim(&mut tx, store.backend(), worker, now, now + LEASE_MS).await?;
        tx.commit().await?;
        claimed
    };
    let Some(job) = claimed else {
        return Ok(false);
    };
    if job.runs > 1 {
        tracing::info!(
            job = job.id,
            run = job.runs,
            "resuming an interrupted import"
        );
    }
    let id = job.id.clone();
    let outcome = run(store, worker, job).await;
    let report = match outcome {
        Run::Ended(Ok(report)) => Some(serde_json::to_string(&report).map_err(|error| {
            tracing::error!(%error, "cannot serialize an import report");
            AppError::Internal
        })?),
        Run::Ended(Err(error)) => {
            tracing::error!(?error, job = id, "an import job failed");
            None
        }
        // Another process holds it now and ends it.
        Run::Lost => return Ok(true),
    };
    let mut tx = store.begin().await?;
    rows::finish(&mut tx, &id, worker, now_millis(), report.as_deref()).await?;
    tx.commit().await?;
    Ok(true)
}

enum Run {
    Ended(Result<ImportReport>),
    /// The lease went to another process (this one stalled past it).
    Lost,
}

/// Runs the import while renewing the lease with its progress; gives up when the lease is lost.
/// Takes the job's files, which may be hundreds of MiB: moved, never copied.
async fn run(store: &Store, worker: &str, job: ClaimedRow) -> Run {
    // `submit` let only UTF-8 text in; a row written otherwise reads with U+FFFD in its place.
    let text = |bytes: Option<Vec<u8>>| {
        bytes.map(|b| {
            String::from_utf8(b)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        })
    };
    let files = ImportFiles {
        licenses: job.licenses_file,
        users: text(job.users_file),
        devices: text(job.devices_file),
    };
    let options = ImportOptions {
        dry_run: job.dry_run != 0,
        license_type: LicenseType::parse(&job.license_type).unwrap_or(LicenseType::Organisation),
        max_deactivations: job.max_deactivations,
    };
    let (done, total) = (AtomicU64::new(0), AtomicU64::new(0));
    let progress = |d: u64, t: u64| {
        done.store(d, Ordering::Relaxed);
        total.store(t, Ordering::Relaxed);
    };
    let import = import_licensespring(store, &job.tenant_id, &files, &options, &progress);
    let renewals = async {
        loop {
            tokio::time::sleep(RENEW_EVERY).await;
            let counts = (done.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
            match renew(store, worker, &job.id, counts).await {
                Ok(true) => {}
                Ok(false) => return,
                // The import meets the same database and says so; the lease is not lost yet.
                Err(error) => {
                    tracing::warn!(?error, job = job.id, "cannot renew an import's lease")
                }
            }
        }
    };
    tokio::select! {
        report = import => Run::Ended(report),
        () = renewals => {
            tracing::warn!(job = job.id, "an import's lease went to another process");
            Run::Lost
        }
    }
}

async fn renew(store: &Store, worker: &str, id: &str, counts: (u64, u64)) -> Result<bool> {
    let mut tx = store.begin().await?;
    let renewed = rows::renew(&mut tx, id, worker, now_millis() + LEASE_MS, counts).await?;
    tx.commit().await?;
    Ok(renewed)
}
