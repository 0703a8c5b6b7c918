//! Email: messages written to the outbox in the transaction of the change that causes them, and
//! the delivery round that sends due ones through a [`Transport`] (SMTP in the server) with a
//! lease per message, retries with backoff, and a permanent refusal recorded as failed.
//!
//! Writing in the change's transaction is what makes a crash harmless: a committed change has
//! its message in the table, and a rolled-back one has none. Delivery is at least once: a
//! process killed after the SMTP server accepted a message but before it recorded that sends it
//! again when its lease ends, with the same `Message-ID`, so the receiving side can tell.

use serde::{Deserialize, Serialize};

use crate::error::{AppError, Field, InvalidReason, Result};
use crate::Millis;

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub mod texts;
#[cfg(feature = "server")]
pub use service::*;

/// A tenant's email settings, as the console shows and edits them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettings {
    /// A `Locale` code: the language of email to people who never chose one in the portal.
    pub default_language: String,
    /// Where replies go (`Reply-To`); `None`: to the sender address.
    pub support_email: Option<String>,
}

/// What caused a message; stored as [`MailKind::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// A new owner's company ID, email and set-password link, after a sale.
    Credentials,
    /// More subscriptions sold to an owner who has an account.
    Receipt,
    /// A new account's set-password link (*Create user*, *Add account*).
    Invitation,
    /// Someone tried to add an address that belongs elsewhere in the tenant.
    InvitationRefused,
    /// A forgotten password's reset link.
    PasswordReset,
    /// The password was changed.
    PasswordChanged,
}

impl MailKind {
    pub const ALL: [Self; 6] = [
        Self::Credentials,
        Self::Receipt,
        Self::Invitation,
        Self::InvitationRefused,
        Self::PasswordReset,
        Self::PasswordChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Credentials => "credentials",
            Self::Receipt => "receipt",
            Self::Invitation => "invitation",
            Self::InvitationRefused => "invitation_refused",
            Self::PasswordReset => "password_reset",
            Self::PasswordChanged => "password_changed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A message to send: one recipient, plain text and HTML of the same words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub tenant_id: String,
    pub kind: MailKind,
    pub to: String,
    /// The vendor's name, shown as the sender's.
    pub from_name: String,
    /// The vendor's support address, for replies.
    pub reply_to: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Message {
    /// Refuses what would let a name, address or subject write headers of its own (a line
    /// break) or that no SMTP server takes (a NUL), and an address that is not one address.
    pub fn check(&self) -> Result<()> {
        let one_line = [
            (Field::Email, self.to.as_str()),
            (Field::Name, self.from_name.as_str()),
            (Field::Email, self.reply_to.as_deref().unwrap_or_default()),
            (Field::Name, self.subject.as_str()),
        ];
        for (field, value) in one_line {
            if value.contains(['\r', '\n']) {
                return Err(AppError::invalid(field, InvalidReason::LineBreak));
            }
        }
        for value in [
            &self.to,
            &self.from_name,
            &self.subject,
            &self.text,
            &self.html,
        ] {
            if value.contains('\0') {
                return Err(AppError::invalid(Field::Email, InvalidReason::ContainsNul));
            }
        }
        for address in std::iter::once(self.to.as_str()).chain(self.reply_to.as_deref()) {
            if !is_one_address(address) {
                return Err(AppError::invalid(Field::Email, InvalidReason::EmailFormat));
            }
        }
        Ok(())
    }
}

/// `local@domain`, without the characters that would make it a list or a display name.
fn is_one_address(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !address.contains(|c: char| c.is_whitespace() || ",;<>()\"".contains(c))
}

/// Where a message stands, for the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    Pending,
    Sent,
    Failed,
}

/// A message as the vendor console lists and shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: MailStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: Millis,
    pub sent_at: Option<Millis>,
    pub text: String,
    pub html: String,
}

/// Messages one console page lists.
pub const PAGE: i64 = 50;

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message {
            tenant_id: "t".into(),
            kind: MailKind::Invitation,
            to: "uma@acme.example".into(),
            from_name: "CodeGlass".into(),
            reply_to: Some("support@codeglass.example".into()),
            subject: "Your CodeGlass account".into(),
            text: "Hello".into(),
            html: "<p>Hello</p>".into(),
        }
    }

    #[test]
    fn a_line_break_in_a_header_value_is_refused() {
        assert!(message().check().is_ok());
        let cases: [fn(&mut Message); 5] = [
            |m| m.subject = "Hi\r\nBcc: victim@example.com".into(),
            |m| m.from_name = "CodeGlass\nX-Evil: 1".into(),
            |m| m.to = "uma@acme.example\r\nBcc: x@y.example".into(),
            |m| m.reply_to = Some("a@b.example\nBcc: x@y.example".into()),
            |m| m.subject = "line\rbreak".into(),
        ];
        for change in cases {
            let mut m = message();
            change(&mut m);
            assert!(
                matches!(
                    m.check(),
                    Err(AppError::Invalid {
                        reason: InvalidReason::LineBreak,
                        ..
                    })
                ),
                "{m:?}"
            );
        }
    }

    #[test]
    fn a_recipient_is_exactly_one_address() {
        for to in [
            "a@b.example, c@d.example",
            "Uma <uma@acme.example>",
            "uma",
            "@acme.example",
            "uma@localhost",
        ] {
            let mut m = message();
            m.to = to.into();
            assert!(m.check().is_err(), "{to}");
        }
    }

    #[test]
    fn kinds_read_back() {
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.as_str()), Some(kind));
        }
    }
}
