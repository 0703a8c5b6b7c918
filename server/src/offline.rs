//! The license page's offline activation: `POST /licenses/{id}/offline-activation` takes the
//! desktop app's activation request (an uploaded file or pasted text) and answers with the signed
//! license file as a download.
//!
//! A plain route rather than a server function, so the portal's ordinary multipart form works
//! without JavaScript and the browser saves the answer as a file. Errors go back to the license
//! page as its one-time note (`licensing::flash`, never in the address), which shows them; every
//! rule lives in `licensing::offline`.

use app::encode;
use app::session::{login_then, session_token_in, signed_in};
use app::state::AppState;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{post, MethodRouter};
use licensing::error::{Field, InvalidReason};
use licensing::flash::{self, Flash};
use licensing::offline::{self, OfflineActivation, MAX_REQUEST_BYTES};
use licensing::AppError;

use crate::api::ClientIp;

/// Largest form accepted: the request file, the textarea, and the multipart framing around them.
const FORM_LIMIT: usize = 4 * MAX_REQUEST_BYTES;
/// Field name of errors about the request as a whole (as `licensing::offline` names them).
const REQUEST: Field = Field::ActivationRequest;

/// The route, with a body limit of its own that still lets an oversized file be answered with a
/// message on the license page; a body past the portal's limit is refused with 413 before
/// (`portal_input`).
pub fn route() -> MethodRouter<AppState> {
    post(download).layer(DefaultBodyLimit::max(FORM_LIMIT))
}

/// The form's fields: `request`, the request file; or `request_text`, its pasted contents.
async fn download(
    State(state): State<AppState>,
    Path(license_id): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let page = format!("/licenses/{}", encode(&license_id).replace('/', "%2F"));
    let (who, token) = match signed_in(&state, &headers).await {
        Ok(signed_in) => signed_in,
        Err(AppError::Unauthenticated) => return Redirect::to(&login_then(&page)).into_response(),
        // The session could not be checked (the database is busy): a note for it may not keep
        // either, but the page says what it can.
        Err(error) => match session_token_in(&headers, state.secure_cookies) {
            Some(token) => return back(&state, &token, &page, error).await,
            None => return Redirect::to(&login_then(&page)).into_response(),
        },
    };
    let request = match read_request(form).await {
        Ok(request) => request,
        Err(error) => return back(&state, &token, &page, error).await,
    };
    match offline::activate(&state.store, &who, &license_id, &request, &ip).await {
        Ok(issued) => license_file(&issued),
        Err(error) => back(&state, &token, &page, error).await,
    }
}

/// The request's bytes: the uploaded file when one was chosen, else the pasted text.
async fn read_request(form: Result<Multipart, MultipartRejection>) -> Result<Vec<u8>, AppError> {
    let mut form =
        form.map_err(|_| AppError::invalid(Field::ActivationRequest, InvalidReason::FormUnsent))?;
    let (mut file, mut text) = (Vec::new(), String::new());
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("request") => file = field.bytes().await.map_err(unreadable)?.to_vec(),
            Some("request_text") => text = field.text().await.map_err(unreadable)?,
            _ => {}
        }
    }
    if !file.is_empty() {
        Ok(file)
    } else if !text.trim().is_empty() {
        Ok(text.into_bytes())
    } else {
        Err(AppError::invalid(
            Field::ActivationRequest,
            InvalidReason::RequestMissing,
        ))
    }
}

fn unreadable(err: MultipartError) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::invalid(
            REQUEST,
            InvalidReason::RequestTooLarge {
                kib: (MAX_REQUEST_BYTES / 1024) as i64,
            },
        )
    } else {
        AppError::invalid(Field::ActivationRequest, InvalidReason::FormUnreadable)
    }
}

/// The license file as a download; never cached, since it is made for one machine.
fn license_file(issued: &OfflineActivation) -> Response {
    let Ok(mut body) = serde_json::to_vec_pretty(&issued.file) else {
        tracing::error!("cannot serialize an offline license file");
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            app::error_text::error_text_in(app::i18n::Locale::En, &AppError::Internal),
        )
            .into_response();
    };
    body.push(b'\n');
    let disposition = format!("attachment; filename=\"{}\"", issued.license.file_name());
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The file name holds only letters, digits, '-', '_' and '.': always a valid header value.
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Back to the license page, which shows the error in `role=alert`: kept as the page's note for
/// this session, so the address stays clean and no crafted link can put words in the alert.
async fn back(state: &AppState, token: &str, page: &str, error: AppError) -> Response {
    let note = Flash::OfflineActivationFailed { error };
    if let Err(error) = flash::put(&state.store, token, page, &note).await {
        tracing::error!(
            ?error,
            "cannot keep the offline activation error for the license page"
        );
    }
    Redirect::to(page).into_response()
}
