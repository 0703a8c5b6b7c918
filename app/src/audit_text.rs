//! The audit log's events in the page's language: their actions, kinds and subjects, which
//! `licensing::audit` keeps as data.

use licensing::audit::{AuditAction, AuditKind, AuditSubject};

use crate::format::{count, format_date};
use crate::i18n::{self, t, t_args};

/// An audit event's action in words.
pub fn audit_action(action: AuditAction) -> String {
    t(&action_key(action))
}

/// A kind of audit event, as the log's filter offers it.
pub fn audit_kind(kind: AuditKind) -> String {
    t(&kind_key(kind))
}

/// Fluent ids have no dots: the action `device.reset` is the message `audit-action-device-reset`.
fn action_key(action: AuditAction) -> String {
    format!("audit-action-{}", action.as_str().replace('.', "-"))
}

fn kind_key(kind: AuditKind) -> String {
    format!("audit-kind-{}", kind.as_str())
}

/// What an audit event was done to, in the page's language.
pub fn audit_subject(subject: &AuditSubject) -> String {
    let person = |name: &str, email: &str| format!("{name} <{email}>");
    match subject {
        AuditSubject::Device { name } | AuditSubject::Customer { name } => name.clone(),
        AuditSubject::Email { email } => email.clone(),
        AuditSubject::SigningKey { key_id } => key_id.clone(),
        AuditSubject::Text(text) => text.clone(),
        AuditSubject::Webhook { url } => url.clone(),
        AuditSubject::Account {
            name,
            email,
            assigned,
        } => {
            if *assigned {
                t_args(
                    "audit-subject-account_assigned",
                    &[("person", &person(name, email))],
                )
            } else {
                person(name, email)
            }
        }
        AuditSubject::Unassigned {
            name,
            email,
            devices,
        } => t_args(
            "audit-subject-unassigned",
            &[
                ("person", &person(name, email)),
                ("devices", &count(*devices, "device")),
            ],
        ),
        AuditSubject::RoleChanged { name, email, role } => t_args(
            "audit-subject-role_changed",
            &[
                ("person", &person(name, email)),
                ("role", &i18n::role(*role)),
            ],
        ),
        AuditSubject::LicenseSold {
            license_type,
            owner_email,
        } => t_args(
            "audit-subject-license_sold",
            &[
                ("type", &i18n::license_type(*license_type)),
                ("email", owner_email),
            ],
        ),
        AuditSubject::LicenseKey => t("audit-subject-license_key"),
        AuditSubject::Imported { name, line } => t_args(
            "audit-subject-imported",
            &[("name", name), ("line", &line.to_string())],
        ),
        AuditSubject::MailSettings {
            language,
            support_email,
        } => t_args(
            "audit-subject-mail_settings",
            &[
                (
                    "language",
                    licensing::i18n::Locale::from_tag(language)
                        .map_or(language.as_str(), |l| l.native_name()),
                ),
                ("support", support_email.as_deref().unwrap_or("—")),
            ],
        ),
        AuditSubject::SubscriptionsAdded { count: n } => t_args(
            "audit-subject-subscriptions_added",
            &[("subscriptions", &count(*n, "subscription"))],
        ),
        AuditSubject::LicenseReset { devices, users } => t_args(
            "audit-subject-license_reset",
            &[
                ("devices", &count(*devices, "device")),
                ("users", &count(*users, "license_user")),
            ],
        ),
        AuditSubject::DeactivationLimitReset {
            used_before,
            reason,
        } => t_args(
            "audit-subject-deactivation_limit_reset",
            &[
                ("used", &count(*used_before, "deactivation")),
                ("reason", reason),
            ],
        ),
        AuditSubject::Limits {
            seats,
            devices,
            deactivations,
            valid_until,
        } => t_args(
            "audit-subject-limits",
            &[
                ("seats", &seats.to_string()),
                ("devices", &devices.to_string()),
                ("deactivations", &deactivations.to_string()),
                ("until", &format_date(*valid_until)),
            ],
        ),
        AuditSubject::Status { status } => i18n::license_status(*status),
        AuditSubject::Tenant { name, admin_email } => t_args(
            "audit-subject-tenant",
            &[("name", name), ("email", admin_email)],
        ),
    }
}

#[cfg(test)]
mod tests {
    use licensing::audit::{AuditAction, AuditKind};

    use super::{action_key, kind_key};
    use crate::i18n::{has_message, Locale};

    #[test]
    fn every_audit_action_and_kind_has_words_in_english() {
        for action in AuditAction::ALL {
            let key = action_key(action);
            assert!(has_message(Locale::En, &key), "{key} is missing");
            let kind = kind_key(action.kind());
            assert!(has_message(Locale::En, &kind), "{kind} is missing");
        }
        assert_eq!(
            AuditKind::FILTERABLE.len() + 1,
            AuditAction::ALL
                .iter()
                .map(|a| a.kind())
                .collect::<std::collections::HashSet<_>>()
                .len()
        );
    }
}
