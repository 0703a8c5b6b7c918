//! An activation, and the log of one refused for the device limit, waiting in SQLite's write
//! queue (`store::batch`): what each needs from its request, owned, and how it answers once its
//! transaction ended.

use futures_util::future::BoxFuture;

use super::activation::{limit_refused_event, write_activation, Channel, Decision};
use super::{DeviceInfo, NewActivation};
use crate::error::{AppError, Result};
use crate::store::{batch, Tx};

/// An activation waiting in SQLite's write queue, with what it needs from its request.
pub(super) struct ActivationJob {
    new: OwnedActivation,
    channel: OwnedChannel,
    ip: String,
    /// The last run's answer, given to the request once its transaction ended.
    answer: Option<Result<Decision>>,
    reply: tokio::sync::oneshot::Sender<Result<Decision>>,
}

impl ActivationJob {
    pub(super) fn new(
        new: &NewActivation<'_>,
        channel: Channel<'_>,
        ip: &str,
        reply: tokio::sync::oneshot::Sender<Result<Decision>>,
    ) -> Self {
        Self {
            new: OwnedActivation::of(new),
            channel: OwnedChannel::of(channel),
            ip: ip.to_owned(),
            answer: None,
            reply,
        }
    }
}

impl batch::Job for ActivationJob {
    fn run<'t>(&'t mut self, tx: &'t mut Tx) -> BoxFuture<'t, batch::Ran> {
        Box::pin(async move {
            let answer =
                write_activation(tx, &self.new.borrowed(), self.channel.borrowed(), &self.ip).await;
            let ran = match &answer {
                Ok(Decision::Activated(..)) => batch::Ran::Wrote,
                Ok(Decision::Refused { .. } | Decision::Declined(_)) => batch::Ran::WroteNothing,
                Err(_) => batch::Ran::Failed,
            };
            self.answer = Some(answer);
            ran
        })
    }

    fn finish(self: Box<Self>, committed: Result<()>) {
        let answer = match committed {
            Ok(()) => self.answer.unwrap_or(Err(AppError::Internal)),
            Err(err) => Err(err),
        };
        // The request may have gone (its client hung up): nobody to tell.
        let _ = self.reply.send(answer);
    }
}

/// The audit event of an activation refused for the device limit, waiting in the write queue so
/// that refusals share their commits with the activations and with each other.
pub(super) struct RefusalLog {
    new: OwnedActivation,
    tenant_id: String,
    ip: String,
    /// Why the last run could not write the event.
    failed: Option<AppError>,
    reply: tokio::sync::oneshot::Sender<Result<()>>,
}

impl RefusalLog {
    pub(super) fn new(
        new: &NewActivation<'_>,
        tenant_id: &str,
        ip: &str,
        reply: tokio::sync::oneshot::Sender<Result<()>>,
    ) -> Self {
        Self {
            new: OwnedActivation::of(new),
            tenant_id: tenant_id.to_owned(),
            ip: ip.to_owned(),
            failed: None,
            reply,
        }
    }
}

impl batch::Job for RefusalLog {
    fn run<'t>(&'t mut self, tx: &'t mut Tx) -> BoxFuture<'t, batch::Ran> {
        Box::pin(async move {
            let new = self.new.borrowed();
            let event = limit_refused_event(&self.tenant_id, &new, &self.ip);
            self.failed = crate::audit::record(tx, event).await.err();
            match self.failed {
                None => batch::Ran::Wrote,
                Some(_) => batch::Ran::Failed,
            }
        })
    }

    fn finish(self: Box<Self>, committed: Result<()>) {
        let answer = committed.and(self.failed.map_or(Ok(()), Err));
        let _ = self.reply.send(answer);
    }
}

/// [`NewActivation`] with its own strings, to wait in the queue.
struct OwnedActivation {
    license_id: String,
    account_id: Option<String>,
    hardware_id: String,
    name: String,
    os: String,
}

impl OwnedActivation {
    fn of(new: &NewActivation<'_>) -> Self {
        Self {
            license_id: new.license_id.to_owned(),
            account_id: new.account_id.map(str::to_owned),
            hardware_id: new.device.hardware_id.to_owned(),
            name: new.device.name.to_owned(),
            os: new.device.os.to_owned(),
        }
    }

    fn borrowed(&self) -> NewActivation<'_> {
        NewActivation {
            license_id: &self.license_id,
            account_id: self.account_id.as_deref(),
            device: DeviceInfo {
                hardware_id: &self.hardware_id,
                name: &self.name,
                os: &self.os,
            },
        }
    }
}

/// [`Channel`] with its own token hash.
enum OwnedChannel {
    Direct,
    App { token_hash: String },
    OfflineFile,
}

impl OwnedChannel {
    fn of(channel: Channel<'_>) -> Self {
        match channel {
            Channel::Direct => Self::Direct,
            Channel::App { token_hash } => Self::App {
                token_hash: token_hash.to_owned(),
            },
            Channel::OfflineFile => Self::OfflineFile,
        }
    }

    fn borrowed(&self) -> Channel<'_> {
        match self {
            Self::Direct => Channel::Direct,
            Self::App { token_hash } => Channel::App { token_hash },
            Self::OfflineFile => Channel::OfflineFile,
        }
    }
}
