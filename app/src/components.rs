//! Small components every page shares: an error notice, the loading line, a loaded value or its
//! error, and a confirmation dialog.
//!
//! Imports no page module (only catalogs, error texts, the network state and navigation helpers),
//! so pages can share these without importing each other.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use licensing::AppError;

use crate::i18n::t;
use crate::nav::{current_path, encode};

/// Shows an error: a login redirect when the session is gone, a message otherwise.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    // Whatever request failed for want of an answer, the banner and the probe take over from here.
    if error == AppError::Offline {
        crate::network::use_network().went_offline();
    }
    match error {
        AppError::Unauthenticated => {
            let location = use_location();
            let path = format!(
                "/login?next={}",
                encode(&current_path(
                    &location.pathname.get_untracked(),
                    &location.search.get_untracked()
                ))
            );
            view! { <Redirect path /> }.into_any()
        }
        other => {
            view! { <p role="alert" class="error">{crate::error_text::error_text(&other)}</p> }
                .into_any()
        }
    }
}

/// Renders a loaded value, or its error (a login redirect when the session is gone). On the
/// server the page then answers with the error's status: a license user opening the Users tab
/// gets 403, a foreign license 404.
pub fn show<T: 'static, V: IntoView + 'static>(
    result: Result<T, AppError>,
    ok: impl FnOnce(T) -> V,
) -> AnyView {
    match result {
        Ok(value) => ok(value).into_any(),
        Err(error) => {
            #[cfg(feature = "ssr")]
            if error != AppError::Unauthenticated {
                if let (Some(response), Ok(status)) = (
                    use_context::<leptos_axum::ResponseOptions>(),
                    axum::http::StatusCode::from_u16(error.http_status()),
                ) {
                    response.set_status(status);
                }
            }
            view! { <ErrorNotice error /> }.into_any()
        }
    }
}

/// A confirmation asked in the page (an `alertdialog` section, no JavaScript needed): its title,
/// what will happen, and `children`, the form that does it with its Cancel link.
///
/// The focus moves into it when it appears after a click, so keyboard and screen reader users
/// land in it and Tab reaches its first button; without JavaScript, `autofocus` does the same
/// when the page loads.
#[component]
pub fn ConfirmDialog(
    /// Prefix of the title's and text's element ids, unique on the page.
    id: &'static str,
    title: String,
    text: String,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            let _ = dialog.focus();
        }
    });
    view! {
        <section
            class="confirm"
            role="alertdialog"
            aria-labelledby=format!("{id}-title")
            aria-describedby=format!("{id}-text")
            tabindex="-1"
            autofocus
            node_ref=dialog
        >
            <h3 id=format!("{id}-title")>{title}</h3>
            <p id=format!("{id}-text")>{text}</p>
            {children()}
        </section>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-busy="true">{t("loading")}</p> }
}
