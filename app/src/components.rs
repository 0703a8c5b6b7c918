//! Small components every page shares: an error notice, the loading line, a loaded value or its
//! error, and focusing a confirmation dialog.
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

/// Moves the focus into a confirmation dialog when it appears after a click, so keyboard and
/// screen reader users land in it: Tab then reaches its first button. (Without JavaScript the
/// dialog's `autofocus` does the same when the page loads.)
pub fn focus_when_shown(dialog: NodeRef<leptos::html::Section>) {
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            let _ = dialog.focus();
        }
    });
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-busy="true">{t("loading")}</p> }
}
