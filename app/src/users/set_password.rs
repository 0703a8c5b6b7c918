//! The page a set-password link opens, and its server functions: no login, the link's token is
//! the credential.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use licensing::users::PasswordLink;
use licensing::AppError;

use crate::components::{ErrorNotice, Loading};
use crate::i18n::{t, t_args};

/// Whom a set-password link is for; no login needed, the link is the credential.
#[server(endpoint = "get_password_link")]
pub async fn get_password_link(token: String) -> Result<PasswordLink, AppError> {
    use crate::session::state;
    licensing::users::password_link(&state()?.store, &token).await
}

#[server(endpoint = "set_password")]
pub async fn set_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::nav::encode;
    use crate::session::{client_ip, state};
    let link = licensing::users::set_password_with_link(
        &state()?.store,
        &token,
        &password,
        &confirm,
        &client_ip(),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/login?password_set=1&company={}&email={}",
        encode(&link.company_id),
        encode(&link.email)
    ));
    Ok(())
}

/// The page a set-password link opens: the person chooses their password, then logs in.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = Memo::new(move |_| query.read().get("token").unwrap_or_default());
    let link = Resource::new(move || token.get(), get_password_link);
    let set = ServerAction::<SetPassword>::new();
    view! {
        <Title text=t("set_password-title") />
        <main id="main" tabindex="-1" class="login">
            <h1>{t("set_password-title")}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match link.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(link) => {
                            view! {
                                <p class="lead">
                                    {t_args(
                                        "set_password-lead",
                                        &[
                                            ("name", &link.name),
                                            ("email", &link.email),
                                            ("company", &link.company_id),
                                        ],
                                    )}
                                </p>
                                {move || set.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                                <ActionForm action=set attr:class="card form">
                                    <input type="hidden" name="token" value=token.get_untracked() />
                                    <label>
                                        {t("set_password-new")}
                                        <input name="password" type="password" autocomplete="new-password" minlength="8" required />
                                    </label>
                                    <label>
                                        {t("set_password-confirm")}
                                        <input name="confirm" type="password" autocomplete="new-password" minlength="8" required />
                                    </label>
                                    <button type="submit" disabled=move || set.pending().get()>{t("set_password-submit")}</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}
