//! The one error type of Keyport: every service returns it, every server function carries it to
//! the browser, and the UI shows its message.
//!
//! Messages are written for the person in front of the portal: what happened and what to do next.
//! Internal details never travel in it; they are logged where the error is created.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    #[error("Please log in to continue.")]
    Unauthenticated,
    /// One message whichever of company, email or password was wrong, so nobody can probe for
    /// accounts.
    #[error("The company ID, email or password is incorrect.")]
    InvalidCredentials,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("That {what} was not found, or you do not have access to it.")]
    NotFound { what: String },
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{message}")]
    Conflict { message: String },
    #[error(
        "This license is activated on too many devices (the limit is {allowed}). \
         Reset a device on the license's Devices tab to free a slot."
    )]
    TooManyDevices { allowed: i64 },
    #[error(
        "The deactivation limit is reached: all {allowed} device resets of this license are used. \
         Contact your vendor to reset the limit."
    )]
    DeactivationLimitReached { allowed: i64 },
    #[error(
        "Max license users number reached ({allowed} seats). \
         Buy additional subscriptions to assign more users."
    )]
    SeatLimitReached { allowed: i64 },
    /// The account logged in fine but holds no license to activate a device on.
    #[error(
        "No license is assigned to this account. \
         Ask your license manager to assign you to a license."
    )]
    NoLicense,
    #[error("This license is expired or suspended. Contact your vendor to renew it.")]
    LicenseInactive,
    /// The device token belongs to a device that was reset or deactivated.
    #[error("This device was deactivated. Activate it again to use the software on it.")]
    DeviceDeactivated,
    /// Too many failed logins or activations for this account or from this address; refused
    /// before the password is checked.
    #[error("Too many failed attempts. Try again in {minutes} {}.", minutes_word(*.minutes))]
    TooManyAttempts { minutes: i64 },
    #[error("Keyport is temporarily unavailable. Please try again in a moment.")]
    Unavailable,
    /// Every password check the server can run at once is taken (a burst of logins): nothing was
    /// checked or changed, and the attempt does not count as a failure.
    #[error("Keyport is busy right now. Please try again in a moment.")]
    Busy { retry_after_secs: i64 },
    #[error("Could not reach the server. Check your connection and try again.")]
    Offline,
    #[error(
        "Something went wrong on our side. Please try again; \
         if it keeps happening, contact your vendor."
    )]
    Internal,
}

impl AppError {
    pub fn not_found(what: &str) -> Self {
        Self::NotFound { what: what.into() }
    }

    pub fn invalid(field: &str, message: &str) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
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

fn minutes_word(minutes: i64) -> &'static str {
    if minutes == 1 {
        "minute"
    } else {
        "minutes"
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Raised in the browser when the request never got an answer.
            ServerFnErrorErr::Request(_) => Self::Offline,
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => Self::Invalid {
                field: "form".into(),
                message: msg,
            },
            // On the server this is a request body it cannot read (e.g. a form that is not
            // UTF-8): the caller's mistake, a 4xx, not an internal error. In the browser it is an
            // answer it cannot read, which stays `Internal`.
            #[cfg(feature = "server")]
            ServerFnErrorErr::Deserialization(msg) => Self::Invalid {
                field: "form".into(),
                message: msg,
            },
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "server")]
impl From<sqlx::Error> for AppError {
    /// The one place database errors become user-facing errors.
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => Self::not_found("record"),
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict {
                message: "That already exists.".into(),
            },
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
    use super::AppError;

    #[test]
    fn too_many_attempts_counts_minutes() {
        let e = |minutes| AppError::TooManyAttempts { minutes }.to_string();
        assert_eq!(e(1), "Too many failed attempts. Try again in 1 minute.");
        assert_eq!(e(15), "Too many failed attempts. Try again in 15 minutes.");
        assert_eq!(AppError::TooManyAttempts { minutes: 3 }.http_status(), 429);
    }
}
