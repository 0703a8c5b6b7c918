//! The vendor console's outbox (`/admin/outbox`): every email Keyport wrote for the tenant, with
//! its recipient, subject and status, and one message's text (`/admin/outbox/:id`). Without an
//! SMTP server this is where a vendor trying Keyport sees exactly what would be sent.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use licensing::i18n::Locale;
use licensing::mail::{MailKind, MailSettings, MailStatus, OutboxEntry};
use licensing::AppError;

use crate::components::{show, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::format::format_time;
use crate::i18n::t;
use crate::network::use_network;

/// The page's address.
pub const PATH: &str = "/admin/outbox";

/// One page of the tenant's messages, newest first (vendor staff of the tenant only).
#[server(endpoint = "admin_outbox")]
pub async fn admin_outbox(#[server(default)] page: i64) -> Result<Vec<OutboxEntry>, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::mail::list_for_tenant(&state()?.store, &who, page).await
}

/// The tenant's email settings (vendor staff of the tenant only).
#[server(endpoint = "admin_mail_settings")]
pub async fn admin_mail_settings() -> Result<MailSettings, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::mail::settings(&state()?.store, &who).await
}

/// Saves the default language of email and the support address replies go to.
#[server(endpoint = "admin_save_mail_settings")]
pub async fn admin_save_mail_settings(
    default_language: String,
    support_email: String,
) -> Result<(), AppError> {
    use crate::session::{client_ip, require_login, state};
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    licensing::mail::save_settings(&state()?.store, &actor, &default_language, &support_email)
        .await?;
    crate::flash::redirect_with(PATH, licensing::flash::Flash::MailSettingsSaved).await;
    Ok(())
}

/// One message of the tenant, with its text (vendor staff of the tenant only).
#[server(endpoint = "admin_outbox_message")]
pub async fn admin_outbox_message(id: String) -> Result<OutboxEntry, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    // It may hold a set-password link: not for a browser's or a proxy's cache.
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    licensing::mail::get_for_tenant(&state()?.store, &who, &id).await
}

fn kind_text(kind: &str) -> String {
    match MailKind::parse(kind) {
        Some(MailKind::Credentials) => t("outbox-kind-credentials"),
        Some(MailKind::Receipt) => t("outbox-kind-receipt"),
        Some(MailKind::Invitation) => t("outbox-kind-invitation"),
        Some(MailKind::InvitationRefused) => t("outbox-kind-invitation_refused"),
        Some(MailKind::PasswordReset) => t("outbox-kind-password_reset"),
        Some(MailKind::PasswordChanged) => t("outbox-kind-password_changed"),
        None => kind.to_owned(),
    }
}

fn status_text(entry: &OutboxEntry) -> String {
    match entry.status {
        MailStatus::Pending if entry.attempts == 0 => t("outbox-status-waiting"),
        MailStatus::Pending => t("outbox-status-retrying"),
        MailStatus::Sent => t("outbox-status-sent"),
        MailStatus::Failed => t("outbox-status-failed"),
    }
}

/// `/admin/outbox`: the tenant's messages.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(0)
            .max(0)
    });
    let net = use_network();
    let messages = Resource::new(
        move || (page.get(), net.epoch()),
        move |(page, _)| net.track(admin_outbox(page)),
    );
    view! {
        <Title text=t("outbox-title") />
        <h1>{t("outbox-title")}</h1>
        <p class="hint">{t("outbox-intro")}</p>
        <SettingsForm />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                show(messages.await, move |list: Vec<OutboxEntry>| {
                    let older = (list.len() as i64 == licensing::mail::PAGE)
                        .then(|| format!("{PATH}?page={}", page.get_untracked() + 1));
                    let newer = (page.get_untracked() > 0)
                        .then(|| format!("{PATH}?page={}", page.get_untracked() - 1));
                    if list.is_empty() {
                        return view! { <p data-testid="outbox-empty">{t("outbox-empty")}</p> }
                            .into_any();
                    }
                    view! {
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t("label-time")}</th>
                                    <th scope="col">{t("outbox-to")}</th>
                                    <th scope="col">{t("outbox-subject")}</th>
                                    <th scope="col">{t("outbox-kind")}</th>
                                    <th scope="col">{t("outbox-status")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .iter()
                                    .map(|m| {
                                        view! {
                                            <tr data-testid="outbox-row">
                                                <td data-label=t("label-time")>{format_time(m.created_at)}</td>
                                                <td data-label=t("outbox-to")>{m.recipient.clone()}</td>
                                                <td data-label=t("outbox-subject")>
                                                    <a href=format!("{PATH}/{}", m.id)>{m.subject.clone()}</a>
                                                </td>
                                                <td data-label=t("outbox-kind")>{kind_text(&m.kind)}</td>
                                                <td data-label=t("outbox-status")>{status_text(m)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <nav class="pager" aria-label=t("outbox-pages")>
                            {newer.map(|href| view! { <a href=href>{t("outbox-newer")}</a> })}
                            " "
                            {older.map(|href| view! { <a href=href>{t("outbox-older")}</a> })}
                        </nav>
                    }
                        .into_any()
                })
            })}
        </Suspense>
    }
}

/// The tenant's email settings: the language of email to people who never chose one, and the
/// support address replies go to.
#[component]
fn SettingsForm() -> impl IntoView {
    let save = ServerAction::<AdminSaveMailSettings>::new();
    let net = use_network();
    let settings = Resource::new(
        move || (save.version().get(), net.epoch()),
        move |_| net.track(admin_mail_settings()),
    );
    let flash = use_flash(PATH, move || save.version().get());
    view! {
        <section class="card" aria-labelledby="mail-settings">
            <h2 id="mail-settings">{t("outbox-settings")}</h2>
            <FlashNote flash />
            {move || save.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(settings.await, move |s: MailSettings| {
                        view! {
                            <ActionForm action=save attr:class="form row">
                                <div class="field">
                                    <label for="default-language">{t("outbox-default_language")}</label>
                                    <select id="default-language" name="default_language">
                                        {Locale::ALL
                                            .iter()
                                            .map(|l| {
                                                let selected = l.code() == s.default_language;
                                                view! {
                                                    <option value=l.code() lang=l.code() selected=selected>
                                                        {l.native_name()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="support-email">{t("outbox-support_email")}</label>
                                    <input
                                        id="support-email"
                                        name="support_email"
                                        type="email"
                                        value=s.support_email.clone().unwrap_or_default()
                                        aria-describedby="support-hint"
                                    />
                                </div>
                                <button type="submit" disabled=move || save.pending().get()>
                                    {t("outbox-settings_save")}
                                </button>
                            </ActionForm>
                            <p id="support-hint" class="hint">{t("outbox-support_hint")}</p>
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

/// `/admin/outbox/:id`: one message as it is (or would be) sent: headers, status, plain text.
#[component]
pub fn OutboxMessagePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let net = use_network();
    let message = Resource::new(
        move || (id.get(), net.epoch()),
        move |(id, _)| net.track(admin_outbox_message(id)),
    );
    view! {
        <Title text=t("outbox-title") />
        <p class="crumbs"><a href=PATH>{t("outbox-title")}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                show(message.await, |m: OutboxEntry| {
                    view! {
                        <h1>{m.subject.clone()}</h1>
                        <dl class="facts">
                            <dt>{t("outbox-to")}</dt>
                            <dd data-testid="outbox-to">{m.recipient.clone()}</dd>
                            <dt>{t("outbox-kind")}</dt>
                            <dd>{kind_text(&m.kind)}</dd>
                            <dt>{t("outbox-status")}</dt>
                            <dd data-testid="outbox-status">{status_text(&m)}</dd>
                            <dt>{t("label-time")}</dt>
                            <dd>{format_time(m.created_at)}</dd>
                            {m.last_error.clone().map(|error| view! {
                                <dt>{t("outbox-last_error")}</dt>
                                <dd>{error}</dd>
                            })}
                        </dl>
                        <section class="card">
                            <h2>{t("outbox-text")}</h2>
                            <pre class="mail-text" data-testid="outbox-text">{m.text.clone()}</pre>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}
