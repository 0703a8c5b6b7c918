//! An import uploaded in the vendor console and run in the background: what the console shows of
//! it while it waits, runs and after it ended.

use serde::{Deserialize, Serialize};

use super::{ImportFile, ImportReport};
use crate::Millis;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for a server process to take it.
    Queued,
    Running,
    /// Ended with a report (refused rows or not).
    Done,
    /// The database failed midway: whole batches before stay; the same files again resume it.
    Failed,
}

impl JobStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "queued" => Some(Self::Queued),
            "running" => Some(Self::Running),
            "done" => Some(Self::Done),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }

    /// Whether the job is still to end, so its page keeps asking.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Queued | Self::Running)
    }
}

/// One job, as the console lists and shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    pub id: String,
    pub status: JobStatus,
    pub dry_run: bool,
    /// The uploaded files and the names they came with.
    pub files: Vec<(ImportFile, String)>,
    /// The email of the staff member who uploaded it.
    pub created_by: String,
    pub created_at: Millis,
    pub started_at: Option<Millis>,
    pub finished_at: Option<Millis>,
    pub rows_done: u64,
    pub rows_total: u64,
    /// How many times a process started it: more than once when a server stopped while it ran
    /// and another run resumed it.
    pub runs: u64,
    /// While it runs: rows per second so far, and the seconds left at that rate.
    pub rows_per_second: Option<u64>,
    pub seconds_left: Option<u64>,
    /// Once done: the report, its refused rows cut to the first [`REPORT_ROWS_SHOWN`] (the
    /// download has them all); `refused_total` counts them all.
    pub report: Option<ImportReport>,
    pub refused_total: u64,
}

/// Refused rows a job's page lists; the downloaded report has every one.
pub const REPORT_ROWS_SHOWN: usize = 100;

/// The console's import page: recent jobs, and how many imported people have no password yet
/// and no usable set-password link (whom *Send set-password emails* would reach).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOverview {
    pub jobs: Vec<ImportJob>,
    pub awaiting_password: u64,
}
