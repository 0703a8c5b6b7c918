//! The Users tab (license managers): who holds the license's seats, creating accounts, assigning
//! and unassigning seats, making someone a manager; and the page a set-password link opens.
//!
//! Here the server functions of the Users tab; `tab` renders it, `set_password` is the page a
//! set-password link opens.

pub mod set_password;
pub mod tab;

pub use set_password::SetPasswordPage;
pub use tab::{SeatsHelpPage, UsersTab};

use leptos::prelude::*;
use licensing::users::{Invited, UserChange, UsersView};
use licensing::AppError;
use serde::{Deserialize, Serialize};

/// The Users tab's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersPage {
    pub view: UsersView,
}

#[server(endpoint = "list_users")]
pub async fn list_users(license_id: String) -> Result<UsersPage, AppError> {
    use crate::session::{require_login, state};
    let who = require_login().await?;
    let state = state()?;
    let view = licensing::users::list(&state.store, &who, &license_id).await?;
    Ok(UsersPage { view })
}

/// "Create user". An empty password sends the person an invitation with a set-password link by
/// email; the manager sees "Invitation sent to x" and never the link.
#[server(endpoint = "create_user")]
pub async fn create_user(
    license_id: String,
    name: String,
    email: String,
    password: Option<String>,
    assign: Option<String>,
) -> Result<Invited, AppError> {
    use crate::flash::redirect_with;
    use crate::session::{client_ip, require_login, state};
    use licensing::flash::Flash;
    use licensing::users::NewUser;
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let new = NewUser {
        name,
        email,
        password: password.filter(|p| !p.is_empty()),
        assign: assign.is_some(),
    };
    let state = state()?;
    let portal = licensing::mail::Portal::new(&state.public_url);
    let created =
        licensing::users::create(&state.store, &actor, &license_id, &new, &portal).await?;
    let invited = Invited::from(&created);
    redirect_with(
        &format!("/licenses/{license_id}/users"),
        Flash::UserCreated {
            email: invited.email.clone(),
            assigned: invited.assigned,
            invited: invited.invited,
        },
    )
    .await;
    Ok(invited)
}

/// "Resend invitation": a new set-password link by email; the one sent before stops working.
#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(license_id: String, account_id: String) -> Result<(), AppError> {
    use crate::flash::redirect_with;
    use crate::session::{client_ip, require_login, state};
    use licensing::flash::Flash;
    use licensing::users::ResendFrom;
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let state = state()?;
    let portal = licensing::mail::Portal::new(&state.public_url);
    let from = ResendFrom::License(&license_id);
    let email =
        licensing::users::resend_invitation(&state.store, &actor, from, &account_id, &portal)
            .await?;
    redirect_with(
        &format!("/licenses/{license_id}/users"),
        Flash::InvitationResent { email },
    )
    .await;
    Ok(())
}

#[server(endpoint = "assign_user")]
pub async fn assign_user(license_id: String, account_id: String) -> Result<UserChange, AppError> {
    use crate::flash::redirect_with;
    use crate::session::{client_ip, require_login, state};
    use licensing::flash::Flash;
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let change =
        licensing::users::assign(&state()?.store, &actor, &license_id, &account_id).await?;
    redirect_with(
        &format!("/licenses/{license_id}/users"),
        Flash::UserAssigned {
            name: change.name.clone(),
        },
    )
    .await;
    Ok(change)
}

/// "Unassign". A manager who unassigns themself no longer sees the license, so goes home.
#[server(endpoint = "unassign_user")]
pub async fn unassign_user(license_id: String, account_id: String) -> Result<UserChange, AppError> {
    use crate::flash::redirect_with;
    use crate::session::{client_ip, require_login, state};
    use licensing::flash::Flash;
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let change =
        licensing::users::unassign(&state()?.store, &actor, &license_id, &account_id).await?;
    if account_id == actor.principal.account_id {
        leptos_axum::redirect("/dashboard");
    } else {
        redirect_with(
            &format!("/licenses/{license_id}/users"),
            Flash::UserUnassigned {
                name: change.name.clone(),
                devices: change.devices_deactivated,
            },
        )
        .await;
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
    use crate::flash::redirect_with;
    use crate::session::{client_ip, require_login, state};
    use licensing::flash::Flash;
    use licensing::licenses::LicenseRole;
    let actor = licensing::access::Actor::new(require_login().await?, client_ip());
    let role = LicenseRole::parse(&role).ok_or_else(|| {
        AppError::invalid(
            licensing::Field::Role,
            licensing::InvalidReason::UnknownRole,
        )
    })?;
    let change =
        licensing::users::set_role(&state()?.store, &actor, &license_id, &account_id, role).await?;
    if account_id == actor.principal.account_id && role == LicenseRole::User {
        leptos_axum::redirect(&format!("/licenses/{license_id}"));
    } else {
        redirect_with(
            &format!("/licenses/{license_id}/users"),
            Flash::RoleChanged {
                name: change.name.clone(),
                role,
            },
        )
        .await;
    }
    Ok(change)
}
