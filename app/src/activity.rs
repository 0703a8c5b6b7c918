//! The Activity tab (license managers): the license's audit log, newest first.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use licensing::audit::AuditPage;
use licensing::AppError;

use crate::layout::{format_time, Loading};
use crate::licenses::{show, LicenseContext};

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
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    });
    let activity = Resource::new(
        move || (ctx.id.get(), page.get(), ctx.version()),
        |(id, page, _)| list_activity(id, page),
    );
    view! {
        <section class="card">
            <h2>"Activity"</h2>
            <p class="hint">"Every change to this license: who did it, when, and from which address."</p>
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
                                        <th scope="col">"Time"</th>
                                        <th scope="col">"Who"</th>
                                        <th scope="col">"What"</th>
                                        <th scope="col">"Device or user"</th>
                                        <th scope="col">"IP address"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {log
                                        .entries
                                        .iter()
                                        .map(|e| {
                                            view! {
                                                <tr data-testid="activity-row">
                                                    <td data-label="Time">{format_time(e.at)}</td>
                                                    <td data-label="Who">{e.actor.clone().unwrap_or_else(|| "—".into())}</td>
                                                    <td data-label="What">{e.describe().to_owned()}</td>
                                                    <td data-label="Device or user">{e.subject.clone()}</td>
                                                    <td data-label="IP address">{e.ip.clone().unwrap_or_else(|| "—".into())}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <nav class="pager" aria-label="Pages">
                                {newer.map(|href| view! { <a href=href>"Newer"</a> })}
                                <span>{format!("Page {}", log.page)}</span>
                                {older.map(|href| view! { <a href=href>"Older"</a> })}
                            </nav>
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}
