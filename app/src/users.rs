//! The Users tab (license managers): who holds the license's seats, creating accounts, assigning
//! and unassigning seats, making someone a manager; and the page a set-password link opens.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use licensing::licenses::LicenseRole;
use licensing::users::{CreatedUser, LicenseUser, PasswordLink, UserChange, UsersView};
use licensing::AppError;
use serde::{Deserialize, Serialize};

use crate::layout::{count, focus_when_shown, format_date, ErrorNotice, Loading, StatusNote};
use crate::licenses::{show, LicenseContext};

/// The Users tab's data and the portal address its set-password links start with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersPage {
    pub view: UsersView,
    pub portal_url: String,
}

#[server(endpoint = "list_users")]
pub async fn list_users(license_id: String) -> Result<UsersPage, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    let state = state()?;
    let view = licensing::users::list(&state.store, &who, &license_id).await?;
    Ok(UsersPage {
        view,
        portal_url: state.public_url.clone(),
    })
}

/// "Create user". An empty password asks for a one-time set-password link instead; it travels
/// back to the manager once, in the address of the page that shows it.
#[server(endpoint = "create_user")]
pub async fn create_user(
    license_id: String,
    name: String,
    email: String,
    password: Option<String>,
    assign: Option<String>,
) -> Result<CreatedUser, AppError> {
    use crate::layout::encode;
    use crate::session::{client_ip, require_login, state};
    use licensing::users::NewUser;
    let who = require_login().await?;
    let new = NewUser {
        name,
        email,
        password: password.filter(|p| !p.is_empty()),
        assign: assign.is_some(),
    };
    let created =
        licensing::users::create(&state()?.store, &who, &license_id, &new, &client_ip()).await?;
    let token = created
        .set_password_token
        .as_deref()
        .map(|t| format!("&token={t}"))
        .unwrap_or_default();
    leptos_axum::redirect(&format!(
        "/licenses/{license_id}/users?created={}&assigned={}{token}",
        encode(&created.email),
        u8::from(created.assigned),
    ));
    Ok(created)
}

#[server(endpoint = "assign_user")]
pub async fn assign_user(license_id: String, account_id: String) -> Result<UserChange, AppError> {
    use crate::layout::encode;
    use crate::session::{client_ip, require_login, state};
    let who = require_login().await?;
    let change = licensing::users::assign(
        &state()?.store,
        &who,
        &license_id,
        &account_id,
        &client_ip(),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/licenses/{license_id}/users?assigned={}",
        encode(&change.name)
    ));
    Ok(change)
}

/// "Unassign". A manager who unassigns themself no longer sees the license, so goes home.
#[server(endpoint = "unassign_user")]
pub async fn unassign_user(license_id: String, account_id: String) -> Result<UserChange, AppError> {
    use crate::layout::encode;
    use crate::session::{client_ip, require_login, state};
    let who = require_login().await?;
    let change = licensing::users::unassign(
        &state()?.store,
        &who,
        &license_id,
        &account_id,
        &client_ip(),
    )
    .await?;
    if account_id == who.account_id {
        leptos_axum::redirect("/dashboard");
    } else {
        leptos_axum::redirect(&format!(
            "/licenses/{license_id}/users?unassigned={}&devices={}",
            encode(&change.name),
            change.devices_deactivated
        ));
    }
    Ok(change)
}

/// "Make manager" / "Make license user". A manager who steps down goes to the license page, as
/// the Users tab is no longer theirs.
#[server(endpoint = "set_user_role")]
pub async fn set_user_role(
    license_id: String,
    account_id: String,
    role: String,
) -> Result<UserChange, AppError> {
    use crate::layout::encode;
    use crate::session::{client_ip, require_login, state};
    let who = require_login().await?;
    let role = LicenseRole::parse(&role)
        .ok_or_else(|| AppError::invalid("Role", "must be manager or user."))?;
    let change = licensing::users::set_role(
        &state()?.store,
        &who,
        &license_id,
        &account_id,
        role,
        &client_ip(),
    )
    .await?;
    if account_id == who.account_id && role == LicenseRole::User {
        leptos_axum::redirect(&format!("/licenses/{license_id}"));
    } else {
        leptos_axum::redirect(&format!(
            "/licenses/{license_id}/users?role_changed={}&role={}",
            encode(&change.name),
            role.as_str()
        ));
    }
    Ok(change)
}

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
    use crate::layout::encode;
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

/// What the last change on this tab did, read from the address it redirected to.
fn done_message(query: &leptos_router::params::ParamsMap) -> Option<String> {
    if let Some(email) = query.get("created") {
        let seat = if query.get("assigned").as_deref() == Some("1") {
            " and assigned a seat"
        } else {
            ""
        };
        return Some(format!("The account {email} was created{seat}."));
    }
    if let Some(name) = query.get("assigned") {
        return Some(format!("{name} is now a license user."));
    }
    if let Some(name) = query.get("unassigned") {
        let devices = query
            .get("devices")
            .and_then(|d| d.parse().ok())
            .unwrap_or_default();
        return Some(format!(
            "{name} was unassigned; {} deactivated (no deactivation used).",
            count(devices, "device")
        ));
    }
    let name = query.get("role_changed")?;
    let role = LicenseRole::parse(&query.get("role").unwrap_or_default())?;
    Some(format!("{name} is now a {}.", role.label().to_lowercase()))
}

/// A set-password token as the service issues it: 64 hex digits. Anything else in the address is
/// not shown, so a crafted link cannot make the page display text of its own.
fn token_param(query: &leptos_router::params::ParamsMap) -> Option<String> {
    query
        .get("token")
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[component]
pub fn UsersTab() -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    let query = use_query_map();
    let users = Resource::new(
        move || (ctx.id.get(), ctx.version()),
        |(id, _)| list_users(id),
    );
    let failed = move || {
        [
            ctx.create_user.value().get().and_then(Result::err),
            ctx.assign_user.value().get().and_then(Result::err),
            ctx.unassign_user.value().get().and_then(Result::err),
            ctx.set_user_role.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    view! {
        <section class="card">
            <h2>"Users"</h2>
            <p class="hint">
                "The people who may use this license, one seat each. License managers can do everything here; license users see the license and reset their own devices."
            </p>
            // A failed form leaves the address of the last success; its note would contradict the error.
            <StatusNote text=Signal::derive(move || {
                failed().is_none().then(|| query.with(done_message)).flatten()
            }) />
            {move || failed().map(|error| view! { <FailedNotice error /> })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(users.await, move |page: UsersPage| {
                        let link = query
                            .with(token_param)
                            .map(|token| format!("{}/set-password?token={token}", page.portal_url));
                        view! {
                            {link.map(|link| view! { <NewUserLink link /> })}
                            <p data-testid="seats-left">
                                {format!(
                                    "{} of {} seats used; {}.",
                                    page.view.seats_used,
                                    page.view.max_users,
                                    match page.view.seats_left() {
                                        0 => "none left".to_owned(),
                                        n => format!("{n} left"),
                                    },
                                )}
                            </p>
                            <UserTable view=page.view.clone() />
                            <AssignForm view=page.view.clone() />
                            <CreateForm />
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}

/// An error from a form on this tab; a full license also says how to get more seats.
#[component]
fn FailedNotice(error: AppError) -> impl IntoView {
    let seats = matches!(error, AppError::SeatLimitReached { .. });
    view! {
        <ErrorNotice error />
        <Show when=move || seats>
            <p class="hint">
                <a href="/help/seats">"How to buy additional subscriptions"</a>
                " — or unassign someone who no longer needs a seat."
            </p>
        </Show>
    }
}

/// The one-time set-password link, shown to the manager right after "Create user".
#[component]
fn NewUserLink(link: String) -> impl IntoView {
    view! {
        <section class="notice" aria-labelledby="link-title">
            <h3 id="link-title">"Set-password link"</h3>
            <p>
                "Send this link to the new user: it lets them choose their password once and works for 7 days. It is shown only now."
            </p>
            <label>
                "Link"
                <input class="link-box" readonly value=link.clone() data-testid="password-link" />
            </label>
        </section>
    }
}

#[component]
fn UserTable(view: UsersView) -> impl IntoView {
    let query = use_query_map();
    let managers = view.managers();
    let confirming = move || query.read().get("unassign");
    let users = view.users.clone();
    view! {
        {move || {
            let id = confirming()?;
            let user = users.iter().find(|u| u.account_id == id)?.clone();
            Some(view! { <ConfirmUnassign user /> })
        }}
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Assigned since"</th>
                    <th scope="col">"Devices in use"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {view
                    .users
                    .into_iter()
                    .map(|u| {
                        let last_manager = u.role == LicenseRole::Manager && managers <= 1;
                        view! {
                            <tr data-testid="user-row">
                                <td data-label="Name">{u.name.clone()}</td>
                                <td data-label="Email">{u.email.clone()}</td>
                                <td data-label="Role">{u.role.label()}</td>
                                <td data-label="Assigned since">{format_date(u.assigned_at)}</td>
                                <td data-label="Devices in use">{u.devices_active}</td>
                                <td class="actions">
                                    <UserActions user=u.clone() last_manager />
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// A row's buttons: change the role, unassign. The last manager gets neither; the service would
/// refuse both.
#[component]
fn UserActions(user: LicenseUser, last_manager: bool) -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    if last_manager {
        return view! { <span class="hint">"Last manager"</span> }.into_any();
    }
    let (new_role, label) = match user.role {
        LicenseRole::Manager => (LicenseRole::User, "Make license user"),
        LicenseRole::User => (LicenseRole::Manager, "Make manager"),
    };
    let role_label = format!("{label}: {}", user.name);
    let account_id = user.account_id.clone();
    view! {
        <ActionForm action=ctx.set_user_role attr:class="inline">
            <input type="hidden" name="license_id" value=ctx.id.get_untracked() />
            <input type="hidden" name="account_id" value=account_id />
            <input type="hidden" name="role" value=new_role.as_str() />
            <button type="submit" class="small secondary" aria-label=role_label>
                {label}
            </button>
        </ActionForm>
        <a
            class="button small danger"
            href=format!("?unassign={}", user.account_id)
            aria-label=format!("Unassign {}", user.name)
        >
            "Unassign"
        </a>
    }
    .into_any()
}

/// Asks before unassigning: the person's devices are deactivated with their seat.
#[component]
fn ConfirmUnassign(user: LicenseUser) -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    let text = format!(
        "{} loses access to this license at their next request, and the {} they activated {} deactivated. This does not use a deactivation.",
        user.name,
        count(user.devices_active, "device"),
        if user.devices_active == 1 { "is" } else { "are" },
    );
    let dialog = NodeRef::new();
    focus_when_shown(dialog);
    view! {
        <section
            class="confirm"
            role="alertdialog"
            aria-labelledby="unassign-title"
            aria-describedby="unassign-text"
            tabindex="-1"
            autofocus
            node_ref=dialog
        >
            <h3 id="unassign-title">{format!("Unassign {}?", user.name)}</h3>
            <p id="unassign-text">{text}</p>
            <ActionForm action=ctx.unassign_user>
                <input type="hidden" name="license_id" value=ctx.id.get_untracked() />
                <input type="hidden" name="account_id" value=user.account_id.clone() />
                <button type="submit" class="danger" disabled=move || ctx.unassign_user.pending().get()>
                    "Unassign user"
                </button>
                <a href=move || format!("/licenses/{}/users", ctx.id.get())>"Cancel"</a>
            </ActionForm>
        </section>
    }
}

/// "Assign license user": an account of the customer that holds no seat yet.
#[component]
fn AssignForm(view: UsersView) -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    if view.candidates.is_empty() {
        return view! {
            <h3>"Assign license user"</h3>
            <p class="hint">"Every account of your company already has a seat. Create a user below to add someone."</p>
        }
        .into_any();
    }
    view! {
        <h3>"Assign license user"</h3>
        <ActionForm action=ctx.assign_user attr:class="form row">
            <input type="hidden" name="license_id" value=ctx.id.get_untracked() />
            <div class="field">
                <label for="assign-account">"Account"</label>
                <select id="assign-account" name="account_id" required>
                    {view
                        .candidates
                        .into_iter()
                        .map(|c| {
                            view! {
                                <option value=c.account_id.clone()>
                                    {format!("{} <{}>", c.name, c.email)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" disabled=move || ctx.assign_user.pending().get()>
                "Assign license user"
            </button>
        </ActionForm>
    }
    .into_any()
}

/// "Create user": an account of the customer, with a password or a one-time link.
#[component]
fn CreateForm() -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    view! {
        <h3>"Create user"</h3>
        <ActionForm action=ctx.create_user attr:class="form">
            <input type="hidden" name="license_id" value=ctx.id.get_untracked() />
            <label>
                "Name"
                <input name="name" autocomplete="off" required maxlength="100" />
            </label>
            <label>
                "Email"
                <input name="email" type="email" autocomplete="off" required />
            </label>
            <label>
                "Initial password"
                <input
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    minlength="8"
                    aria-describedby="password-hint"
                />
            </label>
            <p id="password-hint" class="hint">
                "At least 8 characters. Leave it empty to get a one-time link the person sets their own password with."
            </p>
            <label class="check">
                <input type="checkbox" name="assign" value="on" checked />
                "Assign a seat on this license now"
            </label>
            <button type="submit" disabled=move || ctx.create_user.pending().get()>
                "Create user"
            </button>
        </ActionForm>
    }
}

/// The page a set-password link opens: the person chooses their password, then logs in.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = Memo::new(move |_| query.read().get("token").unwrap_or_default());
    let link = Resource::new(move || token.get(), get_password_link);
    let set = ServerAction::<SetPassword>::new();
    view! {
        <Title text="Set your password" />
        <main id="main" tabindex="-1" class="login">
            <h1>"Set your password"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match link.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(link) => {
                            view! {
                                <p class="lead">
                                    {format!(
                                        "For {} ({}). You will log in with company ID \u{201c}{}\u{201d}.",
                                        link.name,
                                        link.email,
                                        link.company_id,
                                    )}
                                </p>
                                {move || set.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                                <ActionForm action=set attr:class="card form">
                                    <input type="hidden" name="token" value=token.get_untracked() />
                                    <label>
                                        "New password"
                                        <input name="password" type="password" autocomplete="new-password" minlength="8" required />
                                    </label>
                                    <label>
                                        "Confirm password"
                                        <input name="confirm" type="password" autocomplete="new-password" minlength="8" required />
                                    </label>
                                    <button type="submit" disabled=move || set.pending().get()>"Set password"</button>
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

/// Where "Max license users number reached" points: how seats grow.
#[component]
pub fn SeatsHelpPage() -> impl IntoView {
    view! {
        <Title text="Buying more seats" />
        <main id="main" tabindex="-1" class="page">
            <h1>"Max license users number reached"</h1>
            <section class="card">
                <p>
                    "Each subscription of your license brings a number of seats, one per license user. When every seat is taken, nobody else can be assigned until you have more."
                </p>
                <h2>"How to get more seats"</h2>
                <ol>
                    <li>"Buy additional subscriptions of the same product from your software vendor (upgrade or update your plan on their website, or contact their sales team)."</li>
                    <li>"The vendor adds them to your existing license: you keep one license, and its number of seats grows. There is nothing to activate again."</li>
                    <li>"Back on the license's Users tab, assign the new license users."</li>
                </ol>
                <p>"Or free a seat: unassign someone who no longer uses the software. Their devices are deactivated without using a deactivation."</p>
                <p>
                    <a href="/licenses">"Back to your licenses"</a>
                </p>
            </section>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::{done_message, token_param};
    use leptos_router::params::ParamsMap;

    fn query(pairs: &[(&str, &str)]) -> ParamsMap {
        let mut map = ParamsMap::new();
        for (k, v) in pairs {
            map.insert(k.to_string(), (*v).to_owned());
        }
        map
    }

    #[test]
    fn only_a_well_formed_token_is_shown() {
        let good = "ab".repeat(32);
        assert_eq!(token_param(&query(&[("token", &good)])), Some(good));
        for bad in ["", "abc", "https://evil.example/x", &"zz".repeat(32)] {
            assert_eq!(token_param(&query(&[("token", bad)])), None, "{bad}");
        }
    }

    #[test]
    fn messages_say_what_changed() {
        assert_eq!(
            done_message(&query(&[("created", "a@b.example"), ("assigned", "1")])).unwrap(),
            "The account a@b.example was created and assigned a seat."
        );
        assert_eq!(
            done_message(&query(&[("unassigned", "Uma"), ("devices", "1")])).unwrap(),
            "Uma was unassigned; 1 device deactivated (no deactivation used)."
        );
        assert_eq!(
            done_message(&query(&[("role_changed", "Uma"), ("role", "manager")])).unwrap(),
            "Uma is now a license manager."
        );
        assert_eq!(done_message(&query(&[("role_changed", "Uma")])), None);
    }
}
