//! The tenant's audit log on the vendor console, narrowed by a GET form (customer, license, who,
//! kind, dates).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use licensing::audit::{AuditFilter, AuditKind, AuditPage};
use licensing::AppError;

use crate::audit_text;
use crate::components::{show, Loading};
use crate::format::format_time;
use crate::i18n::{t, t_args};
use crate::network::use_network;

#[server(endpoint = "admin_audit")]
pub async fn admin_audit(
    // No filter at all sends no field; the default is the whole log.
    #[server(default)] filter: AuditFilter,
    page: u32,
) -> Result<AuditPage, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::audit::list_for_tenant(&state()?.store, &who, &filter, page).await
}

/// `/admin/audit`: the tenant's log, narrowed by the query string (a GET form, so it works
/// without JavaScript and can be bookmarked).
#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let date = |key: &str, days: i64| {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            q.get(key)
                .and_then(|v| time::Date::parse(&v, &format).ok())
                .map(|d| {
                    (d.midnight().assume_utc().unix_timestamp_nanos() / 1_000_000) as i64
                        + days * 86_400_000
                })
        };
        AuditFilter {
            customer_id: q.get("customer_id"),
            license_id: q.get("license_id"),
            actor: q.get("actor"),
            kind: q.get("kind"),
            from: date("from", 0),
            // The "to" day is included: the log runs until the start of the next day.
            until: date("to", 1),
        }
    });
    let page = Memo::new(move |_| crate::nav::page_number(&query.read()));
    let net = use_network();
    let log = Resource::new(
        move || (filter.get(), page.get(), net.epoch()),
        move |(f, p, _)| net.track(admin_audit(f, p)),
    );
    let value = move |key: &'static str| move || query.read().get(key).unwrap_or_default();
    view! {
        <Title text=t("admin-audit") />
        <h1>{t("admin-audit")}</h1>
        <form method="get" action="/admin/audit" class="form filters" role="search">
            <input type="hidden" name="customer_id" value=value("customer_id") />
            <input type="hidden" name="license_id" value=value("license_id") />
            <label>{t("admin-who_filter")} <input name="actor" value=value("actor") /></label>
            <div class="field">
                <label for="audit-kind">{t("admin-kind")}</label>
                <select id="audit-kind" name="kind">
                    <option value="">{t("admin-any")}</option>
                    {AuditKind::FILTERABLE
                        .into_iter()
                        .map(|kind| {
                            view! {
                                <option value=kind.as_str() selected=move || query.read().get("kind").as_deref() == Some(kind.as_str())>
                                    {audit_text::audit_kind(kind)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <label>{t("admin-from")} <input name="from" type="date" value=value("from") /></label>
            <label>{t("admin-to")} <input name="to" type="date" value=value("to") /></label>
            <button type="submit">{t("admin-filter")}</button>
            " "
            <a href="/admin/audit">{t("admin-clear")}</a>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                show(log.await, move |log: AuditPage| {
                    let here = |p: u32| {
                        let mut q = query.get_untracked();
                        q.replace("page", p.to_string());
                        format!("/admin/audit{}", q.to_query_string())
                    };
                    let newer = (log.page > 1).then(|| here(log.page - 1));
                    let older = log.has_more.then(|| here(log.page + 1));
                    view! {
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t("label-time")}</th>
                                    <th scope="col">{t("label-who")}</th>
                                    <th scope="col">{t("label-what")}</th>
                                    <th scope="col">{t("admin-license")}</th>
                                    <th scope="col">{t("admin-details")}</th>
                                    <th scope="col">{t("admin-from")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {log
                                    .entries
                                    .iter()
                                    .map(|e| {
                                        view! {
                                            <tr data-testid="audit-row">
                                                <td data-label=t("label-time")>{format_time(e.at)}</td>
                                                <td data-label=t("label-who")>{e.actor.clone().unwrap_or_else(|| t("admin-system"))}</td>
                                                <td data-label=t("label-what")>{audit_text::audit_action(e.action)}</td>
                                                <td data-label=t("admin-license")>{e.license.clone().unwrap_or_default()}</td>
                                                <td data-label=t("admin-details")>{audit_text::audit_subject(&e.subject)}</td>
                                                <td data-label=t("admin-from")>{e.ip.clone().unwrap_or_default()}</td>
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
    }
}
