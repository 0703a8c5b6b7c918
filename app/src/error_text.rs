//! How Keyport's typed errors and domain texts read: each variant of `AppError`, `Field`,
//! `InvalidReason` and `ConflictReason` to its catalog key and arguments, rendered in a language.
//!
//! The matches are exhaustive on purpose: a new variant does not compile until it has a key, and
//! the tests below check every key is in all four catalogs. The portal renders in the page's
//! language; the device API and the admin command render in English through the same catalogs
//! (see [`error_text_in`]), so no surface writes its own sentences.

use licensing::licenses::LicenseType;
use licensing::{AppError, ConflictReason, Field, InvalidReason, Thing};

use crate::i18n::{count_in, current, license_type_key, lookup, text_in, Locale};

/// A catalog key with the values of its variables.
type Text = (&'static str, Vec<(&'static str, String)>);

/// An error as the portal shows it, in the page's language.
pub fn error_text(error: &AppError) -> String {
    error_text_in(current(), error)
}

/// An error in `locale`: the portal's words, and in English the device API's and the CLI's.
pub fn error_text_in(locale: Locale, error: &AppError) -> String {
    let n = |allowed: &i64| allowed.to_string();
    let (key, args): Text = match error {
        AppError::Unauthenticated => ("error-unauthenticated", vec![]),
        AppError::InvalidCredentials => ("error-invalid_credentials", vec![]),
        AppError::Forbidden => ("error-forbidden", vec![]),
        AppError::NotFound { what } => (
            "error-not_found",
            vec![("what", lookup(locale, thing_key(*what)))],
        ),
        AppError::Invalid { field, reason } => (
            "error-invalid",
            vec![
                ("field", field_text_in(locale, field)),
                ("message", reason_text_in(locale, reason)),
            ],
        ),
        AppError::Conflict { reason } => return conflict_text_in(locale, reason),
        AppError::TooManyDevices { allowed } => {
            ("error-too_many_devices", vec![("allowed", n(allowed))])
        }
        AppError::DeactivationLimitReached { allowed } => (
            "error-deactivation_limit_reached",
            vec![("allowed", n(allowed))],
        ),
        AppError::SeatLimitReached { allowed } => {
            ("error-seat_limit_reached", vec![("allowed", n(allowed))])
        }
        AppError::NoLicense => ("error-no_license", vec![]),
        AppError::LicenseInactive => ("error-license_inactive", vec![]),
        AppError::DeviceDeactivated => ("error-device_deactivated", vec![]),
        AppError::TooManyAttempts { minutes } => (
            "error-too_many_attempts",
            vec![("minutes", count_in(locale, "count-minute", *minutes))],
        ),
        AppError::Unavailable => ("error-unavailable", vec![]),
        AppError::Busy { .. } => ("error-busy", vec![]),
        AppError::Offline => ("error-offline", vec![]),
        AppError::Internal => ("error-internal", vec![]),
    };
    render(locale, (key, args))
}

fn render(locale: Locale, (key, args): Text) -> String {
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    text_in(locale, key, &args)
}

fn thing_key(thing: Thing) -> &'static str {
    match thing {
        Thing::Account => "thing-account",
        Thing::Company => "thing-company",
        Thing::Customer => "thing-customer",
        Thing::Device => "thing-device",
        Thing::ImportJob => "thing-import_job",
        Thing::License => "thing-license",
        Thing::Message => "thing-message",
        Thing::ApiKey => "thing-api_key",
        Thing::WebhookEndpoint => "thing-webhook_endpoint",
        Thing::WebhookDelivery => "thing-webhook_delivery",
        Thing::Record => "thing-record",
        Thing::User => "thing-user",
    }
}

/// A field's name in `locale`. The device API's JSON names, the command line's options and the
/// request's own names are the same in every language, so they have no key.
pub fn field_text_in(locale: Locale, field: &Field) -> String {
    field_key(field).map_or_else(|| field.name().to_owned(), |key| lookup(locale, key))
}

fn field_key(field: &Field) -> Option<&'static str> {
    Some(match field {
        Field::CompanyId => "field-company_id",
        Field::Email => "field-email",
        Field::Password => "field-password",
        Field::ConfirmPassword => "field-confirm_password",
        Field::Name => "field-name",
        Field::Kind => "field-kind",
        Field::Subscriptions => "field-subscriptions",
        Field::Seats => "field-seats",
        Field::Devices => "field-devices",
        Field::Deactivations => "field-deactivations",
        Field::ValidUntil => "field-valid_until",
        Field::ValidFor => "field-valid_for",
        Field::Language => "field-language",
        Field::SupportEmail => "field-support_email",
        Field::Owner => "field-owner",
        Field::Product => "field-product",
        Field::Reason => "field-reason",
        Field::Link => "field-link",
        Field::Customer => "field-customer",
        Field::Type => "field-type",
        Field::Role => "field-role",
        Field::ActivationRequest => "field-activation_request",
        Field::Form => "field-form",
        Field::LicensesFile => "field-licenses_file",
        Field::UsersFile => "field-users_file",
        Field::DevicesFile => "field-devices_file",
        Field::RequestFormat
        | Field::ApiCompany
        | Field::ApiEmail
        | Field::ApiPassword
        | Field::LicenseKey
        | Field::HardwareId
        | Field::DeviceName
        | Field::Os
        | Field::Body
        | Field::Query
        | Field::Path
        | Field::As
        | Field::OwnerEmail
        | Field::OwnerName
        | Field::Input(_) => return None,
    })
}

/// Why an input was refused, in `locale`: the part after the field's name.
pub fn reason_text_in(locale: Locale, reason: &InvalidReason) -> String {
    render(locale, reason_key(reason))
}

fn reason_key(reason: &InvalidReason) -> Text {
    use InvalidReason as R;
    let n = |value: &i64| value.to_string();
    match reason {
        R::Required => ("invalid-required", vec![]),
        R::RequiredForAudit => ("invalid-required_for_audit", vec![]),
        R::RequiredForNewOwner => ("invalid-required_for_new_owner", vec![]),
        R::KeyOrLogin => ("invalid-key_or_login", vec![]),
        R::KeyWithLogin => ("invalid-key_with_login", vec![]),
        R::TooShort { min } => ("invalid-too_short", vec![("min", n(min))]),
        R::TooLong { max } => ("invalid-too_long", vec![("max", n(max))]),
        R::AtLeast { min } => ("invalid-at_least", vec![("min", n(min))]),
        R::AtMost { max } => ("invalid-at_most", vec![("max", n(max))]),
        R::NotNegative => ("invalid-not_negative", vec![]),
        R::ContainsNul => ("invalid-contains_nul", vec![]),
        R::LineBreak => ("invalid-line_break", vec![]),
        R::CommonPassword => ("invalid-common_password", vec![]),
        R::PasswordMismatch => ("invalid-password_mismatch", vec![]),
        R::EmailFormat => ("invalid-email_format", vec![]),
        R::CompanyIdFormat => ("invalid-company_id_format", vec![]),
        R::DateFormat => ("invalid-date_format", vec![]),
        R::UnknownKind => ("invalid-unknown_kind", vec![]),
        R::UnknownRole => ("invalid-unknown_role", vec![]),
        R::UnknownLanguage => ("invalid-unknown_language", vec![]),
        R::NoLicenseType => ("invalid-no_license_type", vec![]),
        R::AfterStart => ("invalid-after_start", vec![]),
        R::NoLaterThanDays { days } => ("invalid-no_later_than_days", vec![("days", n(days))]),
        R::NotOfCustomer => ("invalid-not_of_customer", vec![]),
        R::CustomerMismatch => ("invalid-customer_mismatch", vec![]),
        R::OtherCustomer => ("invalid-other_customer", vec![]),
        R::WouldExceed { max } => ("invalid-would_exceed", vec![("max", n(max))]),
        R::PersonalOneUser => ("invalid-personal_one_user", vec![]),
        R::BelowSeatsInUse { used } => ("invalid-below_seats_in_use", vec![("used", n(used))]),
        R::BelowDevicesActive { active } => {
            ("invalid-below_devices_active", vec![("active", n(active))])
        }
        R::BelowDeactivationsUsed { used } => {
            ("invalid-below_deactivations_used", vec![("used", n(used))])
        }
        R::LinkUnusable => ("invalid-link_unusable", vec![]),
        R::NoVendorAdmin => ("invalid-no_vendor_admin", vec![]),
        R::NotVendorAdmin => ("invalid-not_vendor_admin", vec![]),
        R::RequestMissing => ("invalid-request_missing", vec![]),
        R::RequestTooLarge { kib } => ("invalid-request_too_large", vec![("kib", n(kib))]),
        R::RequestUnreadable { detail } => (
            "invalid-request_unreadable",
            vec![("detail", detail.clone())],
        ),
        R::RequestNotJson { detail } => {
            ("invalid-request_not_json", vec![("detail", detail.clone())])
        }
        R::RequestNoFormat { expected } => (
            "invalid-request_no_format",
            vec![("expected", expected.clone())],
        ),
        R::FormatUnsupported { given, expected } => (
            "invalid-format_unsupported",
            vec![("given", given.clone()), ("expected", expected.clone())],
        ),
        R::OtherLicense => ("invalid-other_license", vec![]),
        R::FormUnsent => ("invalid-form_unsent", vec![]),
        R::FormUnreadable => ("invalid-form_unreadable", vec![]),
        R::NotJsonObject => ("invalid-not_json_object", vec![]),
        R::NotJson => ("invalid-not_json", vec![]),
        R::UnknownField => ("invalid-unknown_field", vec![]),
        R::NotValid { detail } => ("invalid-not_valid", vec![("detail", detail.clone())]),
        R::Unreadable => ("invalid-unreadable", vec![]),
        R::StdinUnreadable => ("invalid-stdin_unreadable", vec![]),
        R::Malformed { detail } => ("invalid-malformed", vec![("detail", detail.clone())]),
        R::NoImportFile => ("invalid-no_import_file", vec![]),
        R::FileTooLarge { mib } => ("invalid-file_too_large", vec![("mib", n(mib))]),
        R::NotUtf8 => ("invalid-not_utf8", vec![]),
    }
}

fn conflict_text_in(locale: Locale, reason: &ConflictReason) -> String {
    render(locale, conflict_key(locale, reason))
}

/// A conflict's key; a license type in it is named in `locale`.
fn conflict_key(locale: Locale, reason: &ConflictReason) -> Text {
    use ConflictReason as C;
    let license_type = |t: &LicenseType| lookup(locale, license_type_key(*t));
    match reason {
        C::AlreadyExists => ("conflict-already_exists", vec![]),
        C::CompanyTaken { company } => {
            ("conflict-company_taken", vec![("company", company.clone())])
        }
        C::EmailTaken { email } => ("conflict-email_taken", vec![("email", email.clone())]),
        C::PersonalHasNoUsers => ("conflict-personal_has_no_users", vec![]),
        C::LicenseChanged => ("conflict-license_changed", vec![]),
        C::AlreadyManager { name } => ("conflict-already_manager", vec![("name", name.clone())]),
        C::AlreadyUser { name } => ("conflict-already_user", vec![("name", name.clone())]),
        C::AlreadyAssigned => ("conflict-already_assigned", vec![]),
        C::LastManager => ("conflict-last_manager", vec![]),
        C::OtherLicenseType {
            product,
            license_type: t,
        } => (
            "conflict-other_license_type",
            vec![("product", product.clone()), ("type", license_type(t))],
        ),
        C::NothingToReset => ("conflict-nothing_to_reset", vec![]),
        C::InvitationUsed => ("conflict-invitation_used", vec![]),
        C::AlreadySuspended => ("conflict-already_suspended", vec![]),
        C::AlreadyActive => ("conflict-already_active", vec![]),
        C::DeviceAlreadyReset { name } => (
            "conflict-device_already_reset",
            vec![("name", name.clone())],
        ),
        C::OfflineOnly { license_type: t } => {
            ("conflict-offline_only", vec![("type", license_type(t))])
        }
        C::OrderReused { order_id } => ("conflict-order_reused", vec![("order", order_id.clone())]),
        C::OrderInProgress { order_id } => (
            "conflict-order_in_progress",
            vec![("order", order_id.clone())],
        ),
        C::OwnerOfOtherCustomer { email } => (
            "conflict-owner_of_other_customer",
            vec![("email", email.clone())],
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::i18n::{message_ids, seat_text_in, Locale};
    use licensing::customers::Seat;
    use licensing::licenses::LicenseRole;

    fn s(text: &str) -> String {
        text.to_owned()
    }

    /// One of every reason. A reason missing here makes `every_key_is_in_every_catalog` fail,
    /// because its catalog key would be left over (and a new reason cannot compile without a
    /// key).
    fn reasons() -> Vec<InvalidReason> {
        use InvalidReason as R;
        vec![
            R::Required,
            R::RequiredForAudit,
            R::RequiredForNewOwner,
            R::KeyOrLogin,
            R::KeyWithLogin,
            R::TooShort { min: 8 },
            R::TooLong { max: 200 },
            R::AtLeast { min: 1 },
            R::AtMost { max: 10 },
            R::NotNegative,
            R::ContainsNul,
            R::LineBreak,
            R::CommonPassword,
            R::PasswordMismatch,
            R::EmailFormat,
            R::CompanyIdFormat,
            R::DateFormat,
            R::UnknownKind,
            R::UnknownRole,
            R::UnknownLanguage,
            R::NoLicenseType,
            R::AfterStart,
            R::NoLaterThanDays { days: 36500 },
            R::NotOfCustomer,
            R::CustomerMismatch,
            R::OtherCustomer,
            R::WouldExceed { max: 100 },
            R::PersonalOneUser,
            R::BelowSeatsInUse { used: 2 },
            R::BelowDevicesActive { active: 2 },
            R::BelowDeactivationsUsed { used: 2 },
            R::LinkUnusable,
            R::NoVendorAdmin,
            R::NotVendorAdmin,
            R::RequestMissing,
            R::RequestTooLarge { kib: 64 },
            R::RequestUnreadable { detail: s("x") },
            R::RequestNotJson { detail: s("x") },
            R::RequestNoFormat { expected: s("f/1") },
            R::FormatUnsupported {
                given: s("g"),
                expected: s("f/1"),
            },
            R::OtherLicense,
            R::FormUnsent,
            R::FormUnreadable,
            R::NotJsonObject,
            R::NotJson,
            R::UnknownField,
            R::NotValid { detail: s("x") },
            R::Unreadable,
            R::StdinUnreadable,
            R::Malformed { detail: s("x") },
            R::NoImportFile,
            R::FileTooLarge { mib: 256 },
            R::NotUtf8,
        ]
    }

    fn conflicts() -> Vec<ConflictReason> {
        use ConflictReason as C;
        vec![
            C::AlreadyExists,
            C::CompanyTaken { company: s("Acme") },
            C::EmailTaken { email: s("a@b.c") },
            C::PersonalHasNoUsers,
            C::LicenseChanged,
            C::AlreadyManager { name: s("Uma") },
            C::AlreadyUser { name: s("Uma") },
            C::AlreadyAssigned,
            C::LastManager,
            C::OtherLicenseType {
                product: s("CodeGlass"),
                license_type: LicenseType::Personal,
            },
            C::NothingToReset,
            C::InvitationUsed,
            C::AlreadySuspended,
            C::AlreadyActive,
            C::DeviceAlreadyReset { name: s("Laptop") },
            C::OfflineOnly {
                license_type: LicenseType::Organisation,
            },
            C::OrderReused { order_id: s("A-1") },
            C::OrderInProgress { order_id: s("A-1") },
            C::OwnerOfOtherCustomer { email: s("a@b.c") },
        ]
    }

    const THINGS: [Thing; 12] = [
        Thing::Account,
        Thing::Company,
        Thing::Customer,
        Thing::Device,
        Thing::ImportJob,
        Thing::License,
        Thing::Message,
        Thing::ApiKey,
        Thing::WebhookEndpoint,
        Thing::WebhookDelivery,
        Thing::Record,
        Thing::User,
    ];

    #[test]
    fn every_key_is_in_every_catalog() {
        let mut used: BTreeSet<&str> = BTreeSet::new();
        used.extend(reasons().iter().map(|r| reason_key(r).0));
        used.extend(Field::NAMED.iter().filter_map(field_key));
        used.extend(THINGS.map(thing_key));
        used.extend(["seat-manager_of", "seat-user_of"]);
        used.extend(conflicts().iter().map(|c| conflict_key(Locale::En, c).0));
        for locale in Locale::ALL {
            let ids = message_ids(locale);
            let keys: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
            for key in &used {
                assert!(keys.contains(key), "{}.ftl lacks {key}", locale.code());
            }
            // No catalog keeps a key of a reason that no longer exists.
            for key in &keys {
                let typed = ["invalid-", "conflict-", "thing-", "field-", "seat-"]
                    .iter()
                    .any(|prefix| key.starts_with(prefix));
                assert!(
                    !typed || used.contains(key),
                    "{}.ftl: {key} is unused",
                    locale.code()
                );
            }
        }
    }

    #[test]
    fn english_reads_as_before() {
        let en = |e: AppError| error_text_in(Locale::En, &e);
        assert_eq!(
            en(AppError::invalid(Field::Name, InvalidReason::Required)),
            "Name: is required."
        );
        assert_eq!(
            en(AppError::invalid(
                Field::HardwareId,
                InvalidReason::TooLong { max: 200 }
            )),
            "hardware_id: must be at most 200 characters."
        );
        assert_eq!(
            en(AppError::not_found(Thing::License)),
            "That license was not found, or you do not have access to it."
        );
        assert_eq!(
            en(AppError::conflict(ConflictReason::AlreadyUser {
                name: s("Uma")
            })),
            "Uma is already a license user."
        );
        assert_eq!(
            en(AppError::conflict(ConflictReason::OfflineOnly {
                license_type: LicenseType::Organisation
            })),
            "Offline activation is only for Offline Organisation licenses, and this one is of \
             another type (Organisation subscription). Activate the desktop app online instead."
        );
        assert_eq!(
            en(AppError::TooManyAttempts { minutes: 1 }),
            "Too many failed attempts. Try again in 1 minute."
        );
        assert_eq!(
            en(AppError::TooManyAttempts { minutes: 15 }),
            "Too many failed attempts. Try again in 15 minutes."
        );
        assert_eq!(
            error_text_in(
                Locale::De,
                &AppError::conflict(ConflictReason::AlreadySuspended)
            ),
            "Die Lizenz ist bereits gesperrt."
        );
        assert_eq!(
            seat_text_in(
                Locale::Es,
                &Seat {
                    role: LicenseRole::Manager,
                    product: s("CodeGlass")
                }
            ),
            "Gestor de licencia de CodeGlass"
        );
    }
}
