//! The Users tab's rules: only a license manager of the license (or the vendor) manages its users,
//! and every change is audited in the transaction that makes it. Here: who may manage, the tab
//! itself and creating accounts; seat changes are in `seats`.

use sqlx::AnyConnection;

use super::links::{customer_name, send_invitation, Invitation};
use super::seats::take_seat;
use super::{Candidate, CreatedUser, LicenseUser, NewUser, UsersView};
use crate::access::{self, Actor, ManagerGrant};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::{AccountKind, Principal};
use crate::error::{AppError, ConflictReason, Result, Thing};
use crate::licenses::{license_row, LicenseRole, LicenseType};
use crate::mail::{self, texts::Letter, MailKind, Portal};
use crate::store::seats;
use crate::store::{accounts, outbox, Store, Tx};
use crate::tenants::{NewAccount, PreparedAccount};
use crate::{now_millis, secret};

/// The license whose users a manager manages: [`access::manager`], and a license with users at
/// all (a Personal license has its one user and no Users tab).
pub(super) async fn manage(
    conn: &mut AnyConnection,
    who: &Principal,
    license_id: &str,
) -> Result<ManagerGrant> {
    let grant = access::manager(conn, who, license_id).await?;
    let license_type = license_row(conn, license_id).await?.license_type;
    if LicenseType::parse(&license_type)
        .and_then(LicenseType::fixed_seats)
        .is_some()
    {
        return Err(AppError::conflict(ConflictReason::PersonalHasNoUsers));
    }
    Ok(grant)
}

/// The Users tab: who holds a seat, who of the customer could, and how many seats are left.
pub async fn list(store: &Store, who: &Principal, license_id: &str) -> Result<UsersView> {
    let mut conn = store.conn().await?;
    let managed = manage(&mut conn, who, license_id).await?;
    let users = seats::holders(&mut conn, license_id)
        .await?
        .into_iter()
        .map(|row| {
            Ok(LicenseUser {
                role: LicenseRole::parse(&row.role).ok_or(AppError::Internal)?,
                account_id: row.id,
                name: row.name,
                email: row.email,
                assigned_at: row.assigned_at,
                devices_active: row.devices_active,
                invitation_pending: row.password_set == 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let candidates = accounts::without_seat(&mut conn, &managed.customer_id, license_id)
        .await?
        .into_iter()
        .map(|row| Candidate {
            account_id: row.id,
            name: row.name,
            email: row.email,
            invitation_pending: row.password_set == 0,
        })
        .collect();
    let max_users = license_row(&mut conn, license_id).await?.max_users;
    Ok(UsersView {
        license_id: license_id.to_owned(),
        seats_used: users.len() as i64,
        users,
        candidates,
        max_users,
    })
}

/// "Create user": a new account of the license's customer, with an initial password or (without
/// one) an invitation emailed with a set-password link, and (when asked) a seat on the license,
/// all in one transaction: a full license refuses the whole thing and no half-made account or
/// unsent invitation is left behind.
///
/// An address that already belongs to another customer of the tenant or to vendor staff gets the
/// same answer, after the same work, and nothing changes: its owner is emailed that a manager of
/// this customer tried to add them. Otherwise any manager could test addresses with this form.
pub async fn create(
    store: &Store,
    actor: &Actor,
    license_id: &str,
    new: &NewUser,
    portal: &Portal,
) -> Result<CreatedUser> {
    let (who, ip) = (&actor.principal, actor.ip.as_str());
    // Who may do this is checked before the password is hashed: nobody else costs us Argon2.
    let first = {
        let mut conn = store.conn().await?;
        manage(&mut conn, who, license_id).await?
    };
    let invite = new.password.is_none();
    // Without a password nobody knows the account's: it becomes usable once the link sets one.
    let password = new.password.clone().unwrap_or_else(secret::random_token);
    let mut account = PreparedAccount::new(&NewAccount {
        tenant_id: &first.tenant_id,
        customer_id: Some(&first.customer_id),
        kind: AccountKind::Customer,
        email: &new.email,
        name: &new.name,
        password: &password,
    })
    .await?;
    if invite {
        account = account.awaiting_link();
    }

    let mut tx = store.begin_locked(license_id).await?;
    let managed = manage(&mut tx, who, license_id).await?;
    if account.customer_id.as_deref() != Some(managed.customer_id.as_str()) {
        // The license changed hands between the two checks; start over rather than guess.
        return Err(AppError::conflict(ConflictReason::LicenseChanged));
    }
    let license = license_row(&mut tx, license_id).await?;
    let from = mail::sender(&mut tx, &managed.tenant_id).await?;
    if let Some(owner) = elsewhere(&mut tx, &managed, &account.email).await? {
        if new.assign && license.seats_used >= license.max_users {
            return Err(AppError::SeatLimitReached {
                allowed: license.max_users,
            });
        }
        // One notice a day per address: the form must not become a way to flood someone's inbox.
        let kind = (owner.email.as_str(), MailKind::InvitationRefused.as_str());
        let day_ago = now_millis() - 24 * 60 * 60 * 1000;
        if !outbox::written_since(&mut tx, &managed.tenant_id, kind, day_ago).await? {
            let letter = Letter::InvitationRefused {
                customer: &license.customer_name,
                email: &owner.email,
            };
            mail::post(
                &mut tx,
                &from,
                &managed.tenant_id,
                (&owner.email, &owner.name),
                &letter,
            )
            .await?;
        }
        tx.commit().await?;
        tracing::info!(
            ip,
            license = license_id,
            "create user refused: address taken elsewhere"
        );
        return Ok(CreatedUser {
            account_id: None,
            name: account.name,
            email: account.email,
            assigned: new.assign,
            invited: invite,
            set_password_token: None,
        });
    }
    account.insert(&mut tx).await?;
    if new.assign {
        take_seat(&mut tx, license_id, &account.id, LicenseRole::User).await?;
    }
    let link_token = if invite {
        let invitation = Invitation {
            manager: &who.name,
            product: Some(&license.product),
            customer: &license.customer_name,
        };
        let to = (
            account.id.as_str(),
            account.email.as_str(),
            account.name.as_str(),
        );
        Some(send_invitation(&mut tx, &managed.tenant_id, to, &invitation, portal).await?)
    } else {
        None
    };
    let subject = AuditSubject::Account {
        name: account.name.clone(),
        email: account.email.clone(),
        assigned: new.assign,
    };
    audit::record(
        &mut tx,
        Event {
            tenant_id: &managed.tenant_id,
            license_id: Some(license_id),
            actor_id: Some(&who.account_id),
            action: AuditAction::UserCreated,
            subject,
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedUser {
        account_id: Some(account.id),
        name: account.name,
        email: account.email,
        assigned: new.assign,
        invited: invite,
        set_password_token: link_token,
    })
}

/// The account an address names in the tenant when it is not one of this customer's: another
/// customer's person or vendor staff.
async fn elsewhere(
    tx: &mut Tx,
    managed: &ManagerGrant,
    email: &str,
) -> Result<Option<accounts::PrincipalRow>> {
    let found = accounts::by_email_in_tenant(tx, &managed.tenant_id, email).await?;
    Ok(found.filter(|row| row.customer_id.as_deref() != Some(managed.customer_id.as_str())))
}

/// Vendor staff create an account of one of their customers (a license's future owner, say).
/// With a portal to link to, the person is emailed an invitation with a set-password link, which
/// is also returned (the console does not show it). Without, nobody is told yet: a sale to the
/// new owner emails their credentials (`keyport license create` makes its owner so), and the
/// console can still send the invitation.
pub async fn create_for_customer(
    store: &Store,
    actor: &Actor,
    customer_id: &str,
    (name, email): (&str, &str),
    invite: Option<&Portal>,
) -> Result<CreatedUser> {
    let (who, ip) = (&actor.principal, actor.ip.as_str());
    let vendor = access::vendor_admin(who)?;
    let customer = {
        let mut conn = store.conn().await?;
        access::vendor_customer(&mut conn, &vendor, customer_id).await?
    };
    let account = PreparedAccount::new(&NewAccount {
        tenant_id: &customer.tenant_id,
        customer_id: Some(&customer.customer_id),
        kind: AccountKind::Customer,
        email,
        name,
        password: &secret::random_token(),
    })
    .await?
    .awaiting_link();
    let mut tx = store.begin().await?;
    account.insert(&mut tx).await?;
    let token = match invite {
        Some(portal) => {
            let customer_name = customer_name(&mut tx, &customer.customer_id).await?;
            let invitation = Invitation {
                manager: &who.name,
                product: None,
                customer: &customer_name,
            };
            let to = (
                account.id.as_str(),
                account.email.as_str(),
                account.name.as_str(),
            );
            Some(send_invitation(&mut tx, &customer.tenant_id, to, &invitation, portal).await?)
        }
        None => None,
    };
    audit::record(
        &mut tx,
        Event {
            tenant_id: &customer.tenant_id,
            license_id: None,
            actor_id: Some(&who.account_id),
            action: AuditAction::UserCreated,
            subject: AuditSubject::Account {
                name: account.name.clone(),
                email: account.email.clone(),
                assigned: false,
            },
            ip: Some(ip),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedUser {
        account_id: Some(account.id),
        name: account.name,
        email: account.email,
        assigned: false,
        invited: token.is_some(),
        set_password_token: token,
    })
}

/// Name and email of an account of this customer; any other id is `NotFound`, so ids of other
/// customers and tenants reveal nothing.
pub(super) async fn customer_account(
    tx: &mut Tx,
    customer_id: &str,
    account_id: &str,
) -> Result<(String, String)> {
    accounts::of_customer(tx, customer_id, account_id)
        .await?
        .ok_or_else(|| AppError::not_found(Thing::Account))
}
