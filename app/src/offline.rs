//! Offline activation on the license page: the form a manager of an Offline Organisation license
//! uploads the desktop app's activation request with, to download a signed license file.
//!
//! A plain multipart form posting to the server's `/licenses/{id}/offline-activation` route (not a
//! server function): the browser saves the answer as a file, with or without JavaScript, and an
//! error comes back as `?offline_error=…` on this page.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use licensing::licenses::{License, LicenseRole, LicenseType};

use crate::i18n::{t, translate_error_message};

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
            .map(|e| translate_error_message(&e))
    };
    let shown = license.license_type == LicenseType::OfflineOrganisation
        && license.my_role == LicenseRole::Manager;
    let action = format!("/licenses/{}/offline-activation", license.id);
    shown.then(move || {
        view! {
            <section class="card" aria-labelledby="offline-title">
                <h2 id="offline-title">{t("offline.heading")}</h2>
                <p class="hint">{t("offline.hint")}</p>
                {move || error().map(|text| view! { <p role="alert" class="error">{text}</p> })}
                <form
                    class="form"
                    method="post"
                    enctype="multipart/form-data"
                    action=action.clone()
                >
                    <label>
                        {t("offline.file")}
                        <input name="request" type="file" accept=".json,application/json,text/plain" />
                    </label>
                    <label>
                        {t("offline.paste")}
                        <textarea
                            name="request_text"
                            rows="5"
                            spellcheck="false"
                            autocomplete="off"
                            placeholder=t("offline.placeholder")
                        ></textarea>
                    </label>
                    <button type="submit">{t("offline.submit")}</button>
                </form>
            </section>
        }
    })
}
