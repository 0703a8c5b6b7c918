//! The vendor console's rows of the matrix.

use super::*;

/// The vendor console: vendor staff of the tenant only. Columns: anonymous, license user, license
/// manager, vendor admin of another tenant, vendor admin of this tenant.
pub(super) fn console_rows() -> Vec<Row> {
    fn row(
        endpoint: &'static str,
        args: fn(&World, Who) -> Vec<(&'static str, String)>,
        expect: [u16; 5],
    ) -> Row {
        Row {
            endpoint,
            args,
            expect,
            allowed_first: false,
        }
    }
    const OWN_TENANT: [u16; 5] = [401, 403, 403, 404, 200];
    // Lists answer the other vendor with their own tenant's data (checked not to leak below).
    const ANY_VENDOR: [u16; 5] = [401, 403, 403, 200, 200];
    vec![
        row(
            "admin_list_customers",
            |_, _| vec![("search", String::new())],
            ANY_VENDOR,
        ),
        row(
            "admin_create_customer",
            |_, _| vec![("name", "Initech".into())],
            ANY_VENDOR,
        ),
        row(
            "admin_get_customer",
            |w, _| vec![("id", w.customer_id.clone())],
            OWN_TENANT,
        ),
        row(
            "admin_rename_customer",
            |w, _| vec![("id", w.customer_id.clone()), ("name", "Acme Inc".into())],
            OWN_TENANT,
        ),
        row(
            "admin_create_account",
            |w, who| {
                vec![
                    ("customer_id", w.customer_id.clone()),
                    ("name", "New Person".into()),
                    ("email", format!("new-{who:?}@acme.example").to_lowercase()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_resend_invitation",
            |w, _| {
                vec![
                    ("customer_id", w.customer_id.clone()),
                    ("account_id", w.pending_id.clone()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_sell",
            |w, _| {
                vec![
                    ("customer_id", w.customer_id.clone()),
                    ("product", "Another product".into()),
                    ("license_type", "organisation".into()),
                    ("terms[subscriptions]", "1".into()),
                    ("terms[seats_per_subscription]", "5".into()),
                    ("terms[devices_per_subscription]", "10".into()),
                    ("terms[deactivations]", "3".into()),
                    ("terms[valid_days]", "365".into()),
                    ("owner_account_id", w.manager_id.clone()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_get_license",
            |w, _| vec![("id", w.license.clone())],
            OWN_TENANT,
        ),
        row(
            "admin_update_limits",
            |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("max_users", "9".into()),
                    ("max_activations", "20".into()),
                    ("max_deactivations", "5".into()),
                    ("valid_until", "2099-01-01".into()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_add_subscriptions",
            |w, _| vec![("license_id", w.license.clone()), ("count", "1".into())],
            OWN_TENANT,
        ),
        row(
            "admin_set_suspended",
            |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("suspend", "true".into()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_reset_deactivations",
            |w, _| {
                vec![
                    ("license_id", w.license.clone()),
                    ("reason", "support".into()),
                ]
            },
            OWN_TENANT,
        ),
        row(
            "admin_audit",
            |_, _| vec![("filter[kind]", "device".into()), ("page", "1".into())],
            ANY_VENDOR,
        ),
        // Each vendor sees their own tenant's email (the conformance suite's outbox tests check
        // that it is their own).
        row(
            "admin_outbox",
            |_, _| vec![("page", "0".into())],
            ANY_VENDOR,
        ),
        row(
            "admin_outbox_message",
            |w, _| vec![("id", w.message_id.clone())],
            OWN_TENANT,
        ),
        // Each vendor lists their own tenant's imports (import_console.rs checks that they are
        // their own), opens only those, and invites their own tenant's imported people.
        row("admin_imports", |_, _| vec![], ANY_VENDOR),
        row(
            "admin_import_job",
            |w, _| vec![("id", w.import_id.clone())],
            OWN_TENANT,
        ),
        row("admin_import_notify", |_, _| vec![], ANY_VENDOR),
        // Each vendor reads and saves their own tenant's email settings.
        row("admin_mail_settings", |_, _| vec![], ANY_VENDOR),
        row(
            "admin_save_mail_settings",
            |_, _| {
                vec![
                    ("default_language", "de".into()),
                    ("support_email", "help@vendor.example".into()),
                ]
            },
            ANY_VENDOR,
        ),
        // Each vendor sees and rotates their own tenant's keys (licensespring_console.rs checks
        // that they are their own).
        row(
            "admin_licensespring",
            |_, _| vec![("reveal", "true".into())],
            ANY_VENDOR,
        ),
        row("admin_rotate_shared_key", |_, _| vec![], ANY_VENDOR),
        // Each vendor lists and makes their own tenant's management keys (api_keys.rs checks
        // that they are their own), and revokes only those.
        row("admin_api_keys", |_, _| vec![], ANY_VENDOR),
        row(
            "admin_create_api_key",
            |_, _| vec![("name", "Web shop".into())],
            ANY_VENDOR,
        ),
        row(
            "admin_revoke_api_key",
            |w, _| vec![("id", w.keys.spare_id.clone())],
            OWN_TENANT,
        ),
        // Each vendor sees and registers their own tenant's webhooks (webhooks.rs checks that
        // they are their own), and deletes and redelivers only those.
        row("admin_webhooks", |_, _| vec![], ANY_VENDOR),
        row(
            "admin_create_webhook",
            |_, _| {
                vec![
                    ("url", "https://hooks.example/new".into()),
                    ("event_types[0]", "license.created".into()),
                ]
            },
            ANY_VENDOR,
        ),
        row(
            "admin_delete_webhook",
            |w, _| vec![("id", w.hook.endpoint_id.clone())],
            OWN_TENANT,
        ),
        row(
            "admin_redeliver_webhook",
            |w, _| vec![("id", w.hook.delivery_id.clone())],
            OWN_TENANT,
        ),
    ]
}
