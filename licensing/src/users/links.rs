//! Set-password links and the email that carries them: invitations (sent, resent, the old link
//! revoked), a forgotten password's reset, and redeeming a link. Only an account's newest link
//! works; using one spends them all.

use sqlx::AnyConnection;

use super::service::{customer_account, manage};
use super::{LinkPurpose, PasswordLink};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::hash_password;
use crate::auth::throttle::{self, ThrottlePolicy};
use crate::error::{AppError, ConflictReason, Field, InvalidReason, Result};
use crate::licenses::license_row;
use crate::mail::{self, texts::Letter, Portal};
use crate::store::sessions::{self, Sessions};
use crate::store::{accounts, customers, links, Store, Tx};
use crate::tenants::check_password;
use crate::{input, now_millis, secret};

/// What an invitation says: who invites, to which product (the vendor's name when it is to the
/// portal as a whole), for which customer.
pub(crate) struct Invitation<'a> {
    pub(crate) manager: &'a str,
    pub(crate) product: Option<&'a str>,
    pub(crate) customer: &'a str,
}

/// A new invitation link for the account `(id, email, name)`, emailed in the caller's
/// transaction (older links stop working); returns its token.
pub(crate) async fn send_invitation(
    tx: &mut Tx,
    tenant_id: &str,
    (account_id, email, name): (&str, &str, &str),
    invitation: &Invitation<'_>,
    portal: &Portal,
) -> Result<String> {
    let token = secret::random_token();
    store_password_link(tx, account_id, &token, LinkPurpose::Invitation).await?;
    let from = mail::sender(tx, tenant_id).await?;
    let link = portal.set_password_link(&token);
    let letter = Letter::Invitation {
        manager: invitation.manager,
        product: invitation.product.unwrap_or(&from.name),
        customer: invitation.customer,
        company: &from.company_key,
        email,
        link: &link,
    };
    mail::post(tx, &from, tenant_id, (email, name), &letter).await?;
    Ok(token)
}

/// Keeps the hash of a set-password link for the account; the token itself goes to the caller.
/// Links sent before it stop working: the newest email is the one to follow.
pub(crate) async fn store_password_link(
    tx: &mut Tx,
    account_id: &str,
    token: &str,
    purpose: LinkPurpose,
) -> Result<()> {
    let now = now_millis();
    links::revoke(tx, account_id, now).await?;
    let expires_at = now + purpose.lifetime_ms();
    links::insert(
        tx,
        &secret::hash(token),
        account_id,
        purpose.as_str(),
        now,
        expires_at,
    )
    .await?;
    Ok(())
}

pub(super) async fn customer_name(tx: &mut Tx, customer_id: &str) -> Result<String> {
    customers::name(tx, customer_id)
        .await?
        .ok_or(AppError::Internal)
}

/// Who may resend an invitation: a manager of a license the person may use, or the tenant's
/// vendor staff from a customer's page.
#[derive(Debug, Clone, Copy)]
pub enum ResendFrom<'a> {
    License(&'a str),
    Customer(&'a str),
}

/// "Resend invitation": a new set-password link for a person who has not used theirs; the old
/// link stops working. Refused (`InvitationUsed`) once the person has chosen a password.
pub async fn resend_invitation(
    store: &Store,
    actor: &Actor,
    from: ResendFrom<'_>,
    account_id: &str,
    portal: &Portal,
) -> Result<String> {
    let who = &actor.principal;
    // Keyed on the account: two resends at once each revoke the other's link in turn, never
    // leaving two working; on SQLite it also takes the write lock before the first read.
    let mut tx = store
        .begin_keyed(&format!("invitation:{account_id}"))
        .await?;
    let (tenant_id, customer_id, product) = match from {
        ResendFrom::License(license_id) => {
            let managed = manage(&mut tx, who, license_id).await?;
            let product = license_row(&mut tx, license_id).await?.product;
            (managed.tenant_id, managed.customer_id, Some(product))
        }
        ResendFrom::Customer(customer_id) => {
            let vendor = access::vendor_admin(who)?;
            let customer = access::vendor_customer(&mut tx, &vendor, customer_id).await?;
            (customer.tenant_id, customer.customer_id, None)
        }
    };
    let (name, email) = customer_account(&mut tx, &customer_id, account_id).await?;
    if accounts::password_set(&mut tx, account_id).await? {
        return Err(AppError::conflict(ConflictReason::InvitationUsed));
    }
    let customer_name = customer_name(&mut tx, &customer_id).await?;
    let invitation = Invitation {
        manager: &who.name,
        product: product.as_deref(),
        customer: &customer_name,
    };
    let to = (account_id, email.as_str(), name.as_str());
    send_invitation(&mut tx, &tenant_id, to, &invitation, portal).await?;
    tx.commit().await?;
    tracing::info!(ip = %actor.ip, account = account_id, "invitation resent");
    Ok(email)
}

fn link_refused() -> AppError {
    AppError::invalid(Field::Link, InvalidReason::LinkUnusable)
}

/// Whom a set-password link is for, while it is still usable.
pub async fn password_link(store: &Store, token: &str) -> Result<PasswordLink> {
    let mut conn = store.conn().await?;
    usable_link(&mut conn, token)
        .await
        .map(|usable| usable.link)
}

struct UsableLink {
    link: PasswordLink,
    account_id: String,
    tenant_id: String,
}

fn link_purpose(purpose: &str) -> LinkPurpose {
    if purpose == LinkPurpose::Reset.as_str() {
        LinkPurpose::Reset
    } else {
        LinkPurpose::Invitation
    }
}

async fn usable_link(conn: &mut AnyConnection, token: &str) -> Result<UsableLink> {
    let row = links::usable(conn, &secret::hash(token.trim()), now_millis())
        .await?
        .ok_or_else(link_refused)?;
    Ok(UsableLink {
        link: PasswordLink {
            name: row.name,
            email: row.email,
            company_id: row.company_key,
            reset: link_purpose(&row.purpose) == LinkPurpose::Reset,
        },
        account_id: row.id,
        tenant_id: row.tenant_id,
    })
}

/// Redeems a set-password link: the account gets the password, every link of the account is
/// spent, and any session the account had is ended. A reset link's use is a password change,
/// which the account is told of by email (someone else may have reset it).
pub async fn set_password_with_link(
    store: &Store,
    token: &str,
    password: &str,
    confirm: &str,
    ip: &str,
) -> Result<PasswordLink> {
    check_password(password)?;
    if password != confirm {
        return Err(AppError::invalid(
            Field::ConfirmPassword,
            InvalidReason::PasswordMismatch,
        ));
    }
    let hash = hash_password(password).await?;
    let mut tx = store.begin().await?;
    // Lock the link before reading it (as `begin_locked` does for licenses): a write as the first
    // statement takes SQLite's write lock, queueing behind a simultaneous redemption, and locks
    // the row on Postgres. Reading first would leave SQLite unable to upgrade the read to a write
    // once the other redemption commits, a `database is locked` error instead of "link used".
    let token_hash = secret::hash(token.trim());
    links::lock(&mut tx, &token_hash).await?;
    let UsableLink {
        link,
        account_id,
        tenant_id,
    } = usable_link(&mut tx, token).await?;
    // Spending the link first and checking that it was still unspent makes two simultaneous
    // redemptions of one link succeed once.
    if !links::spend(&mut tx, &token_hash, now_millis()).await? {
        return Err(link_refused());
    }
    accounts::set_password_hash(&mut tx, &account_id, &hash).await?;
    links::revoke(&mut tx, &account_id, now_millis()).await?;
    sessions::end(&mut tx, Sessions::Account(&account_id)).await?;
    if link.reset {
        let from = mail::sender(&mut tx, &tenant_id).await?;
        let letter = Letter::PasswordChanged {
            company: &link.company_id,
            email: &link.email,
        };
        mail::post(
            &mut tx,
            &from,
            &tenant_id,
            (&link.email, &link.name),
            &letter,
        )
        .await?;
    }
    audit::record(
        &mut tx,
        Event {
            tenant_id: &tenant_id,
            license_id: None,
            actor_id: Some(&account_id),
            action: AuditAction::UserPasswordSet,
            subject: AuditSubject::Email {
                email: link.email.clone(),
            },
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(link)
}

/// *Forgot password*: books the request against its throttle, then emails the account with this
/// company ID and email a reset link that works once, within an hour. The answer is the same
/// whether or not there is such an account, and so is its timing: the look-up and the email are
/// done after the answer, in the background.
pub async fn request_password_reset(
    store: &Store,
    throttle: &ThrottlePolicy,
    portal: &Portal,
    (company, email): (&str, &str),
    ip: &str,
) -> Result<()> {
    if company.trim().is_empty() {
        return Err(AppError::invalid(Field::CompanyId, InvalidReason::Required));
    }
    if email.trim().is_empty() {
        return Err(AppError::invalid(Field::Email, InvalidReason::Required));
    }
    throttle::book_reset(store, throttle, company, email, ip).await?;
    let (store, portal) = (store.clone(), portal.clone());
    let company = input::normalised_company(company);
    let email = input::normalised_email(email);
    let ip = ip.to_owned();
    tokio::spawn(async move {
        if let Err(error) = send_reset_link(&store, &portal, &company, &email).await {
            tracing::warn!(%error, ip, "a password reset email could not be written");
        }
    });
    Ok(())
}

/// The reset link and its email, in one transaction, if the account exists.
async fn send_reset_link(store: &Store, portal: &Portal, company: &str, email: &str) -> Result<()> {
    let mut tx = store
        .begin_keyed(&format!("reset-link:{company}:{email}"))
        .await?;
    let Some(row) = accounts::by_login(&mut tx, company, email).await? else {
        return Ok(());
    };
    let account = row.principal;
    let token = secret::random_token();
    store_password_link(&mut tx, &account.id, &token, LinkPurpose::Reset).await?;
    let from = mail::sender(&mut tx, &account.tenant_id).await?;
    let link = portal.set_password_link(&token);
    let letter = Letter::PasswordReset {
        company: &from.company_key,
        email: &account.email,
        link: &link,
    };
    mail::post(
        &mut tx,
        &from,
        &account.tenant_id,
        (&account.email, &account.name),
        &letter,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
