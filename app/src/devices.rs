//! The Devices tab: the devices a license is activated on, and resetting one.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use licensing::devices::{Device, DevicePage, ResetOutcome};
use licensing::AppError;

use crate::components::{show, ConfirmDialog, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::format::{count, format_time};
use crate::i18n::{t, t_args};
use crate::licenses::LicenseContext;
use crate::network::use_network;

/// One page of the license's devices the caller may see, narrowed by `search` (name or hardware
/// id); both optional, so a call with the license alone gets the first page of all of them.
#[server(endpoint = "list_devices")]
pub async fn list_devices(
    license_id: String,
    #[server(default)] search: String,
    #[server(default)] page: u32,
) -> Result<DevicePage, AppError> {
    use crate::session::{client_ip, require_login, state};
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    licensing::devices::page(&state()?.store, &actor, &license_id, &search, page).await
}

/// Resets one device, then returns to the Devices tab with a note of what happened (kept for the
/// session, see `crate::flash`, so it shows with and without JavaScript).
#[server(endpoint = "reset_device")]
pub async fn reset_device(device_id: String) -> Result<ResetOutcome, AppError> {
    use crate::flash::redirect_with;
    use crate::session::{client_ip, require_login, state};
    use licensing::flash::Flash;
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let outcome = licensing::devices::reset(&state()?.store, &actor, &device_id).await?;
    redirect_with(
        &format!("/licenses/{}/devices", outcome.license_id),
        Flash::DeviceReset {
            device: outcome.device_name.clone(),
            deactivations_left: outcome.deactivations_left,
        },
    )
    .await;
    Ok(outcome)
}

#[component]
pub fn DevicesTab() -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let page = Memo::new(move |_| crate::nav::page_number(&query.read()));
    let net = use_network();
    let devices = Resource::new(
        move || (ctx.id.get(), search.get(), page.get(), ctx.version()),
        move |(id, search, page, _)| net.track(list_devices(id, search, page)),
    );
    let reset = ServerAction::<ResetDevice>::new();
    ctx.notify_when(reset.version());
    let failed = move || reset.value().get().and_then(Result::err);
    let flash = use_flash("/licenses/:id/devices", move || ctx.changes());
    // This page of this search, for the links that stay on it (reset, cancel, pager).
    let here = move |page: u32| {
        let mut params = Vec::new();
        let search = search.get_untracked();
        if !search.is_empty() {
            params.push(format!("q={}", crate::nav::encode(&search)));
        }
        if page > 1 {
            params.push(format!("page={page}"));
        }
        params.join("&")
    };
    view! {
        <section class="card">
            <h2>{t("devices-heading")}</h2>
            <p class="hint">{t("devices-hint")}</p>
            <FlashNote flash />
            {move || failed().map(|error| view! { <ErrorNotice error /> })}
            <form method="get" class="form row" role="search">
                <div class="field">
                    <label for="device-search">{t("devices-search_label")}</label>
                    <input id="device-search" name="q" maxlength="200" value=move || search.get() />
                </div>
                <button type="submit">{t("devices-search")}</button>
            </form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let license = ctx.license.await;
                    show(devices.await, move |found: DevicePage| {
                        let left = license.map(|l| l.deactivations_left()).unwrap_or_default();
                        let confirm = move || {
                            if failed().is_some() {
                                return None;
                            }
                            query.read().get("reset")
                        };
                        let for_confirm = found.devices.clone();
                        let stay = here(found.page);
                        let cancel = stay.clone();
                        let previous = (found.page > 1).then(|| format!("?{}", here(found.page - 1)));
                        let next = found.has_more.then(|| format!("?{}", here(found.page + 1)));
                        let searched = !search.get_untracked().is_empty();
                        view! {
                            {move || {
                                let id = confirm()?;
                                let device = for_confirm.iter().find(|d| d.id == id)?.clone();
                                let cancel = cancel.clone();
                                Some(view! { <ConfirmReset device left reset cancel /> })
                            }}
                            <p class="hint" data-testid="device-count">
                                {count(found.total, "device")}
                            </p>
                            <DeviceTable list=found.devices searched stay />
                            {(previous.is_some() || next.is_some()).then(|| view! {
                                <nav class="pager" aria-label=t("pager-label")>
                                    {previous.map(|href| view! { <a href=href>{t("pager-previous")}</a> })}
                                    <span>{t_args("pager-page", &[("n", &found.page.to_string())])}</span>
                                    {next.map(|href| view! { <a href=href>{t("pager-next")}</a> })}
                                </nav>
                            })}
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DeviceTable(list: Vec<Device>, searched: bool, stay: String) -> impl IntoView {
    if list.is_empty() {
        let empty = if searched {
            t("devices-no_match")
        } else {
            t("devices-empty")
        };
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let stay = if stay.is_empty() {
        String::new()
    } else {
        format!("&{stay}")
    };
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{t("devices-device")}</th>
                    <th scope="col">{t("devices-os")}</th>
                    <th scope="col">{t("devices-activated_by")}</th>
                    <th scope="col">{t("devices-first_activated")}</th>
                    <th scope="col">{t("devices-last_seen")}</th>
                    <th scope="col">
                        <span class="visually-hidden">{t("label-actions")}</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|d| {
                        view! {
                            <tr data-testid="device-row">
                                <td data-label=t("devices-device")>{d.name.clone()}</td>
                                <td data-label=t("devices-os")>{d.os.clone()}</td>
                                <td data-label=t("devices-activated_by")>
                                    {d.activated_by.clone().unwrap_or_else(|| t("devices-by_license_key"))}
                                </td>
                                <td data-label=t("devices-first_activated")>{format_time(d.first_activated_at)}</td>
                                <td data-label=t("devices-last_seen")>{format_time(d.last_seen_at)}</td>
                                <td class="actions">
                                    <a
                                        class="button small"
                                        href=format!("?reset={}{stay}", d.id)
                                        aria-label=t_args("devices-reset_label", &[("name", &d.name)])
                                    >
                                        {t("devices-reset")}
                                    </a>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Asks before a reset: it cannot be undone and uses one deactivation.
#[component]
fn ConfirmReset(
    device: Device,
    left: i64,
    reset: ServerAction<ResetDevice>,
    /// The query of the page the dialog was opened on, to go back to it.
    cancel: String,
) -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    view! {
        <ConfirmDialog
            id="confirm"
            title=t_args("devices-confirm_title", &[("name", &device.name)])
            text=t_args("devices-confirm_text", &[("left", &count(left, "deactivation"))])
        >
            <ActionForm action=reset>
                <input type="hidden" name="device_id" value=device.id.clone() />
                <button type="submit" class="danger" disabled=move || reset.pending().get()>
                    {t("devices-submit")}
                </button>
                " "
                <a href=move || {
                    let query = if cancel.is_empty() { String::new() } else { format!("?{cancel}") };
                    format!("/licenses/{}/devices{query}", ctx.id.get())
                }>{t("action-cancel")}</a>
            </ActionForm>
        </ConfirmDialog>
    }
}
