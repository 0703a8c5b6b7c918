//! Logging in and out of the portal.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use licensing::AppError;

use crate::components::ErrorNotice;
use crate::i18n::{t, LanguageSwitcher};
use crate::nav::is_local_path;

/// Logs in with company ID, email and password, then goes to `next` (a path of this portal) or
/// the dashboard.
#[server(endpoint = "login")]
pub async fn login(
    company: String,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::session::{client_ip, session_token, set_session_cookie, state};
    use licensing::auth::Credentials;

    let state = state()?;
    let creds = Credentials {
        company,
        email,
        password,
    };
    let previous = session_token();
    let session = match licensing::auth::login(
        &state.store,
        &creds,
        previous.as_deref(),
        state.sessions,
        &state.throttle,
        &client_ip(),
    )
    .await
    {
        Ok(session) => session,
        Err(error) => {
            crate::session::keep_typed_login(&creds.company, &creds.email);
            return Err(error);
        }
    };
    set_session_cookie(
        &session.token,
        state.sessions.absolute_ms / 1000,
        state.secure_cookies,
    );
    // The language the portal shows is the one this person's email speaks too.
    let chosen = use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(crate::i18n::cookie_language)
    });
    if let Some(locale) = chosen.as_deref().and_then(crate::i18n::Locale::from_tag) {
        if let Err(error) =
            licensing::mail::remember_language(&state.store, &session.principal, locale).await
        {
            tracing::warn!(%error, "cannot remember the chosen language");
        }
    }
    // Vendor staff have no license of their own: their home is the vendor console.
    let home = match next.as_deref() {
        None | Some("") if session.principal.kind == licensing::auth::AccountKind::VendorAdmin => {
            "/admin".to_owned()
        }
        next => safe_next(next),
    };
    leptos_axum::redirect(&home);
    Ok(())
}

/// Ends the session on the server and forgets the cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::session::{clear_session_cookie, session_token, state};

    if let Some(token) = session_token() {
        licensing::auth::logout(&state()?.store, &token).await?;
    }
    clear_session_cookie();
    leptos_axum::redirect("/login?logged_out=1");
    Ok(())
}

/// *Forgot password*: the answer is the login page's "if there is such an account, we sent a
/// link", whether or not there is one (see `licensing::users::request_password_reset`).
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(company: String, email: String) -> Result<(), AppError> {
    use crate::session::{client_ip, state};
    let state = state()?;
    let portal = licensing::mail::Portal::new(&state.public_url);
    licensing::users::request_password_reset(
        &state.store,
        &state.throttle,
        &portal,
        (&company, &email),
        &client_ip(),
    )
    .await?;
    leptos_axum::redirect("/login?reset_requested=1");
    Ok(())
}

/// Where to go after login: the page asked for, if it is on this portal and not the login page.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if is_local_path(path) && !path.starts_with("/login") => path.to_owned(),
        _ => "/dashboard".to_owned(),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let logged_out = move || query.read().get("logged_out").is_some();
    let password_set = move || query.read().get("password_set").is_some();
    let reset_requested = move || query.read().get("reset_requested").is_some();
    // After a set-password link the page knows the company and email; the person types only
    // the password they just chose. After a failed login posted without a script, the server
    // kept what was typed; the browser's page keeps its own fields.
    #[cfg(feature = "ssr")]
    let [typed_company, typed_email] = crate::session::take_typed_login();
    #[cfg(not(feature = "ssr"))]
    let [typed_company, typed_email] = [String::new(), String::new()];
    let company = move || {
        query
            .read()
            .get("company")
            .unwrap_or_else(|| typed_company.clone())
    };
    let email = move || {
        query
            .read()
            .get("email")
            .unwrap_or_else(|| typed_email.clone())
    };
    view! {
        <Title text=t("login-title") />
        <main id="main" tabindex="-1" class="login">
            <h1>{t("login-title")}</h1>
            <p class="lead">{t("login-lead")}</p>
            <Show when=logged_out>
                <p role="status" class="notice">{t("login-logged_out")}</p>
            </Show>
            <Show when=password_set>
                <p role="status" class="notice">{t("login-password_set")}</p>
            </Show>
            <Show when=reset_requested>
                <p role="status" class="notice">{t("forgot-sent")}</p>
            </Show>
            {move || login.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action=login attr:class="card form">
                <input type="hidden" name="next" value=next />
                <label>
                    {t("login-company")}
                    <input name="company" autocomplete="organization" required autofocus value=company />
                </label>
                <label>
                    {t("login-email")}
                    <input name="email" type="email" autocomplete="username" required value=email />
                </label>
                <label>
                    {t("login-password")}
                    <input name="password" type="password" autocomplete="current-password" required />
                </label>
                <button type="submit" disabled=move || login.pending().get()>{t("login-submit")}</button>
            </ActionForm>
            <p class="hint">
                {t("login-hint")}
            </p>
            <p>
                <a href="/forgot-password">{t("login-forgot")}</a>
            </p>
            // After the form: the company field, focused on arrival, stays the first field after
            // the skip link.
            <LanguageSwitcher />
        </main>
    }
}

/// *Forgot password*: company ID and email; the reset link comes by email.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    view! {
        <Title text=t("forgot-title") />
        <main id="main" tabindex="-1" class="login">
            <h1>{t("forgot-title")}</h1>
            <p class="lead">{t("forgot-lead")}</p>
            {move || request.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <ActionForm action=request attr:class="card form">
                <label>
                    {t("login-company")}
                    <input name="company" autocomplete="organization" required autofocus />
                </label>
                <label>
                    {t("login-email")}
                    <input name="email" type="email" autocomplete="username" required />
                </label>
                <button type="submit" disabled=move || request.pending().get()>{t("forgot-submit")}</button>
            </ActionForm>
            <p>
                <a href="/login">{t("forgot-back")}</a>
            </p>
            <LanguageSwitcher />
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_portal() {
        assert_eq!(
            safe_next(Some("/licenses/abc/devices?reset=1")),
            "/licenses/abc/devices?reset=1"
        );
        for hostile in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "",
            "/login?next=/x",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/dashboard", "{hostile}");
        }
        assert_eq!(safe_next(None), "/dashboard");
    }
}
