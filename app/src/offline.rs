//! Offline activation on the license page: the form a manager of an Offline Organisation license
//! uploads the desktop app's activation request with, to download a signed license file.
//!
//! A plain multipart form posting to the server's `/licenses/{id}/offline-activation` route (not a
//! server function): the browser saves the answer as a file, with or without JavaScript. A refusal
//! redirects back to this page with the error kept as the page's one-time note
//! (`licensing::flash`), never in the address.

use leptos::prelude::*;
use licensing::licenses::{License, LicenseRole, LicenseType};
use licensing::AppError;

use crate::error_text::error_text;
use crate::i18n::t;

/// Shown on the Overview tab to the managers of an Offline Organisation license; nothing for
/// anyone else. `error` is why the last upload was refused (the Overview tab's note).
#[component]
pub fn OfflineActivation(license: License, error: Option<AppError>) -> impl IntoView {
    let error = error.as_ref().map(error_text);
    let shown = license.license_type == LicenseType::OfflineOrganisation
        && license.my_role == LicenseRole::Manager;
    let action = format!("/licenses/{}/offline-activation", license.id);
    shown.then(move || {
        view! {
            <section class="card" aria-labelledby="offline-title">
                <h2 id="offline-title">{t("offline-heading")}</h2>
                <p class="hint">{t("offline-hint")}</p>
                {error.map(|text| view! { <p role="alert" class="error">{text}</p> })}
                <form
                    class="form"
                    method="post"
                    enctype="multipart/form-data"
                    action=action.clone()
                >
                    <label>
                        {t("offline-file")}
                        <input name="request" type="file" accept=".json,application/json,text/plain" />
                    </label>
                    <label>
                        {t("offline-paste")}
                        <textarea
                            name="request_text"
                            rows="5"
                            spellcheck="false"
                            autocomplete="off"
                            placeholder=t("offline-placeholder")
                        ></textarea>
                    </label>
                    <button type="submit">{t("offline-submit")}</button>
                </form>
            </section>
        }
    })
}
