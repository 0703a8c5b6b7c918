//! Offline activation on the license page: the form a manager of an Offline Organisation license
//! uploads the desktop app's activation request with, to download a signed license file.
//!
//! A plain multipart form posting to the server's `/licenses/{id}/offline-activation` route (not a
//! server function): the browser saves the answer as a file, with or without JavaScript, and an
//! error comes back as `?offline_error=…` on this page.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use licensing::licenses::{License, LicenseRole, LicenseType};

/// Shown on the Overview tab to the managers of an Offline Organisation license; nothing for
/// anyone else.
#[component]
pub fn OfflineActivation(license: License) -> impl IntoView {
    let query = use_query_map();
    let error = move || {
        query
            .read()
            .get("offline_error")
            .filter(|e| !e.trim().is_empty())
    };
    let shown = license.license_type == LicenseType::OfflineOrganisation
        && license.my_role == LicenseRole::Manager;
    let action = format!("/licenses/{}/offline-activation", license.id);
    shown.then(move || {
        view! {
            <section class="card" aria-labelledby="offline-title">
                <h2 id="offline-title">"Offline activation"</h2>
                <p class="hint">
                    "For a computer without an internet connection: in the desktop app choose offline activation and save the activation request file, bring it here, and download a license file for that computer. Copy the license file to the computer and open it in the app. It takes one device slot, like an online activation, and is valid until the license ends; resetting the device on the Devices tab frees the slot."
                </p>
                {move || error().map(|text| view! { <p role="alert" class="error">{text}</p> })}
                <form
                    class="form"
                    method="post"
                    enctype="multipart/form-data"
                    action=action.clone()
                >
                    <label>
                        "Activation request file"
                        <input name="request" type="file" accept=".json,application/json,text/plain" />
                    </label>
                    <label>
                        "Or paste the request"
                        <textarea
                            name="request_text"
                            rows="5"
                            spellcheck="false"
                            autocomplete="off"
                            placeholder="{\"format\": \"keyport-offline-request/1\", …}"
                        ></textarea>
                    </label>
                    <button type="submit">"Download license file"</button>
                </form>
            </section>
        }
    })
}
