//! The portal's side of one-time notes (`licensing::flash`): server functions keep a note for the
//! page they redirect to, and that page takes it once and shows it in the page's language.
//!
//! Without JavaScript the form post answers 303 to a clean address and the server-side render of
//! that page takes the note; the note travels into hydration with the page's other resources, so
//! the browser does not ask again (which would find nothing). Hydrated, the form's action finishes,
//! the page's change counter moves and the note resource asks the server once more.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use licensing::flash::Flash;
use licensing::AppError;

use crate::format::count;
use crate::i18n::{t, t_args};

/// The note kept for this session and page, if any; taken, so a second call finds nothing.
#[server(endpoint = "take_flash")]
pub async fn take_flash(path: String) -> Result<Option<Flash>, AppError> {
    use crate::session::{notes_may_wait, require_login, session_token, state};
    // No session, no note: the page's own data answers with the login redirect.
    match require_login().await {
        Ok(_) => {}
        Err(AppError::Unauthenticated) => return Ok(None),
        Err(error) => return Err(error),
    }
    // The session's look-up counted its notes: none for any page, none for this one.
    if !notes_may_wait() {
        return Ok(None);
    }
    let Some(token) = session_token() else {
        return Ok(None);
    };
    licensing::flash::take(&state()?.store, &token, &path).await
}

/// Keeps `flash` for this request's session and the page at `path`, then redirects there with a
/// clean address. A note that cannot be kept is logged, not returned: the change it describes is
/// done, and an error would invite doing it again. A query in `path` (a page's own display
/// switch, never data) goes into the redirect only: the note is the page's, whatever its query.
#[cfg(feature = "ssr")]
pub async fn redirect_with(path: &str, flash: Flash) {
    let page = path.split_once('?').map_or(path, |(page, _)| page);
    if let (Ok(state), Some(token)) = (crate::session::state(), crate::session::session_token()) {
        if let Err(error) = licensing::flash::put(&state.store, &token, page, &flash).await {
            tracing::error!(?error, path, "cannot keep a flash for the next page");
        }
    }
    leptos_axum::redirect(path);
}

/// The current page's note: taken when the page renders and again whenever `changes` moves (a
/// form on the page finished). `route` is the page's own route pattern (`/admin/licenses/:id`):
/// a form that redirects elsewhere moves `changes` after the address has already changed, and the
/// leaving page must not take the note meant for the page it leads to. Read it inside a
/// `Suspense`/`Transition` so the server-side render waits for it and hands it to hydration.
pub fn use_flash(
    route: &'static str,
    changes: impl Fn() -> usize + Send + Sync + 'static,
) -> Resource<Option<Flash>> {
    let path = use_location().pathname;
    Resource::new(
        move || (path.get(), changes()),
        // A note is a nicety: when it cannot be fetched the page shows none.
        move |(path, _)| async move {
            if !route_matches(route, &path) {
                return None;
            }
            take_flash(path).await.ok().flatten()
        },
    )
}

/// Whether `path` is an address of the route `pattern`, segment by segment (`:name` matches any
/// one non-empty segment; a trailing slash does not count).
fn route_matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/').filter(|s| !s.is_empty());
    let mut have = path.split('/').filter(|s| !s.is_empty());
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(w), Some(h)) if w.starts_with(':') || w == h => {}
            _ => return false,
        }
    }
}

/// The sentence a note shows in the page's `role=status` region; `None` for what is not a status
/// note (an offline activation error is an alert).
pub fn note_text(flash: &Flash) -> Option<String> {
    Some(match flash {
        Flash::DeviceReset {
            device,
            deactivations_left,
        } => t_args(
            "devices-done",
            &[
                ("name", device),
                ("left", &count(*deactivations_left, "deactivation")),
            ],
        ),
        Flash::LicenseReset {
            devices,
            users,
            deactivations_left,
        } => t_args(
            "overview-reset_done",
            &[
                ("devices", &count(*devices, "device")),
                ("users", &count(*users, "license_user")),
                ("left", &count(*deactivations_left, "deactivation")),
            ],
        ),
        Flash::UserCreated {
            email,
            assigned,
            invited,
        } => {
            let key = match (*invited, *assigned) {
                (true, true) => "users-invited_assigned",
                (true, false) => "users-invited",
                (false, true) => "users-created_assigned",
                (false, false) => "users-created",
            };
            t_args(key, &[("email", email)])
        }
        Flash::InvitationResent { email } => t_args("users-invitation_resent", &[("email", email)]),
        Flash::UserAssigned { name } => t_args("users-assigned", &[("name", name)]),
        Flash::UserUnassigned { name, devices } => t_args(
            "users-unassigned",
            &[("name", name), ("devices", &count(*devices, "device"))],
        ),
        Flash::RoleChanged { name, role } => {
            let key = match role {
                licensing::licenses::LicenseRole::Manager => "users-now_manager",
                licensing::licenses::LicenseRole::User => "users-now_user",
            };
            t_args(key, &[("name", name)])
        }
        Flash::CustomerCreated => t("admin-customer_created"),
        Flash::CustomerRenamed => t("admin-customer_renamed"),
        Flash::AccountAdded { email } => t_args("users-invited", &[("email", email)]),
        Flash::LicenseSold { .. } => t("admin-license_created"),
        Flash::SubscriptionsAdded { subscriptions } => t_args(
            "admin-subscriptions_added",
            &[("subscriptions", &count(*subscriptions, "subscription"))],
        ),
        Flash::LimitsSaved => t("admin-limits_saved"),
        Flash::MailSettingsSaved => t("outbox-settings_saved"),
        Flash::DeactivationLimitReset => t("admin-limit_reset"),
        Flash::LicenseSuspended => t("admin-license_suspended"),
        Flash::LicenseResumed => t("admin-license_resumed"),
        Flash::SharedKeyRotated => t("licensespring-rotated"),
        Flash::ApiKeyCreated { name, .. } => t_args("integrations-created", &[("name", name)]),
        Flash::ApiKeyRevoked => t("integrations-revoked_note"),
        Flash::WebhookCreated { url, .. } => t_args("webhooks-created", &[("url", url)]),
        Flash::WebhookDeleted => t("webhooks-deleted"),
        Flash::WebhookRedelivered => t("webhooks-redelivered"),
        Flash::ImportNotified { sent } => crate::i18n::t_count("import-notified", *sent as i64),
        Flash::OfflineActivationFailed { .. } | Flash::ImportRefused { .. } => return None,
    })
}

/// A polite live region that stays in the page (so screen readers announce a new note), with the
/// page's note in it. The previous note stays while the next is fetched.
#[component]
pub fn FlashNote(flash: Resource<Option<Flash>>) -> impl IntoView {
    view! {
        <div role="status">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    flash
                        .await
                        .as_ref()
                        .and_then(note_text)
                        .map(|text| view! { <p class="notice">{text}</p> })
                })}
            </Transition>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{note_text, route_matches};
    use licensing::flash::Flash;
    use licensing::licenses::LicenseRole;

    #[test]
    fn a_leaving_page_does_not_match_the_address_it_redirected_to() {
        assert!(route_matches("/admin/licenses/:id", "/admin/licenses/42"));
        assert!(route_matches("/licenses/:id", "/licenses/7/"));
        assert!(!route_matches("/admin/customers/:id", "/admin/licenses/42"));
        assert!(!route_matches("/licenses/:id", "/licenses/7/devices"));
        assert!(!route_matches("/licenses/:id/devices", "/licenses/7"));
        assert!(!route_matches("/licenses/:id", "/licenses//"));
    }

    #[test]
    fn notes_say_what_changed() {
        let created = Flash::UserCreated {
            email: "a@b.example".into(),
            assigned: true,
            invited: false,
        };
        assert_eq!(
            note_text(&created).unwrap(),
            "The account a@b.example was created and assigned a seat."
        );
        let unassigned = Flash::UserUnassigned {
            name: "Uma".into(),
            devices: 1,
        };
        assert_eq!(
            note_text(&unassigned).unwrap(),
            "Uma was unassigned; 1 device deactivated (no deactivation used)."
        );
        let role = Flash::RoleChanged {
            name: "Uma".into(),
            role: LicenseRole::Manager,
        };
        assert_eq!(note_text(&role).unwrap(), "Uma is now a license manager.");
        let reset = Flash::DeviceReset {
            device: "Uma's laptop".into(),
            deactivations_left: 2,
        };
        assert_eq!(
            note_text(&reset).unwrap(),
            "Uma's laptop was reset. 2 deactivations left."
        );
        // A license key or an error is never a status note.
        let sold = Flash::LicenseSold { key: "KP-X".into() };
        assert!(!note_text(&sold).unwrap().contains("KP-X"));
        let failed = Flash::OfflineActivationFailed {
            error: licensing::AppError::Forbidden,
        };
        assert_eq!(note_text(&failed), None);
    }
}
