//! The language switcher: a plain form posting to `set_language`, which sets the cookie and
//! returns to the page (a local path only).

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use licensing::AppError;

use super::{current, t, Locale};

/// Sets the language cookie and goes back to the page the switcher was on. A plain form posts
/// here (see [`LanguageSwitcher`]), so the browser loads that page anew in the new language.
#[server(endpoint = "set_language")]
pub async fn set_language(lang: String, next: Option<String>) -> Result<(), AppError> {
    let locale = Locale::from_tag(&lang).unwrap_or_default();
    // Not HttpOnly: the client-rendered build (Trunk) has no server render to read it for it, and
    // a language is no secret. Over HTTPS it still never travels in the clear.
    let secure = crate::session::state().is_ok_and(|state| state.secure_cookies);
    crate::session::append_cookie(&language_cookie(locale, secure));
    // A logged-in person's choice is also the language of the email they receive. Switching
    // works logged out and with the database away; remembering it is a nicety.
    if let Ok(who) = crate::session::require_login().await {
        if let Ok(state) = crate::session::state() {
            if let Err(error) = licensing::mail::remember_language(&state.store, &who, locale).await
            {
                tracing::warn!(%error, "cannot remember the chosen language");
            }
        }
    }
    leptos_axum::redirect(&local_path(next.as_deref()));
    Ok(())
}

/// The `Set-Cookie` value of the language: a year long, for the whole portal, Secure over HTTPS.
pub fn language_cookie(locale: Locale, secure: bool) -> String {
    cookie::Cookie::build((super::LANGUAGE_COOKIE, locale.code()))
        .path("/")
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::days(365))
        .secure(secure)
        .build()
        .to_string()
}

/// The page to return to after switching, if it is on this portal; else the start page.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path) if crate::nav::is_local_path(path) => path.to_owned(),
        _ => "/".to_owned(),
    }
}

/// The language switcher: a labelled select and a button in an ordinary form, posting to
/// [`set_language`] with the current address to come back to. Not an `ActionForm`: the browser
/// must load the page anew in the new language, and a plain form does that with and without
/// JavaScript alike (an `ActionForm` would only navigate inside the app).
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let locale = current();
    let location = use_location();
    let here = move || crate::nav::current_path(&location.pathname.get(), &location.search.get());
    view! {
        <form class="language" method="post" action=SetLanguage::url()>
            <input type="hidden" name="next" value=here />
            <label for="language">{t("language-label")}</label>
            <select id="language" name="lang">
                {Locale::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            <option value=l.code() lang=l.code() selected=l == locale>
                                {l.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="small secondary">{t("language-submit")}</button>
        </form>
    }
}
