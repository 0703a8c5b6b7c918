//! The Activity tab (license managers): the license's audit log, newest first.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use licensing::audit::AuditPage;
use licensing::AppError;

use crate::audit_text;
use crate::components::{show, Loading};
use crate::format::format_time;
use crate::i18n::{t, t_args};
use crate::licenses::LicenseContext;
use crate::network::use_network;

#[server(endpoint = "list_activity")]
pub async fn list_activity(license_id: String, page: u32) -> Result<AuditPage, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::audit::list_for_license(&state()?.store, &who, &license_id, page).await
}

#[component]
pub fn ActivityTab() -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    let query = use_query_map();
    let page = Memo::new(move |_| crate::nav::page_number(&query.read()));
    let net = use_network();
    let activity = Resource::new(
        move || (ctx.id.get(), page.get(), ctx.version()),
        move |(id, page, _)| net.track(list_activity(id, page)),
    );
    view! {
        <section class="card">
            <h2>{t("activity-heading")}</h2>
            <p class="hint">{t("activity-hint")}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(activity.await, move |log: AuditPage| {
                        let base = format!("/licenses/{}/activity", ctx.id.get_untracked());
                        let newer = (log.page > 1).then(|| format!("{base}?page={}", log.page - 1));
                        let older = log.has_more.then(|| format!("{base}?page={}", log.page + 1));
                        view! {
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t("label-time")}</th>
                                        <th scope="col">{t("label-who")}</th>
                                        <th scope="col">{t("label-what")}</th>
                                        <th scope="col">{t("activity-subject")}</th>
                                        <th scope="col">{t("activity-ip")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {log
                                        .entries
                                        .iter()
                                        .map(|e| {
                                            view! {
                                                <tr data-testid="activity-row">
                                                    <td data-label=t("label-time")>{format_time(e.at)}</td>
                                                    <td data-label=t("label-who")>{e.actor.clone().unwrap_or_else(|| "—".into())}</td>
                                                    <td data-label=t("label-what")>{audit_text::audit_action(e.action)}</td>
                                                    <td data-label=t("activity-subject")>{audit_text::audit_subject(&e.subject)}</td>
                                                    <td data-label=t("activity-ip")>{e.ip.clone().unwrap_or_else(|| "—".into())}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <nav class="pager" aria-label=t("pager-label")>
                                {newer.map(|href| view! { <a href=href>{t("pager-newer")}</a> })}
                                <span>{t_args("pager-page", &[("n", &log.page.to_string())])}</span>
                                {older.map(|href| view! { <a href=href>{t("pager-older")}</a> })}
                            </nav>
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}
