//! Delivering the outbox over SMTP (lettre, rustls): the transport `licensing::mail` sends
//! through, and the background task of each server process that claims due messages and sends
//! them. Without `--smtp-url` no task runs and messages wait in the outbox, where the vendor
//! console shows them.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use licensing::mail::{self, DeliveryError, Outgoing, Transport};
use licensing::Store;
use tokio::task::JoinHandle;

/// How often an idle sender looks for due messages; a busy one goes on at once.
const IDLE_POLL: Duration = Duration::from_secs(1);

/// An SMTP server and the address messages come from.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Address,
}

impl Smtp {
    /// `url` as lettre reads it: `smtp://host:port` (plain; add `?tls=required` for STARTTLS),
    /// `smtps://host:port` (TLS from the start), user and password in the URL or given apart.
    pub fn new(
        url: &str,
        from: &str,
        user: Option<&str>,
        password: Option<&str>,
    ) -> Result<Self, String> {
        let from: Address = from
            .parse()
            .map_err(|e| format!("--mail-from {from:?} is no email address: {e}"))?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("--smtp-url is not an SMTP URL: {e}"))?
            .timeout(Some(Duration::from_secs(30)));
        if let Some(user) = user {
            builder = builder.credentials(Credentials::new(
                user.to_owned(),
                password.unwrap_or_default().to_owned(),
            ));
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    fn message(&self, outgoing: &Outgoing) -> Result<lettre::Message, DeliveryError> {
        let m = &outgoing.message;
        // The outbox row was checked when it was written (`Message::check`); a row that still
        // does not parse can never be sent.
        let refuse = |e: &dyn std::fmt::Display| DeliveryError::Permanent(e.to_string());
        let to: Address = m.to.parse().map_err(|e| refuse(&e))?;
        let domain = self.from.domain().to_owned();
        let mut builder = lettre::Message::builder()
            .from(Mailbox::new(Some(m.from_name.clone()), self.from.clone()))
            .to(Mailbox::new(None, to))
            .subject(m.subject.clone())
            // The same on every attempt, so a receiver can recognise a message sent twice.
            .message_id(Some(format!("<{}@{domain}>", outgoing.id)));
        if let Some(reply_to) = &m.reply_to {
            let reply_to: Address = reply_to.parse().map_err(|e| refuse(&e))?;
            builder = builder.reply_to(Mailbox::new(None, reply_to));
        }
        builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(m.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(m.html.clone()),
                    ),
            )
            .map_err(|e| refuse(&e))
    }
}

impl Transport for Smtp {
    async fn send(&self, outgoing: &Outgoing) -> Result<(), DeliveryError> {
        let message = self.message(outgoing)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(DeliveryError::Permanent(e.to_string())),
            Err(e) => Err(DeliveryError::Transient(e.to_string())),
        }
    }
}

/// Starts this process's sender: it delivers due messages until the process ends. Each process
/// has a sender id of its own, so the leases of two processes on one database never mix.
pub fn spawn(store: Store, smtp: Smtp) -> JoinHandle<()> {
    let sender = licensing::store::new_id();
    tokio::spawn(async move {
        loop {
            match mail::deliver_due(&store, &smtp, &sender).await {
                Ok(round) if round.claimed() > 0 => continue,
                Ok(_) => {}
                // The database is away: try again later, like any request would.
                Err(error) => tracing::warn!(%error, "cannot read the outbox"),
            }
            tokio::time::sleep(IDLE_POLL).await;
        }
    })
}
