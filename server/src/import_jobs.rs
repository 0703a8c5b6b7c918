//! The vendor console's import: `POST /admin/imports` queues an upload (a plain multipart form
//! route, so it works without JavaScript and takes files far past the portal's body limit),
//! `GET /admin/imports/{id}/report` downloads a job's whole report, and each server process runs
//! queued jobs in the background. Every rule lives in `licensing::import`.

use app::i18n::{locale_of, Locale};
use app::import_text::report_lines_in;
use app::session;
use app::state::AppState;
use axum::extract::multipart::{Field as Part, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Extension;
use axum::Router;
use licensing::access::Actor;
use licensing::auth::Principal;
use licensing::error::{Field, InvalidReason};
use licensing::flash::{self, Flash};
use licensing::import::{self, ImportOptions, ImportUpload, Upload};
use licensing::input::{bounded, refuse_nul, MAX_DEACTIVATIONS};
use licensing::licenses::LicenseType;
use licensing::{AppError, Store};
use tokio::task::JoinHandle;

use crate::api::ClientIp;

/// The console's import page, where errors are shown.
const PAGE: &str = "/admin/import";
/// How often an idle process looks for a job to run.
const IDLE_POLL: std::time::Duration = std::time::Duration::from_secs(1);
/// Longest file name kept (as uploaded; shown on the job's page).
const NAME_CHARS: usize = 200;

/// The routes; uploads may be up to `max_bytes` in all.
pub fn routes(max_bytes: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/admin/imports",
            post(upload).layer(DefaultBodyLimit::max(max_bytes)),
        )
        .layer(Extension(Limit {
            mib: (max_bytes / (1024 * 1024)) as i64,
        }))
        .route("/admin/imports/{id}/report", get(download))
}

/// Starts this process's runner: it runs queued (and interrupted) imports until the process ends.
pub fn spawn(store: Store) -> JoinHandle<()> {
    let worker = licensing::store::new_id();
    tokio::spawn(async move {
        loop {
            match import::run_next(&store, &worker).await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(error) => tracing::warn!(%error, "cannot run the import queue"),
            }
            tokio::time::sleep(IDLE_POLL).await;
        }
    })
}

/// The signed-in vendor (their session, with its token), or the response that turns the request
/// away: the login page for no session, the error's page otherwise.
async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    back_to: &str,
) -> Result<(Principal, String), Response> {
    session::signed_in(state, headers)
        .await
        .map_err(|error| match error {
            AppError::Unauthenticated => {
                Redirect::to(&session::login_then(back_to)).into_response()
            }
            error => error_response(locale_of(headers), &error),
        })
}

/// The form's fields: `licenses_file`, `users_file`, `devices_file` (any of them), `dry_run`,
/// `license_type`, `deactivations`. Queued, it answers with the job's page; refused, with the
/// import page showing why.
async fn upload(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Extension(limit): Extension<Limit>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let (who, token) = match signed_in(&state, &headers, PAGE).await {
        Ok(signed_in) => signed_in,
        Err(response) => return response,
    };
    let actor = Actor::new(who, ip);
    let queued = match read_form(form, limit).await {
        Ok(upload) => import::submit(&state.store, &actor, &upload).await,
        Err(error) => Err(error),
    };
    match queued {
        Ok(id) => Redirect::to(&format!("{PAGE}/{id}")).into_response(),
        Err(error) => {
            let note = Flash::ImportRefused { error };
            if let Err(error) = flash::put(&state.store, &token, PAGE, &note).await {
                tracing::error!(?error, "cannot keep the import's error for its page");
            }
            Redirect::to(PAGE).into_response()
        }
    }
}

async fn read_form(
    form: Result<Multipart, MultipartRejection>,
    limit: Limit,
) -> Result<ImportUpload, AppError> {
    let mut form = form.map_err(|_| AppError::invalid(Field::Form, InvalidReason::FormUnsent))?;
    let mut upload = ImportUpload {
        licenses: None,
        users: None,
        devices: None,
        options: ImportOptions {
            dry_run: false,
            license_type: LicenseType::Organisation,
            max_deactivations: 10,
        },
    };
    while let Some(part) = form
        .next_field()
        .await
        .map_err(|e| unreadable(Field::Form, &e, limit))?
    {
        match part.name().unwrap_or_default() {
            "licenses_file" => {
                upload.licenses = read_file(part, Field::LicensesFile, limit).await?
            }
            "users_file" => upload.users = read_file(part, Field::UsersFile, limit).await?,
            "devices_file" => upload.devices = read_file(part, Field::DevicesFile, limit).await?,
            "dry_run" => upload.options.dry_run = true,
            "license_type" => {
                let text = read_text(part, Field::Type, limit).await?;
                upload.options.license_type = LicenseType::parse(text.trim())
                    .ok_or_else(|| AppError::invalid(Field::Type, InvalidReason::NoLicenseType))?;
            }
            "deactivations" => {
                let text = read_text(part, Field::Deactivations, limit).await?;
                upload.options.max_deactivations = deactivations(text.trim())?;
            }
            _ => {}
        }
    }
    Ok(upload)
}

fn deactivations(text: &str) -> Result<i64, AppError> {
    use std::num::IntErrorKind;
    let field = Field::Deactivations;
    match text.parse::<i64>() {
        Ok(n) => bounded(field, n, 0, MAX_DEACTIVATIONS),
        Err(e) if *e.kind() == IntErrorKind::PosOverflow => Err(AppError::invalid(
            field,
            InvalidReason::AtMost {
                max: MAX_DEACTIVATIONS,
            },
        )),
        Err(e) if *e.kind() == IntErrorKind::Empty => {
            Err(AppError::invalid(field, InvalidReason::Required))
        }
        Err(e) => Err(AppError::invalid(
            field,
            InvalidReason::NotValid {
                detail: e.to_string(),
            },
        )),
    }
}

/// A chosen file; a file input left empty sends a part with no name and no bytes: `None`.
async fn read_file(part: Part<'_>, field: Field, limit: Limit) -> Result<Option<Upload>, AppError> {
    let name: String = part
        .file_name()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(NAME_CHARS)
        .collect();
    let bytes = part
        .bytes()
        .await
        .map_err(|e| unreadable(field, &e, limit))?;
    Ok((!bytes.is_empty()).then(|| (name, bytes.to_vec())))
}

async fn read_text(part: Part<'_>, field: Field, limit: Limit) -> Result<String, AppError> {
    let text = part
        .text()
        .await
        .map_err(|e| unreadable(field.clone(), &e, limit))?;
    refuse_nul(&field, &text)?;
    Ok(text)
}

fn unreadable(field: Field, err: &MultipartError, limit: Limit) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::invalid(field, InvalidReason::FileTooLarge { mib: limit.mib })
    } else {
        AppError::invalid(field, InvalidReason::FormUnreadable)
    }
}

/// The upload limit, for the message that names it.
#[derive(Clone, Copy)]
struct Limit {
    mib: i64,
}

#[derive(serde::Deserialize)]
struct Format {
    format: Option<String>,
}

/// The whole report: text lines in the reader's language, or `?format=json` as the command's
/// `--json` prints it.
async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(format): Query<Format>,
    headers: HeaderMap,
) -> Response {
    let page = format!("{PAGE}/{}", app::encode(&id));
    let locale = locale_of(&headers);
    let (who, _) = match signed_in(&state, &headers, &page).await {
        Ok(signed_in) => signed_in,
        Err(response) => return response,
    };
    let report = match refuse_nul(&Field::Path, &id) {
        Ok(()) => import::report(&state.store, &who, &id).await,
        Err(error) => Err(error),
    };
    let report = match report {
        Ok(report) => report,
        Err(error) => return error_response(locale, &error),
    };
    let (body, media_type, extension) = if format.format.as_deref() == Some("json") {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => (json, "application/json", "json"),
            Err(_) => return error_response(locale, &AppError::Internal),
        }
    } else {
        let mut text = report_lines_in(locale, &report).join("\n");
        text.push('\n');
        (text, "text/plain; charset=utf-8", "txt")
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The id was found in the database, so it is one of Keyport's own: letters and digits.
    if let Ok(value) =
        HeaderValue::from_str(&format!("attachment; filename=\"import-{id}.{extension}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn error_response(locale: Locale, error: &AppError) -> Response {
    let status =
        StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, app::error_text::error_text_in(locale, error)).into_response()
}
