//! The one error type of Keyport, as typed data: every service returns it, every server function
//! carries it to the browser, and each surface renders it (the portal and the CLI through the i18n
//! catalogs, the device API as a stable code with the English catalog's text).
//!
//! No sentence is written here: a variant and its arguments say what happened, so the portal can
//! say it in the reader's language and a new reason cannot ship untranslated (the portal's match
//! is exhaustive). Internal details never travel in it; they are logged where the error is
//! created. `Display` is for logs only.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

use crate::licenses::LicenseType;

/// On the wire (server functions, flashes) it is serde's default, externally tagged form, as are
/// its reasons: `{"invalid":{"field":"Name","reason":{"too_long":{"max":200}}}}`. An internally
/// tagged form (`{"error":"invalid",…}`) is read through serde's buffered `Content`, which made
/// its decoder in the hydrating WASM, loaded by every page, ~46 KB of code more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum AppError {
    #[error("unauthenticated")]
    Unauthenticated,
    /// One error whichever of company, email or password was wrong, so nobody can probe for
    /// accounts.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("{what:?} not found")]
    NotFound { what: Thing },
    #[error("invalid {field:?}: {reason:?}")]
    Invalid { field: Field, reason: InvalidReason },
    #[error("conflict: {reason:?}")]
    Conflict { reason: ConflictReason },
    #[error("too many devices (limit {allowed})")]
    TooManyDevices { allowed: i64 },
    #[error("deactivation limit reached ({allowed})")]
    DeactivationLimitReached { allowed: i64 },
    #[error("seat limit reached ({allowed})")]
    SeatLimitReached { allowed: i64 },
    /// The account logged in fine but holds no license to activate a device on.
    #[error("no license assigned")]
    NoLicense,
    #[error("license expired or suspended")]
    LicenseInactive,
    /// The device token belongs to a device that was reset or deactivated.
    #[error("device deactivated")]
    DeviceDeactivated,
    /// Too many failed logins or activations for this account or from this address; refused
    /// before the password is checked.
    #[error("too many attempts (retry in {minutes} min)")]
    TooManyAttempts { minutes: i64 },
    #[error("database unavailable")]
    Unavailable,
    /// Every password check the server can run at once is taken (a burst of logins): nothing was
    /// checked or changed, and the attempt does not count as a failure.
    #[error("busy (retry in {retry_after_secs} s)")]
    Busy { retry_after_secs: i64 },
    #[error("server unreachable")]
    Offline,
    #[error("internal error")]
    Internal,
}

/// What was not found (`NotFound`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Thing {
    Account,
    /// A management API key.
    ApiKey,
    WebhookEndpoint,
    WebhookDelivery,
    Company,
    Customer,
    Device,
    /// An import uploaded in the vendor console.
    ImportJob,
    License,
    /// An email in the outbox.
    Message,
    Record,
    User,
}

/// Declares [`Field`] from one table of variants and the names forms, the device API and the
/// command line give them, so naming and parsing cannot drift apart.
macro_rules! fields {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// The input an `Invalid` error is about. Serialized as the name the form, API or command
        /// line gives it (the device API's `field`); the portal shows it translated.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(into = "String", from = "String")]
        pub enum Field {
            $($(#[$doc])* $variant,)*
            /// A field of a request as the request spells it (a JSON path, a form field's name):
            /// shown as it is, in any language.
            Input(String),
        }

        impl Field {
            /// Every field but `Input`, for the catalogs' tests.
            pub const NAMED: &[Field] = &[$(Field::$variant),*];

            /// The name as the form, API or command line spells it.
            pub fn name(&self) -> &str {
                match self {
                    $(Field::$variant => $name,)*
                    Field::Input(name) => name,
                }
            }
        }

        impl From<String> for Field {
            fn from(name: String) -> Self {
                match name.as_str() {
                    $($name => Field::$variant,)*
                    _ => Field::Input(name),
                }
            }
        }
    };
}

fields! {
    CompanyId = "Company ID",
    Email = "Email",
    Password = "Password",
    ConfirmPassword = "Confirm password",
    Name = "Name",
    Kind = "Kind",
    Subscriptions = "Subscriptions",
    Seats = "Seats",
    Devices = "Devices",
    Deactivations = "Deactivations",
    ValidUntil = "Valid until",
    ValidFor = "Valid for",
    Owner = "Owner",
    Product = "Product",
    Reason = "Reason",
    Link = "Link",
    Customer = "Customer",
    Type = "Type",
    Role = "Role",
    ActivationRequest = "Activation request",
    /// The offline request file's `format`.
    RequestFormat = "format",
    /// The device API's fields, as its JSON spells them.
    ApiCompany = "company",
    ApiEmail = "email",
    ApiPassword = "password",
    LicenseKey = "license_key",
    HardwareId = "hardware_id",
    DeviceName = "device_name",
    Os = "os",
    Body = "body",
    Query = "query",
    Form = "form",
    Path = "path",
    /// The admin command's options.
    As = "--as",
    OwnerEmail = "--owner-email",
    OwnerName = "--owner-name",
    /// The console's email settings.
    Language = "Language",
    SupportEmail = "Support email",
    /// The console's import form: its files.
    LicensesFile = "licenses_file",
    UsersFile = "users_file",
    DevicesFile = "devices_file",
}

impl From<Field> for String {
    fn from(field: Field) -> Self {
        match field {
            Field::Input(name) => name,
            named => named.name().to_owned(),
        }
    }
}

/// Why an input was refused (`Invalid`), with what the rule needs to say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvalidReason {
    Required,
    /// The reason for lifting a deactivation limit: it goes into the audit log.
    RequiredForAudit,
    /// The owner of a sale has no account yet, so the command needs a name to create one.
    RequiredForNewOwner,
    /// Exclusive alternatives of the device API (`license_key`, or company, email and password).
    KeyOrLogin,
    KeyWithLogin,
    TooShort {
        min: i64,
    },
    TooLong {
        max: i64,
    },
    AtLeast {
        min: i64,
    },
    AtMost {
        max: i64,
    },
    NotNegative,
    ContainsNul,
    /// A line break in a name, address or subject that goes into an email's headers, where it
    /// would start a header of its own.
    LineBreak,
    CommonPassword,
    PasswordMismatch,
    EmailFormat,
    CompanyIdFormat,
    DateFormat,
    UnknownKind,
    UnknownRole,
    /// Not one of the portal's languages.
    UnknownLanguage,
    NoLicenseType,
    AfterStart,
    NoLaterThanDays {
        days: i64,
    },
    NotOfCustomer,
    CustomerMismatch,
    OtherCustomer,
    /// Adding subscriptions would take a limit past its bound.
    WouldExceed {
        max: i64,
    },
    PersonalOneUser,
    BelowSeatsInUse {
        used: i64,
    },
    BelowDevicesActive {
        active: i64,
    },
    BelowDeactivationsUsed {
        used: i64,
    },
    LinkUnusable,
    NoVendorAdmin,
    NotVendorAdmin,
    RequestMissing,
    RequestTooLarge {
        kib: i64,
    },
    /// Not an offline activation request; `detail` is the parser's own words.
    RequestUnreadable {
        detail: String,
    },
    RequestNotJson {
        detail: String,
    },
    RequestNoFormat {
        expected: String,
    },
    FormatUnsupported {
        given: String,
        expected: String,
    },
    OtherLicense,
    FormUnsent,
    FormUnreadable,
    NotJsonObject,
    NotJson,
    /// A JSON field the device API does not take.
    UnknownField,
    /// A JSON value of the wrong shape; `detail` is the decoder's own words.
    NotValid {
        detail: String,
    },
    Unreadable,
    StdinUnreadable,
    /// A request the server could not decode; `detail` is the decoder's own words.
    Malformed {
        detail: String,
    },
    /// An import was sent without any of its files.
    NoImportFile,
    /// An uploaded file is larger than the server takes.
    FileTooLarge {
        mib: i64,
    },
    /// A file that must be UTF-8 text is not.
    NotUtf8,
}

/// Why a change conflicts with the state it would change (`Conflict`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    /// A unique key is taken (the database said so).
    AlreadyExists,
    CompanyTaken {
        company: String,
    },
    EmailTaken {
        email: String,
    },
    PersonalHasNoUsers,
    LicenseChanged,
    AlreadyManager {
        name: String,
    },
    AlreadyUser {
        name: String,
    },
    AlreadyAssigned,
    LastManager,
    OtherLicenseType {
        product: String,
        license_type: LicenseType,
    },
    NothingToReset,
    AlreadySuspended,
    AlreadyActive,
    DeviceAlreadyReset {
        name: String,
    },
    OfflineOnly {
        license_type: LicenseType,
    },
    /// The person already chose a password: there is no invitation to resend.
    InvitationUsed,
    /// A management API order id was sold before with a different order.
    OrderReused {
        order_id: String,
    },
    /// The same order is being sold by another request right now.
    OrderInProgress {
        order_id: String,
    },
    /// An order's owner has an account that is not the ordering customer's.
    OwnerOfOtherCustomer {
        email: String,
    },
}

impl AppError {
    pub fn not_found(what: Thing) -> Self {
        Self::NotFound { what }
    }

    pub fn invalid(field: Field, reason: InvalidReason) -> Self {
        Self::Invalid { field, reason }
    }

    pub fn conflict(reason: ConflictReason) -> Self {
        Self::Conflict { reason }
    }

    /// The HTTP status this error answers with, the same for the portal's pages, its server
    /// functions and the device API.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::Forbidden | Self::NoLicense | Self::LicenseInactive => 403,
            Self::NotFound { .. } => 404,
            Self::Invalid { .. } => 422,
            Self::Conflict { .. }
            | Self::TooManyDevices { .. }
            | Self::DeactivationLimitReached { .. }
            | Self::SeatLimitReached { .. } => 409,
            Self::DeviceDeactivated => 410,
            Self::TooManyAttempts { .. } => 429,
            Self::Unavailable | Self::Busy { .. } => 503,
            Self::Offline | Self::Internal => 500,
        }
    }
}

impl AppError {
    /// How long a refused client should wait before trying again (`Retry-After`), for the
    /// refusals that pass with time.
    pub fn retry_after_secs(&self) -> Option<i64> {
        match self {
            Self::TooManyAttempts { minutes } => Some(minutes.saturating_mul(60)),
            Self::Busy { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Raised in the browser when the request never got an answer.
            ServerFnErrorErr::Request(_) => Self::Offline,
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                Self::invalid(Field::Form, InvalidReason::Malformed { detail })
            }
            // On the server this is a request body it cannot read (e.g. a form that is not
            // UTF-8): the caller's mistake, a 4xx, not an internal error. In the browser it is an
            // answer it cannot read, which stays `Internal`.
            #[cfg(feature = "server")]
            ServerFnErrorErr::Deserialization(detail) => {
                Self::invalid(Field::Form, InvalidReason::Malformed { detail })
            }
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "server")]
impl From<sqlx::Error> for AppError {
    /// The one place database errors become user-facing errors.
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => Self::not_found(Thing::Record),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                Self::conflict(ConflictReason::AlreadyExists)
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                tracing::error!(error = %err, "database unavailable");
                Self::Unavailable
            }
            _ => {
                tracing::error!(error = %err, "database error");
                Self::Internal
            }
        }
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::{AppError, ConflictReason, Field, InvalidReason};
    use crate::licenses::LicenseType;

    #[cfg(feature = "server")]
    #[test]
    fn errors_travel_externally_tagged_and_come_back_equal() {
        let cases = [
            (AppError::Unauthenticated, r#""unauthenticated""#),
            (
                AppError::invalid(Field::Name, InvalidReason::TooLong { max: 200 }),
                r#"{"invalid":{"field":"Name","reason":{"too_long":{"max":200}}}}"#,
            ),
            (
                AppError::invalid(Field::Password, InvalidReason::Required),
                r#"{"invalid":{"field":"Password","reason":"required"}}"#,
            ),
            (
                AppError::conflict(ConflictReason::OfflineOnly {
                    license_type: LicenseType::Personal,
                }),
                r#"{"conflict":{"reason":{"offline_only":{"license_type":"personal"}}}}"#,
            ),
            (
                AppError::SeatLimitReached { allowed: 3 },
                r#"{"seat_limit_reached":{"allowed":3}}"#,
            ),
        ];
        for (error, json) in cases {
            assert_eq!(serde_json::to_string(&error).unwrap(), json);
            assert_eq!(serde_json::from_str::<AppError>(json).unwrap(), error);
        }
    }

    #[test]
    fn too_many_attempts_asks_to_wait() {
        let e = AppError::TooManyAttempts { minutes: 3 };
        assert_eq!(e.http_status(), 429);
        assert_eq!(e.retry_after_secs(), Some(180));
    }

    #[test]
    fn fields_keep_the_names_forms_and_the_api_use() {
        assert_eq!(Field::CompanyId.name(), "Company ID");
        assert_eq!(Field::HardwareId.name(), "hardware_id");
        assert_eq!(Field::Input("a.b".into()).name(), "a.b");
        for field in Field::NAMED {
            assert_eq!(&Field::from(field.name().to_owned()), field);
        }
        assert_eq!(
            Field::from("devices[0]".to_owned()),
            Field::Input("devices[0]".into())
        );
    }
}
