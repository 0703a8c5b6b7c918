//! The vendor console's import (`/admin/import`): uploading a LicenseSpring export, the latest
//! imports with their progress, and sending the set-password emails; one import's page
//! (`/admin/import/:id`) with its progress while it runs and its report after.
//!
//! The upload is a plain multipart form posted to `/admin/imports` (server/src/import_jobs.rs),
//! with or without JavaScript. While an import runs its page asks again every second once
//! hydrated, and without JavaScript reloads itself every few seconds.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use licensing::flash::Flash;
use licensing::import::{ImportFile, ImportJob, ImportOverview, JobStatus};
use licensing::AppError;

use crate::components::{show, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::format::format_time;
use crate::i18n::{self, t, t_args, t_count};
use crate::import_text::{refused_row_in, summary_lines_in};
use crate::network::use_network;

/// The page's address.
pub const PATH: &str = "/admin/import";
/// Where the upload form posts (a route of the server, not a page).
const UPLOAD: &str = "/admin/imports";
/// How often a hydrated job page asks for news while the job runs.
const POLL_MS: u64 = 1000;
/// Seconds between reloads of a running job's page without JavaScript.
const RELOAD_SECONDS: u32 = 3;

/// The tenant's latest imports and who awaits a password (vendor staff of the tenant only).
#[server(endpoint = "admin_imports")]
pub async fn admin_imports() -> Result<ImportOverview, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::import::overview(&state()?.store, &who).await
}

/// One import of the tenant, with the first refused rows of its report.
#[server(endpoint = "admin_import_job")]
pub async fn admin_import_job(id: String) -> Result<ImportJob, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::import::job(&state()?.store, &who, &id).await
}

/// *Send set-password emails*: one to every imported person without a password or a usable link.
#[server(endpoint = "admin_import_notify")]
pub async fn admin_import_notify() -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let state = state()?;
    let portal = licensing::mail::Portal::new(&state.public_url);
    let sent = licensing::import::notify(&state.store, &actor, &portal).await?;
    crate::flash::redirect_with(PATH, Flash::ImportNotified { sent }).await;
    Ok(())
}

fn status_text(job: &ImportJob) -> String {
    match job.status {
        JobStatus::Queued => t("imports-status-queued"),
        JobStatus::Running if job.rows_total > 0 => t_args(
            "imports-status-running",
            &[
                ("done", &job.rows_done.to_string()),
                ("total", &job.rows_total.to_string()),
            ],
        ),
        JobStatus::Running => t("imports-status-starting"),
        JobStatus::Done if job.dry_run => t("imports-status-checked"),
        JobStatus::Done => t("imports-status-done"),
        JobStatus::Failed => t("imports-status-failed"),
    }
}

/// A file's name as the form's label says it.
fn file_key(file: ImportFile) -> &'static str {
    match file {
        ImportFile::Licenses => "field-licenses_file",
        ImportFile::Users => "field-users_file",
        ImportFile::Devices => "field-devices_file",
    }
}

fn files_text(job: &ImportJob) -> String {
    job.files
        .iter()
        .map(|(file, name)| format!("{} ({name})", t(file_key(*file))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/admin/import`: the upload form, the latest imports and the set-password emails.
#[component]
pub fn ImportPage() -> impl IntoView {
    let notify = ServerAction::<AdminImportNotify>::new();
    let net = use_network();
    let overview = Resource::new(
        move || (notify.version().get(), net.epoch()),
        move |_| net.track(admin_imports()),
    );
    let flash = use_flash(PATH, move || notify.version().get());
    let failed = move || notify.value().get().and_then(Result::err);
    view! {
        <Title text=t("imports-title") />
        <h1>{t("imports-title")}</h1>
        <p class="hint">{t("imports-intro")}</p>
        <FlashNote flash />
        {move || failed().map(|error| view! { <ErrorNotice error /> })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match flash.await {
                    Some(Flash::ImportRefused { error }) => Some(view! { <ErrorNotice error /> }),
                    _ => None,
                }
            })}
        </Transition>
        <UploadForm />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                show(overview.await, move |o: ImportOverview| {
                    view! {
                        <Invitations awaiting=o.awaiting_password notify />
                        <JobList jobs=o.jobs />
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
fn UploadForm() -> impl IntoView {
    view! {
        <section class="card">
            <h2>{t("imports-upload")}</h2>
            <p class="hint">{t("imports-upload_hint")}</p>
            <form method="post" action=UPLOAD enctype="multipart/form-data" class="form">
                <label>
                    {t(file_key(ImportFile::Licenses))} " (CSV)"
                    <input type="file" name="licenses_file" accept=".csv,text/csv" data-testid="licenses-file" />
                </label>
                <label>
                    {t(file_key(ImportFile::Users))} " (JSON lines)"
                    <input type="file" name="users_file" accept=".jsonl,.json,.txt" data-testid="users-file" />
                </label>
                <label>
                    {t(file_key(ImportFile::Devices))} " (JSON lines)"
                    <input type="file" name="devices_file" accept=".jsonl,.json,.txt" data-testid="devices-file" />
                </label>
                <label>
                    {t("imports-license_type")}
                    <select name="license_type">
                        {super::license_type_options()}
                    </select>
                </label>
                <label>
                    {t("imports-deactivations")}
                    <input type="number" name="deactivations" value="10" min="0" max="1000000" required />
                </label>
                <label class="check">
                    <input type="checkbox" name="dry_run" data-testid="dry-run" />
                    {t("imports-dry_run_label")}
                </label>
                <button type="submit">{t("imports-start")}</button>
            </form>
        </section>
    }
}

/// How many imported people have no password yet, and the button that emails them a link.
#[component]
fn Invitations(awaiting: u64, notify: ServerAction<AdminImportNotify>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{t("imports-invitations")}</h2>
            <p data-testid="awaiting-password">{t_count("imports-awaiting", awaiting as i64)}</p>
            {(awaiting > 0)
                .then(|| {
                    view! {
                        <ActionForm action=notify>
                            <button type="submit" disabled=move || notify.pending().get()>
                                {t("imports-notify")}
                            </button>
                        </ActionForm>
                    }
                })}
        </section>
    }
}

#[component]
fn JobList(jobs: Vec<ImportJob>) -> impl IntoView {
    if jobs.is_empty() {
        return view! { <p data-testid="imports-empty">{t("imports-none")}</p> }.into_any();
    }
    view! {
        <h2>{t("imports-latest")}</h2>
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{t("label-time")}</th>
                    <th scope="col">{t("imports-by")}</th>
                    <th scope="col">{t("imports-files")}</th>
                    <th scope="col">{t("label-status")}</th>
                </tr>
            </thead>
            <tbody>
                {jobs
                    .iter()
                    .map(|job| {
                        view! {
                            <tr data-testid="import-row">
                                <td data-label=t("label-time")>
                                    <a href=format!("{PATH}/{}", job.id)>{format_time(job.created_at)}</a>
                                </td>
                                <td data-label=t("imports-by")>{job.created_by.clone()}</td>
                                <td data-label=t("imports-files")>{files_text(job)}</td>
                                <td data-label=t("label-status")>{status_text(job)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// `/admin/import/:id`: one import's progress, then its report.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let net = use_network();
    let tick = RwSignal::new(0u64);
    let job = Resource::new(
        move || (id.get(), net.epoch(), tick.get()),
        move |(id, _, _)| net.track(admin_import_job(id)),
    );
    // Effects run in the browser only: while the job is open, ask again a second after each answer.
    Effect::new(move |_| {
        if let Some(Ok(job)) = job.get() {
            if job.status.is_open() {
                set_timeout(
                    move || tick.update(|n| *n += 1),
                    std::time::Duration::from_millis(POLL_MS),
                );
            }
        }
    });
    view! {
        <Title text=t("imports-job_title") />
        <p><a href=PATH>{t("imports-back")}</a></p>
        <h1>{t("imports-job_title")}</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                show(job.await, |job: ImportJob| view! { <JobView job /> })
            })}
        </Transition>
    }
}

#[component]
fn JobView(job: ImportJob) -> impl IntoView {
    let reload = job.status.is_open().then(|| {
        // Parsed only without JavaScript: a hydrated page asks by itself.
        let meta = format!(r#"<meta http-equiv="refresh" content="{RELOAD_SECONDS}">"#);
        view! { <noscript inner_html=meta></noscript> }
    });
    let percent = (job.rows_total > 0).then(|| job.rows_done * 100 / job.rows_total);
    let speed = job.rows_per_second.map(|rate| {
        let left = job.seconds_left.unwrap_or(0);
        // Minutes once seconds stop being easy to read.
        let (key, left) = if left >= 120 {
            ("imports-speed-minutes", left.div_ceil(60))
        } else {
            ("imports-speed", left)
        };
        t_args(
            key,
            &[("rate", &rate.to_string()), ("left", &left.to_string())],
        )
    });
    view! {
        {reload}
        <section class="card" data-testid="import-job" data-status=format!("{:?}", job.status).to_lowercase()>
            <dl class="facts">
                <dt>{t("label-status")}</dt>
                <dd data-testid="import-status">{status_text(&job)}</dd>
                <dt>{t("imports-files")}</dt>
                <dd>{files_text(&job)}</dd>
                <dt>{t("imports-by")}</dt>
                <dd>{job.created_by.clone()}</dd>
                <dt>{t("label-time")}</dt>
                <dd>{format_time(job.created_at)}</dd>
            </dl>
            {job.status.is_open().then(|| view! {
                <progress max="100" value=percent.unwrap_or(0).to_string() aria-label=t("imports-progress")>
                    {format!("{}%", percent.unwrap_or(0))}
                </progress>
                <p class="hint">{speed}</p>
            })}
            {(job.runs > 1).then(|| view! { <p class="hint">{t("imports-resumed")}</p> })}
            {(job.status == JobStatus::Failed).then(|| view! { <p role="alert" class="error">{t("imports-failed_hint")}</p> })}
        </section>
        {job.report.clone().map(|report| {
            let lines = summary_lines_in(i18n::current(), &report, job.refused_total);
            let rows = report
                .refused
                .iter()
                .map(|row| view! { <li>{refused_row_in(i18n::current(), row)}</li> })
                .collect_view();
            let more = job.refused_total.saturating_sub(report.refused.len() as u64);
            let download = format!("{UPLOAD}/{}/report", job.id);
            view! {
                <section class="card" data-testid="import-report">
                    <h2>{t("imports-report")}</h2>
                    {lines.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                    <ul class="refused">{rows}</ul>
                    {(more > 0).then(|| view! { <p class="hint">{t_count("imports-more_refused", more as i64)}</p> })}
                    <p>
                        <a href=download.clone() download data-testid="report-download">{t("imports-download")}</a>
                        " · "
                        <a href=format!("{download}?format=json") download>{t("imports-download_json")}</a>
                    </p>
                </section>
            }
        })}
    }
}
