//! The Devices tab: the devices a license is activated on, and resetting one.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use licensing::devices::{Device, ResetOutcome};
use licensing::AppError;

use crate::layout::{count, focus_when_shown, format_time, ErrorNotice, Loading, StatusNote};
use crate::licenses::{show, LicenseContext};

#[server(endpoint = "list_devices")]
pub async fn list_devices(license_id: String) -> Result<Vec<Device>, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    licensing::devices::list(&state()?.store, &who, &license_id).await
}

/// Resets one device, then returns to the Devices tab with a note of what happened (in the URL,
/// so the note shows with and without JavaScript).
#[server(endpoint = "reset_device")]
pub async fn reset_device(device_id: String) -> Result<ResetOutcome, AppError> {
    use crate::layout::encode;
    use crate::session::{client_ip, require_login, state};
    let who = require_login().await?;
    let outcome =
        licensing::devices::reset(&state()?.store, &who, &device_id, &client_ip()).await?;
    leptos_axum::redirect(&format!(
        "/licenses/{}/devices?was_reset={}&left={}",
        outcome.license_id,
        encode(&outcome.device_name),
        outcome.deactivations_left
    ));
    Ok(outcome)
}

#[component]
pub fn DevicesTab() -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    let query = use_query_map();
    let devices = Resource::new(
        move || (ctx.id.get(), ctx.version()),
        |(id, _)| list_devices(id),
    );
    let failed = move || ctx.reset.value().get().and_then(Result::err);
    let done = Signal::derive(move || {
        let q = query.read();
        let (name, left) = (q.get("was_reset")?, q.get("left")?);
        let left = count(left.parse().unwrap_or_default(), "deactivation");
        Some(format!("{name} was reset. {left} left."))
    });
    view! {
        <section class="card">
            <h2>"Devices"</h2>
            <p class="hint">
                "Every device the license is activated on. Reset a device to free its slot when the desktop app says the license is on too many devices."
            </p>
            <StatusNote text=done />
            {move || failed().map(|error| view! { <ErrorNotice error /> })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let license = ctx.license.await;
                    show(devices.await, move |list| {
                        let left = license.map(|l| l.deactivations_left()).unwrap_or_default();
                        let confirm = move || {
                            if failed().is_some() {
                                return None;
                            }
                            query.read().get("reset")
                        };
                        let for_confirm = list.clone();
                        view! {
                            {move || {
                                let id = confirm()?;
                                let device = for_confirm.iter().find(|d| d.id == id)?.clone();
                                Some(view! { <ConfirmReset device left /> })
                            }}
                            <DeviceTable list />
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DeviceTable(list: Vec<Device>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"No device is active on this license."</p> }.into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">"Device"</th>
                    <th scope="col">"OS"</th>
                    <th scope="col">"Activated by"</th>
                    <th scope="col">"First activated"</th>
                    <th scope="col">"Last seen"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|d| {
                        view! {
                            <tr data-testid="device-row">
                                <td data-label="Device">{d.name.clone()}</td>
                                <td data-label="OS">{d.os.clone()}</td>
                                <td data-label="Activated by">{d.activated_by.clone().unwrap_or_else(|| "License key".into())}</td>
                                <td data-label="First activated">{format_time(d.first_activated_at)}</td>
                                <td data-label="Last seen">{format_time(d.last_seen_at)}</td>
                                <td class="actions">
                                    <Show when=move || d.can_reset>
                                        <a
                                            class="button small"
                                            href=format!("?reset={}", d.id)
                                            aria-label=format!("Reset {}", d.name)
                                        >
                                            "Reset"
                                        </a>
                                    </Show>
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
fn ConfirmReset(device: Device, left: i64) -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    let dialog = NodeRef::new();
    focus_when_shown(dialog);
    view! {
        <section
            class="confirm"
            role="alertdialog"
            aria-labelledby="confirm-title"
            aria-describedby="confirm-text"
            tabindex="-1"
            autofocus
            node_ref=dialog
        >
            <h3 id="confirm-title">{format!("Reset {}?", device.name)}</h3>
            <p id="confirm-text">
                {format!(
                    "This deactivates the device: the desktop app on it must be activated again. It uses 1 of the {} left on this license.",
                    count(left, "deactivation"),
                )}
            </p>
            <ActionForm action=ctx.reset>
                <input type="hidden" name="device_id" value=device.id.clone() />
                <button type="submit" class="danger" disabled=move || ctx.reset.pending().get()>
                    "Reset device"
                </button>
                " "
                <a href=move || format!("/licenses/{}/devices", ctx.id.get())>"Cancel"</a>
            </ActionForm>
        </section>
    }
}
