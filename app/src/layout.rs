//! The frame around signed-in pages (navigation, language, logout) and the page not found.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::auth::Logout;
use crate::i18n::{t, t_around_link, LanguageSwitcher};

/// Navigation and logout around every signed-in page.
#[component]
pub fn SignedIn(children: Children) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <header class="topbar">
            <a class="brand" href="/dashboard">{t("nav-brand")}</a>
            <nav aria-label=t("nav-main")>
                <A href="/dashboard">{t("nav-dashboard")}</A>
                <A href="/licenses">{t("nav-licenses")}</A>
            </nav>
            <LanguageSwitcher />
            <ActionForm action=logout attr:class="logout">
                <button type="submit" class="link">{t("nav-logout")}</button>
            </ActionForm>
        </header>
        <main id="main" tabindex="-1" class="page">{children()}</main>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let (before, after) = t_around_link("notfound-text");
    view! {
        <Title text=t("notfound-title") />
        <main id="main" tabindex="-1" class="page">
            <h1>{t("notfound-heading")}</h1>
            <p>{before}<a href="/dashboard">{t("notfound-link")}</a>{after}</p>
        </main>
    }
}
