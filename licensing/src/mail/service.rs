//! The outbox on the server: writing a message in its change's transaction, the delivery round
//! ([`deliver_due`]) and the console's reading of it.

use std::future::Future;

use sqlx::AnyConnection;

use super::texts::{compose, Letter};
use super::{MailKind, MailSettings, MailStatus, Message, OutboxEntry, PAGE};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::Principal;
use crate::error::{AppError, Field, InvalidReason, Result, Thing};
use crate::i18n::Locale;
use crate::store::outbox::{self as rows, MessageRow, NewMessageRow};
use crate::store::{accounts, new_id, tenants, Store};
use crate::{now_millis, Millis};

/// The portal's address as its users reach it (`--public-url`): where the links in email point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portal {
    url: String,
}

impl Portal {
    pub fn new(url: &str) -> Self {
        Self {
            url: url.trim().trim_end_matches('/').to_owned(),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The page a set-password link opens, for invitations, credentials and resets alike.
    pub fn set_password_link(&self, token: &str) -> String {
        format!("{}/set-password?token={token}", self.url)
    }
}

/// Who a tenant's email comes from: [`tenants::MailSender`], or `Internal` for a tenant that
/// is not there (the callers hold one of its rows).
pub async fn sender(conn: &mut AnyConnection, tenant_id: &str) -> Result<tenants::MailSender> {
    tenants::mail_sender(conn, tenant_id)
        .await?
        .ok_or(AppError::Internal)
}

/// Writes `letter` to `to` (whose name is `name`) in the caller's transaction, in the recipient's
/// language, from the vendor's name, with the vendor's support address to reply to.
pub async fn post(
    conn: &mut AnyConnection,
    from: &tenants::MailSender,
    tenant_id: &str,
    (to, name): (&str, &str),
    letter: &Letter<'_>,
) -> Result<String> {
    let locale = recipient_locale(conn, tenant_id, to).await?;
    let composed = compose(locale, &from.name, name, letter);
    enqueue(
        conn,
        &Message {
            tenant_id: tenant_id.to_owned(),
            kind: letter.kind(),
            to: to.to_owned(),
            from_name: from.name.clone(),
            reply_to: from.support_email.clone(),
            subject: composed.subject,
            text: composed.text,
            html: composed.html,
        },
    )
    .await
}

/// The language of email to `email` in the tenant: the one its person last chose in the portal,
/// else the tenant's default (an address without an account, such as a new owner's before the
/// account exists, gets the default too).
pub async fn recipient_locale(
    conn: &mut AnyConnection,
    tenant_id: &str,
    email: &str,
) -> Result<Locale> {
    let code = match accounts::mail_language(conn, tenant_id, email).await? {
        Some(code) => Some(code),
        None => tenants::default_language(conn, tenant_id).await?,
    };
    Ok(code
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or_default())
}

/// Remembers the language a logged-in person chose, for the email they receive.
pub async fn remember_language(store: &Store, who: &Principal, locale: Locale) -> Result<()> {
    let mut conn = store.write_conn().await?;
    accounts::set_language(&mut conn, &who.account_id, locale.code()).await?;
    Ok(())
}

/// Writes a message in the caller's transaction (the change that causes it); returns its id.
pub async fn enqueue(conn: &mut AnyConnection, message: &Message) -> Result<String> {
    message.check()?;
    let id = new_id();
    rows::insert(
        conn,
        &NewMessageRow {
            id: &id,
            tenant_id: &message.tenant_id,
            kind: message.kind.as_str(),
            recipient: &message.to,
            from_name: &message.from_name,
            reply_to: message.reply_to.as_deref(),
            subject: &message.subject,
            text_body: &message.text,
            html_body: &message.html,
            now: now_millis(),
        },
    )
    .await?;
    Ok(id)
}

/// Why a delivery attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryError {
    /// Worth trying again later: the server is down, busy, or refused for now (4xx).
    Transient(String),
    /// The server refused for good (5xx: no such mailbox...); never retried.
    Permanent(String),
}

/// Where messages go: SMTP in the server, a recorder in tests.
pub trait Transport: Send + Sync {
    fn send(
        &self,
        message: &Outgoing,
    ) -> impl Future<Output = std::result::Result<(), DeliveryError>> + Send;
}

/// A claimed message, as a transport sends it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The outbox id: the `Message-ID`'s local part, the same on every attempt.
    pub id: String,
    pub message: Message,
}

impl From<MessageRow> for Outgoing {
    fn from(row: MessageRow) -> Self {
        Self {
            id: row.id,
            message: Message {
                tenant_id: row.tenant_id,
                // A kind this build does not know still goes out; the kind only labels it.
                kind: MailKind::parse(&row.kind).unwrap_or(MailKind::Invitation),
                to: row.recipient,
                from_name: row.from_name,
                reply_to: row.reply_to,
                subject: row.subject,
                text: row.text_body,
                html: row.html_body,
            },
        }
    }
}

/// How long a claim holds a message against other senders: longer than one SMTP delivery takes.
pub const LEASE_MS: Millis = 2 * 60 * 1000;
/// Attempts before a message that keeps failing transiently is given up on (about a day).
pub const MAX_ATTEMPTS: i64 = 30;
/// Messages one round claims.
pub const BATCH: i64 = 20;

/// The wait before attempt `attempts + 1` after `attempts` failed ones: 30 s doubling, at most an
/// hour.
pub fn backoff_ms(attempts: i64) -> Millis {
    let doublings = attempts.clamp(1, 8) - 1;
    (30_000 * (1i64 << doublings)).min(60 * 60 * 1000)
}

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl Round {
    pub fn claimed(&self) -> usize {
        self.sent + self.retrying + self.failed
    }
}

/// Claims the due messages (at most [`BATCH`]) for `sender` and delivers them one by one.
pub async fn deliver_due<T: Transport>(
    store: &Store,
    transport: &T,
    sender: &str,
) -> Result<Round> {
    let now = now_millis();
    let claimed = {
        let mut conn = store.write_conn().await?;
        rows::claim(
            &mut conn,
            store.backend(),
            sender,
            now,
            now + LEASE_MS,
            BATCH,
        )
        .await?
    };
    let mut round = Round::default();
    for row in claimed {
        let attempts = row.attempts + 1;
        let id = row.id.clone();
        let result = transport.send(&Outgoing::from(row)).await;
        let mut conn = store.write_conn().await?;
        match result {
            Ok(()) => {
                rows::mark_sent(&mut conn, &id, sender, now_millis()).await?;
                round.sent += 1;
            }
            Err(DeliveryError::Transient(error)) if attempts < MAX_ATTEMPTS => {
                tracing::warn!(message = %id, attempts, %error, "email not delivered; will retry");
                let retry_at = now_millis() + backoff_ms(attempts);
                rows::mark_failed_attempt(&mut conn, &id, sender, &error, Some(retry_at)).await?;
                round.retrying += 1;
            }
            Err(DeliveryError::Transient(error) | DeliveryError::Permanent(error)) => {
                tracing::error!(message = %id, attempts, %error, "email given up on");
                rows::mark_failed_attempt(&mut conn, &id, sender, &error, None).await?;
                round.failed += 1;
            }
        }
    }
    Ok(round)
}

impl From<MessageRow> for OutboxEntry {
    fn from(row: MessageRow) -> Self {
        Self {
            status: match row.status.as_str() {
                "sent" => MailStatus::Sent,
                "failed" => MailStatus::Failed,
                _ => MailStatus::Pending,
            },
            id: row.id,
            kind: row.kind,
            recipient: row.recipient,
            subject: row.subject,
            attempts: row.attempts,
            last_error: row.last_error,
            created_at: row.created_at,
            sent_at: row.sent_at,
            text: row.text_body,
            html: row.html_body,
        }
    }
}

/// The tenant's messages, newest first: vendor staff of that tenant only.
pub async fn list_for_tenant(
    store: &Store,
    who: &Principal,
    page: i64,
) -> Result<Vec<OutboxEntry>> {
    let vendor = access::vendor_admin(who)?;
    let mut conn = store.conn().await?;
    let offset = page.clamp(0, 10_000) * PAGE;
    Ok(rows::of_tenant(&mut conn, &vendor.tenant_id, PAGE, offset)
        .await?
        .into_iter()
        .map(OutboxEntry::from)
        .collect())
}

/// The caller's tenant's email settings (vendor staff only).
pub async fn settings(store: &Store, who: &Principal) -> Result<MailSettings> {
    let vendor = access::vendor_admin(who)?;
    let mut conn = store.conn().await?;
    let (default_language, support_email) = tenants::mail_settings(&mut conn, &vendor.tenant_id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(MailSettings {
        default_language,
        support_email,
    })
}

/// Saves the tenant's default language for email and its support address (empty: none), after
/// checking both: a language the portal speaks, one plausible address (which also keeps a line
/// break out of the `Reply-To` header).
pub async fn save_settings(
    store: &Store,
    actor: &Actor,
    default_language: &str,
    support_email: &str,
) -> Result<MailSettings> {
    let vendor = access::vendor_admin(&actor.principal)?;
    let locale = Locale::ALL
        .iter()
        .copied()
        .find(|l| l.code() == default_language.trim())
        .ok_or_else(|| AppError::invalid(Field::Language, InvalidReason::UnknownLanguage))?;
    let support = crate::input::normalised_email(support_email);
    if !support.is_empty() && !crate::tenants::is_plausible_email(&support) {
        return Err(AppError::invalid(
            Field::SupportEmail,
            InvalidReason::EmailFormat,
        ));
    }
    let support = (!support.is_empty()).then_some(support);
    let mut tx = store.begin().await?;
    tenants::set_mail_settings(
        &mut tx,
        &vendor.tenant_id,
        locale.code(),
        support.as_deref(),
    )
    .await?;
    audit::record(
        &mut tx,
        Event {
            tenant_id: &vendor.tenant_id,
            license_id: None,
            actor_id: Some(&actor.principal.account_id),
            action: AuditAction::TenantMailSettingsChanged,
            subject: AuditSubject::MailSettings {
                language: locale.code().to_owned(),
                support_email: support.clone(),
            },
            ip: Some(&actor.ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(MailSettings {
        default_language: locale.code().to_owned(),
        support_email: support,
    })
}

/// One message of the caller's tenant; another tenant's is `NotFound`.
pub async fn get_for_tenant(store: &Store, who: &Principal, id: &str) -> Result<OutboxEntry> {
    let vendor = access::vendor_admin(who)?;
    let mut conn = store.conn().await?;
    rows::get_in_tenant(&mut conn, &vendor.tenant_id, id)
        .await?
        .map(OutboxEntry::from)
        .ok_or_else(|| AppError::not_found(Thing::Message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(5), 480_000);
        assert_eq!(backoff_ms(8), 3_600_000);
        assert_eq!(backoff_ms(29), 3_600_000);
    }
}
