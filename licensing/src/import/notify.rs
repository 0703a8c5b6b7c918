//! Telling imported people how to log in: a set-password invitation (the email every new account
//! gets) to each account an import made without a password. A separate, explicit step (`keyport
//! import licensespring --notify`), never part of a dry run; run again, it reaches only those whose
//! link was used up or ran out, so nobody gets the same invitation twice in a row.

use super::NO_PASSWORD;
use crate::error::Result;
use crate::mail::Portal;
use crate::now_millis;
use crate::store::{imports, Store};
use crate::users::{send_invitation, Invitation};

/// Accounts invited per transaction.
const BATCH: usize = 200;

/// Queues the invitations; returns how many were sent.
pub async fn notify_imported(store: &Store, tenant_id: &str, portal: &Portal) -> Result<u64> {
    let waiting = {
        let mut conn = store.conn().await?;
        imports::awaiting_password(&mut conn, tenant_id, NO_PASSWORD, now_millis()).await?
    };
    let mut sent = 0;
    for batch in waiting.chunks(BATCH) {
        // The import's lock: a notice never races an import of the same tenant.
        let mut tx = store.begin_keyed(&format!("import:{tenant_id}")).await?;
        for account in batch {
            let invitation = Invitation {
                manager: &account.vendor,
                product: None,
                customer: &account.customer_name,
            };
            let to = (
                account.id.as_str(),
                account.email.as_str(),
                account.name.as_str(),
            );
            send_invitation(&mut tx, tenant_id, to, &invitation, portal).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}
