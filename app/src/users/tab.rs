//! The Users tab of the license page (license managers): the seats, their holders and the forms
//! that change them; and the help page on getting more seats.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use licensing::licenses::LicenseRole;
use licensing::users::{LicenseUser, UsersView};
use licensing::AppError;

use crate::components::{show, ConfirmDialog, ErrorNotice, Loading};
use crate::flash::{use_flash, FlashNote};
use crate::format::format_date;
use crate::i18n::{self, t, t_args, t_around_link, t_count_args};
use crate::licenses::LicenseContext;
use crate::network::use_network;

use super::{
    list_users, AssignUser, CreateUser, ResendInvitation, SetUserRole, UnassignUser, UsersPage,
};

/// The Users tab's forms, shared by its parts; each finished one reloads the license page.
#[derive(Clone, Copy)]
struct UserForms {
    create_user: ServerAction<CreateUser>,
    assign_user: ServerAction<AssignUser>,
    unassign_user: ServerAction<UnassignUser>,
    set_user_role: ServerAction<SetUserRole>,
    resend_invitation: ServerAction<ResendInvitation>,
}

impl UserForms {
    fn new(ctx: LicenseContext) -> Self {
        let forms = Self {
            create_user: ServerAction::new(),
            assign_user: ServerAction::new(),
            unassign_user: ServerAction::new(),
            set_user_role: ServerAction::new(),
            resend_invitation: ServerAction::new(),
        };
        ctx.notify_when(forms.create_user.version());
        ctx.notify_when(forms.assign_user.version());
        ctx.notify_when(forms.unassign_user.version());
        ctx.notify_when(forms.set_user_role.version());
        ctx.notify_when(forms.resend_invitation.version());
        forms
    }
}

#[component]
pub fn UsersTab() -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    let net = use_network();
    let users = Resource::new(
        move || (ctx.id.get(), ctx.version()),
        move |(id, _)| net.track(list_users(id)),
    );
    let forms = UserForms::new(ctx);
    provide_context(forms);
    let flash = use_flash("/licenses/:id/users", move || ctx.changes());
    let failed = move || {
        [
            forms.create_user.value().get().and_then(Result::err),
            forms.assign_user.value().get().and_then(Result::err),
            forms.unassign_user.value().get().and_then(Result::err),
            forms.set_user_role.value().get().and_then(Result::err),
            forms.resend_invitation.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    view! {
        <section class="card">
            <h2>{t("users-heading")}</h2>
            <p class="hint">{t("users-hint")}</p>
            <FlashNote flash />
            {move || failed().map(|error| view! { <FailedNotice error /> })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    show(users.await, move |page: UsersPage| {
                        view! {
                            <p data-testid="seats-left">
                                {t_args(
                                    "users-seats_used",
                                    &[
                                        ("used", &page.view.seats_used.to_string()),
                                        ("allowed", &page.view.max_users.to_string()),
                                        (
                                            "left",
                                            &match page.view.seats_left() {
                                                0 => t("users-none_left"),
                                                n => t_args("users-some_left", &[("n", &n.to_string())]),
                                            },
                                        ),
                                    ],
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
    let (before, after) = t_around_link("users-more_seats");
    view! {
        <ErrorNotice error />
        <Show when=move || seats>
            <p class="hint">
                {before.clone()}
                <a href="/help/seats">{t("users-more_seats_link")}</a>
                {after.clone()}
            </p>
        </Show>
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
                    <th scope="col">{t("label-name")}</th>
                    <th scope="col">{t("label-email")}</th>
                    <th scope="col">{t("users-role")}</th>
                    <th scope="col">{t("users-assigned_since")}</th>
                    <th scope="col">{t("users-devices_in_use")}</th>
                    <th scope="col">
                        <span class="visually-hidden">{t("label-actions")}</span>
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
                                <td data-label=t("label-name")>
                                    {u.name.clone()}
                                    {u.invitation_pending.then(|| view! {
                                        " "
                                        <span class="tag" data-testid="invitation-pending">{t("users-invitation_pending")}</span>
                                    })}
                                </td>
                                <td data-label=t("label-email")>{u.email.clone()}</td>
                                <td data-label=t("users-role")>{i18n::role(u.role)}</td>
                                <td data-label=t("users-assigned_since")>{format_date(u.assigned_at)}</td>
                                <td data-label=t("users-devices_in_use")>{u.devices_active}</td>
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
    let forms = expect_context::<UserForms>();
    if last_manager {
        return view! { <span class="hint">{t("users-last_manager")}</span> }.into_any();
    }
    let (new_role, label) = match user.role {
        LicenseRole::Manager => (LicenseRole::User, t("users-make_user")),
        LicenseRole::User => (LicenseRole::Manager, t("users-make_manager")),
    };
    let role_label = t_args(
        "users-role_label",
        &[("action", &label), ("name", &user.name)],
    );
    let account_id = user.account_id.clone();
    let (resend_id, resend_label) = (
        user.account_id.clone(),
        t_args("users-resend_label", &[("name", &user.name)]),
    );
    let resend = user.invitation_pending.then(move || {
        view! {
            <ActionForm action=forms.resend_invitation attr:class="inline">
                <input type="hidden" name="license_id" value=ctx.id.get_untracked() />
                <input type="hidden" name="account_id" value=resend_id />
                <button type="submit" class="small secondary" aria-label=resend_label>
                    {t("users-resend")}
                </button>
            </ActionForm>
        }
    });
    view! {
        {resend}
        <ActionForm action=forms.set_user_role attr:class="inline">
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
            aria-label=t_args("users-unassign_label", &[("name", &user.name)])
        >
            {t("users-unassign")}
        </a>
    }
    .into_any()
}

/// Asks before unassigning: the person's devices are deactivated with their seat.
#[component]
fn ConfirmUnassign(user: LicenseUser) -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    let forms = expect_context::<UserForms>();
    let text = t_count_args(
        "users-unassign_text",
        user.devices_active,
        &[("name", &user.name)],
    );
    view! {
        <ConfirmDialog
            id="unassign"
            title=t_args("users-unassign_title", &[("name", &user.name)])
            text
        >
            <ActionForm action=forms.unassign_user>
                <input type="hidden" name="license_id" value=ctx.id.get_untracked() />
                <input type="hidden" name="account_id" value=user.account_id.clone() />
                <button type="submit" class="danger" disabled=move || forms.unassign_user.pending().get()>
                    {t("users-unassign_submit")}
                </button>
                <a href=move || format!("/licenses/{}/users", ctx.id.get())>{t("action-cancel")}</a>
            </ActionForm>
        </ConfirmDialog>
    }
}

/// "Assign license user": an account of the customer that holds no seat yet.
#[component]
fn AssignForm(view: UsersView) -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    let forms = expect_context::<UserForms>();
    if view.candidates.is_empty() {
        return view! {
            <h3>{t("users-assign_heading")}</h3>
            <p class="hint">{t("users-assign_none")}</p>
        }
        .into_any();
    }
    view! {
        <h3>{t("users-assign_heading")}</h3>
        <ActionForm action=forms.assign_user attr:class="form row">
            <input type="hidden" name="license_id" value=ctx.id.get_untracked() />
            <div class="field">
                <label for="assign-account">{t("users-account")}</label>
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
            <button type="submit" disabled=move || forms.assign_user.pending().get()>
                {t("users-assign_submit")}
            </button>
        </ActionForm>
    }
    .into_any()
}

/// "Create user": an account of the customer, with a password or a one-time link.
#[component]
fn CreateForm() -> impl IntoView {
    let ctx = expect_context::<LicenseContext>();
    let forms = expect_context::<UserForms>();
    view! {
        <h3>{t("users-create_heading")}</h3>
        <ActionForm action=forms.create_user attr:class="form">
            <input type="hidden" name="license_id" value=ctx.id.get_untracked() />
            <label>
                {t("label-name")}
                <input name="name" autocomplete="off" required maxlength="100" />
            </label>
            <label>
                {t("label-email")}
                <input name="email" type="email" autocomplete="off" required />
            </label>
            <label>
                {t("users-initial_password")}
                <input
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    minlength="8"
                    aria-describedby="password-hint"
                />
            </label>
            <p id="password-hint" class="hint">{t("users-password_hint")}</p>
            <label class="check">
                <input type="checkbox" name="assign" value="on" checked />
                {t("users-assign_seat")}
            </label>
            <button type="submit" disabled=move || forms.create_user.pending().get()>
                {t("users-create_submit")}
            </button>
        </ActionForm>
    }
}

/// Where "Max license users number reached" points: how seats grow.
#[component]
pub fn SeatsHelpPage() -> impl IntoView {
    view! {
        <Title text=t("seats_help-title") />
        <main id="main" tabindex="-1" class="page">
            <h1>{t("seats_help-heading")}</h1>
            <section class="card">
                <p>{t("seats_help-intro")}</p>
                <h2>{t("seats_help-how")}</h2>
                <ol>
                    <li>{t("seats_help-step1")}</li>
                    <li>{t("seats_help-step2")}</li>
                    <li>{t("seats_help-step3")}</li>
                </ol>
                <p>{t("seats_help-free")}</p>
                <p>
                    <a href="/licenses">{t("seats_help-back")}</a>
                </p>
            </section>
        </main>
    }
}
