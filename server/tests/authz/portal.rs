//! The portal's rows of the matrix: its server functions against nobody, a license user, a
//! manager of another customer, a manager of another tenant and the license's manager.

use super::*;

pub(super) fn rows() -> Vec<Row> {
    vec![
        Row {
            endpoint: "login",
            // Everyone logs in as themself; wrong credentials are covered by the login tests.
            args: |w, who| {
                let email = match who {
                    Who::Anonymous | Who::User => "user@acme.example",
                    _ => "manager@acme.example",
                };
                vec![
                    ("company", w.company.clone()),
                    ("email", email.into()),
                    ("password", DEMO_PASSWORD.into()),
                ]
            },
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "logout",
            args: |_, _| vec![],
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            // Anyone may choose a language; it is a cookie, not a stored change.
            endpoint: "set_language",
            args: |_, _| vec![("lang", "de".into()), ("next", "/dashboard".into())],
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "get_dashboard",
            args: |_, _| vec![],
            expect: [401, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "list_licenses",
            args: |_, _| vec![],
            expect: [401, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "get_license",
            args: |w, _| vec![("id", w.license.clone())],
            expect: [401, 200, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "list_devices",
            args: license,
            expect: [401, 200, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "list_activity",
            args: |w, _| vec![("license_id", w.license.clone()), ("page", "1".into())],
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "reset_device",
            // The manager's device: a license user may reset only their own.
            args: |w, _| vec![("device_id", w.manager_device.clone())],
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "reset_device",
            // The user's own device, which only the user and the manager may reset.
            args: |w, who| {
                let device = if who == Who::Manager {
                    // The user already reset theirs; the manager resets another one.
                    w.manager_device.clone()
                } else {
                    w.user_device.clone()
                };
                vec![("device_id", device)]
            },
            expect: [401, 200, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "reset_device",
            // A device of another customer's license, by the Acme manager.
            args: |w, _| vec![("device_id", w.other_customer_device.clone())],
            expect: [401, 404, 200, 404, 404],
            allowed_first: false,
        },
        Row {
            endpoint: "reset_license",
            args: license,
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "list_users",
            args: license,
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "create_user",
            args: |w, who| {
                vec![
                    ("license_id", w.license.clone()),
                    ("name", "New Person".into()),
                    ("email", format!("new-{who:?}@acme.example").to_lowercase()),
                    ("password", "a-long-password".into()),
                    ("assign", "on".into()),
                ]
            },
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "assign_user",
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.candidate_id.clone()),
                ]
            },
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "assign_user",
            // An account of another customer: not the Acme manager's to assign.
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.foreign_account_id.clone()),
                ]
            },
            expect: [401, 403, 404, 404, 404],
            allowed_first: false,
        },
        Row {
            endpoint: "unassign_user",
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.user_id.clone()),
                ]
            },
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "unassign_user",
            // The last manager stays.
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.manager_id.clone()),
                ]
            },
            expect: [401, 403, 404, 404, 409],
            allowed_first: false,
        },
        Row {
            endpoint: "set_user_role",
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.user_id.clone()),
                    ("role", "manager".into()),
                ]
            },
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "take_flash",
            // A page's one-time note is the caller's own session's; without one there is none.
            args: |w, _| vec![("path", format!("/licenses/{}/users", w.license))],
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "resend_invitation",
            args: |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("account_id", w.pending_id.clone()),
                ]
            },
            expect: [401, 403, 404, 404, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "request_password_reset",
            // Anyone, and the same answer whether the account exists or not.
            args: |w, who| {
                vec![
                    ("company", w.company.clone()),
                    (
                        "email",
                        format!("nobody-{who:?}@acme.example").to_lowercase(),
                    ),
                ]
            },
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "get_password_link",
            // The link is the credential: whoever holds it may read whom it is for.
            args: |w, _| vec![("token", w.link_token.clone())],
            expect: [200, 200, 200, 200, 200],
            allowed_first: false,
        },
        Row {
            endpoint: "get_password_link",
            args: |_, _| vec![("token", "0".repeat(64))],
            expect: [422, 422, 422, 422, 422],
            allowed_first: false,
        },
        Row {
            endpoint: "set_password",
            args: |_, _| {
                vec![
                    ("token", "0".repeat(64)),
                    ("password", "a-new-password".into()),
                    ("confirm", "a-new-password".into()),
                ]
            },
            expect: [422, 422, 422, 422, 422],
            allowed_first: false,
        },
        Row {
            endpoint: "set_password",
            // Spent by the first caller; every later one is refused.
            args: |w, _| {
                vec![
                    ("token", w.link_token.clone()),
                    ("password", "a-new-password".into()),
                    ("confirm", "a-new-password".into()),
                ]
            },
            expect: [200, 422, 422, 422, 422],
            allowed_first: true,
        },
    ]
}
