//! The frame around signed-in pages, error display, and small formatting helpers.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;
use licensing::{AppError, Millis};

use crate::auth::Logout;
use crate::i18n::{t, t_around_link, LanguageSwitcher};

/// Navigation and logout around every signed-in page.
#[component]
pub fn SignedIn(children: Children) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <header class="topbar">
            <a class="brand" href="/dashboard">{t("nav.brand")}</a>
            <nav aria-label=t("nav.main")>
                <A href="/dashboard">{t("nav.dashboard")}</A>
                <A href="/licenses">{t("nav.licenses")}</A>
            </nav>
            <LanguageSwitcher />
            <ActionForm action=logout attr:class="logout">
                <button type="submit" class="link">{t("nav.logout")}</button>
            </ActionForm>
        </header>
        <main id="main" tabindex="-1" class="page">{children()}</main>
    }
}

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

#[component]
pub fn NotFound() -> impl IntoView {
    let (before, after) = t_around_link("notfound.text");
    view! {
        <Title text=t("notfound.title") />
        <main id="main" tabindex="-1" class="page">
            <h1>{t("notfound.heading")}</h1>
            <p>{before}<a href="/dashboard">{t("notfound.link")}</a>{after}</p>
        </main>
    }
}

/// A UTC date and time, e.g. `2026-11-27 20:44 UTC`.
pub fn format_time(ms: Millis) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| "—".into())
}

/// A UTC date, e.g. `2026-11-27`.
pub fn format_date(ms: Millis) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| "—".into())
}

/// `1 deactivation`, `2 deactivations`, in the page's language: `noun` names the catalog entries
/// `count.{noun}.one` and `count.{noun}.other`.
pub fn count(n: i64, noun: &str) -> String {
    crate::i18n::t_count(&format!("count.{noun}"), n)
}

/// The page's path and query without the one-off `__err`/`__path` parameters of a failed form post.
pub(crate) fn current_path(pathname: &str, search: &str) -> String {
    let params: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("__"))
        .collect();
    if params.is_empty() {
        pathname.to_owned()
    } else {
        format!("{pathname}?{}", params.join("&"))
    }
}

/// Percent-encodes a value for a query string.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{count, current_path, encode};

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(0, "deactivation"), "0 deactivations");
        assert_eq!(count(1, "deactivation"), "1 deactivation");
        assert_eq!(count(2, "deactivation"), "2 deactivations");
    }

    #[test]
    fn login_return_path_drops_form_error_parameters() {
        assert_eq!(current_path("/licenses", ""), "/licenses");
        assert_eq!(
            current_path("/l/1/devices", "?reset=9&__path=%2Fapi%2Fx&__err=abc"),
            "/l/1/devices?reset=9"
        );
        assert_eq!(encode("/a?b=c d"), "/a%3Fb%3Dc%20d");
    }
}
