//! Orders from a vendor's shop through the management API: find or create the customer and the
//! owner, then sell exactly as the console does, once per order id however often (or however
//! concurrently) the order is sent.
//!
//! The order row is claimed before anything is sold; a repeat waits for the claim's holder and
//! answers from the row. The sale itself marks the row sold in its own transaction and is refused
//! if the claim was taken over, so a process dying at any point sells at most once and a retry
//! finishes the order.

use std::time::Duration;

use super::api::{Order, OrderAnswer};
use super::views::named_as;
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::auth::AccountKind;
use crate::error::{AppError, ConflictReason, Field, InvalidReason, Result};
use crate::licenses::{check_sale, sell_writing, Sale};
use crate::mail::Portal;
use crate::store::orders::{self as rows, OrderClaim, OrderRow};
use crate::store::{accounts, customers, new_id, Store, Tx};
use crate::tenants::{NewAccount, PreparedAccount};
use crate::{now_millis, secret};

/// How long a claim holds an order before a retry may take it over (its holder presumed dead).
const CLAIM_MS: i64 = 60_000;
/// How long a repeat waits for the claim's holder to finish before answering "in progress".
const WAIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);

/// Whether the answer is the order's first (201) or a repeat of it (200).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    New,
    Repeat,
}

/// Places an order for the caller's tenant (vendor staff, or a management key acting as such).
pub async fn place_order(
    store: &Store,
    actor: &Actor,
    order: &Order,
    portal: &Portal,
) -> Result<(Placed, OrderAnswer)> {
    let vendor = access::vendor_admin(&actor.principal)?;
    check(order)?;
    let request_hash = secret::hash(&serde_json::to_string(order).map_err(|_| AppError::Internal)?);
    let claim = OrderClaim {
        tenant_id: vendor.tenant_id,
        order_id: order.order_id.clone(),
        claim_token: secret::random_token(),
    };
    let started = tokio::time::Instant::now();
    loop {
        let now = now_millis();
        let mut conn = store.write_conn().await?;
        if rows::claim_new(&mut conn, &claim, &request_hash, now + CLAIM_MS, now).await? {
            break;
        }
        let Some(row) = rows::get(&mut conn, &claim.tenant_id, &claim.order_id).await? else {
            // Released by a refused attempt in between: claim it anew.
            continue;
        };
        if row.request_hash != request_hash {
            return Err(AppError::conflict(ConflictReason::OrderReused {
                order_id: order.order_id.clone(),
            }));
        }
        if let Some(answer) = answer_of(&order.order_id, &row) {
            return Ok((Placed::Repeat, answer));
        }
        if row.claimed_until < now
            && rows::take_over(&mut conn, &claim, &row.claim_token, now + CLAIM_MS, now).await?
        {
            break;
        }
        drop(conn);
        if started.elapsed() > WAIT {
            return Err(AppError::conflict(ConflictReason::OrderInProgress {
                order_id: order.order_id.clone(),
            }));
        }
        tokio::time::sleep(POLL).await;
    }
    match sell(store, actor, order, portal, &claim).await {
        Ok(answer) => Ok((Placed::New, answer)),
        Err(refused) => {
            // Nothing was sold (the sale's transaction marks the order): the order id is free for
            // a corrected order. A sale refused because the claim was taken over keeps the row.
            let mut conn = store.write_conn().await?;
            rows::release(&mut conn, &claim).await?;
            Err(refused)
        }
    }
}

/// The answer of a sold order, from its row; `None` while it is not sold.
fn answer_of(order_id: &str, row: &OrderRow) -> Option<OrderAnswer> {
    Some(OrderAnswer {
        order_id: order_id.to_owned(),
        customer_id: row.customer_id.clone()?,
        owner_account_id: row.owner_account_id.clone()?,
        license_id: row.license_id.clone()?,
        license_created: row.license_created? == 1,
        // Shown once, in the first answer.
        license_key: None,
    })
}

/// What is checked before the order is claimed, so a malformed order never holds its id nor
/// creates a customer or an account.
fn check(order: &Order) -> Result<()> {
    check_sale(&sale_of(order, String::new(), String::new()))
        .map_err(|e| in_order_terms(e, "product"))?;
    crate::customers::checked_name(&order.customer.name)
        .map_err(|e| in_order_terms(e, "customer.name"))?;
    crate::tenants::check_new_account(&order.owner.name, &order.owner.email)
        .map_err(|e| in_order_terms(e, "owner.name"))?;
    for (field, value, max) in [
        ("order_id", &order.order_id, 100_i64),
        ("customer.external_id", &order.customer.external_id, 100),
    ] {
        if value.trim().is_empty() {
            return Err(AppError::invalid(api_field(field), InvalidReason::Required));
        }
        if value.chars().count() as i64 > max {
            return Err(AppError::invalid(
                api_field(field),
                InvalidReason::TooLong { max },
            ));
        }
    }
    Ok(())
}

fn api_field(name: &str) -> Field {
    Field::Input(name.to_owned())
}

/// The console's field names, as the order's JSON spells them.
fn in_order_terms(error: AppError, name_field: &str) -> AppError {
    named_as(error, |field| match field {
        Field::Name => Some(name_field),
        Field::Email => Some("owner.email"),
        Field::Product => Some("product"),
        Field::Subscriptions => Some("subscriptions"),
        Field::Seats => Some("seats_per_subscription"),
        Field::Devices => Some("devices_per_subscription"),
        Field::Deactivations => Some("deactivations"),
        Field::ValidFor | Field::ValidUntil => Some("valid_days"),
        _ => None,
    })
}

async fn sell(
    store: &Store,
    actor: &Actor,
    order: &Order,
    portal: &Portal,
    claim: &OrderClaim,
) -> Result<OrderAnswer> {
    // The owner is checked before the customer is made: an order refused for its owner creates
    // nothing.
    let known_customer = find_customer(store, actor, order).await?;
    let known_owner = find_owner(store, actor, order, known_customer.as_deref()).await?;
    let customer_id = match known_customer {
        Some(id) => id,
        None => create_customer(store, actor, order)
            .await
            .map_err(|e| in_order_terms(e, "customer.name"))?,
    };
    let owner_account_id = match known_owner {
        Some(id) => id,
        None => create_owner(store, actor, order, &customer_id)
            .await
            .map_err(|e| in_order_terms(e, "owner.name"))?,
    };
    {
        let mut conn = store.write_conn().await?;
        rows::set_parties(&mut conn, claim, &customer_id, &owner_account_id).await?;
    }
    let sale = sale_of(order, customer_id.clone(), owner_account_id.clone());
    let (purchase, key) = sell_writing(store, &actor.principal, &sale, portal, Some(claim))
        .await
        .map_err(|e| in_order_terms(e, "product"))?;
    Ok(OrderAnswer {
        order_id: order.order_id.clone(),
        customer_id,
        owner_account_id,
        license_id: purchase.license_id,
        license_created: purchase.created,
        license_key: key,
    })
}

fn sale_of(order: &Order, customer_id: String, owner_account_id: String) -> Sale {
    Sale {
        customer_id,
        product: order.product.clone(),
        license_type: order.license_type,
        subscriptions: order.subscriptions,
        seats_per_subscription: order.seats_per_subscription,
        devices_per_subscription: order.devices_per_subscription,
        max_deactivations: order.deactivations,
        valid_days: order.valid_days,
        owner_account_id,
    }
}

/// The customer the shop knows by `external_id`, if there is one.
async fn find_customer(store: &Store, actor: &Actor, order: &Order) -> Result<Option<String>> {
    let mut conn = store.conn().await?;
    let tenant_id = &actor.principal.tenant_id;
    Ok(
        customers::by_external_id(&mut conn, tenant_id, &order.customer.external_id)
            .await?
            .map(|row| row.id),
    )
}

/// Creates the order's customer (audited). A simultaneous order creating the same customer wins
/// the unique index; this one then finds it.
async fn create_customer(store: &Store, actor: &Actor, order: &Order) -> Result<String> {
    let tenant_id = &actor.principal.tenant_id;
    let name = crate::customers::checked_name(&order.customer.name)?;
    let id = new_id();
    let mut tx = store.begin().await?;
    customers::insert(&mut tx, &id, tenant_id, name, now_millis()).await?;
    let created = customers::set_external_id(&mut tx, &id, &order.customer.external_id).await;
    if let Err(error) = created {
        drop(tx);
        return match AppError::from(error) {
            AppError::Conflict { .. } => find_customer(store, actor, order)
                .await?
                .ok_or(AppError::Internal),
            other => Err(other),
        };
    }
    let subject = AuditSubject::Customer {
        name: name.to_owned(),
    };
    record(&mut tx, actor, AuditAction::CustomerCreated, subject).await?;
    tx.commit().await?;
    Ok(id)
}

/// The owner's account, if they have one: it must be the customer's. An account of another
/// customer (or of a customer yet to be made), or vendor staff, is refused: an order cannot hand
/// someone else's login a license.
async fn find_owner(
    store: &Store,
    actor: &Actor,
    order: &Order,
    customer_id: Option<&str>,
) -> Result<Option<String>> {
    let email = crate::input::normalised_email(&order.owner.email);
    let mut conn = store.conn().await?;
    let found = accounts::by_email_in_tenant(&mut conn, &actor.principal.tenant_id, &email).await?;
    match found {
        None => Ok(None),
        Some(row) if row.customer_id.is_some() && row.customer_id.as_deref() == customer_id => {
            Ok(Some(row.id))
        }
        Some(_) => Err(AppError::conflict(ConflictReason::OwnerOfOtherCustomer {
            email,
        })),
    }
}

/// Creates the owner's account in the customer (audited), its password to be set from the sale's
/// credentials email. A simultaneous order creating the same account wins; this one finds it.
async fn create_owner(
    store: &Store,
    actor: &Actor,
    order: &Order,
    customer_id: &str,
) -> Result<String> {
    let tenant_id = &actor.principal.tenant_id;
    let account = PreparedAccount::new(&NewAccount {
        tenant_id,
        customer_id: Some(customer_id),
        kind: AccountKind::Customer,
        email: &order.owner.email,
        name: &order.owner.name,
        password: &secret::random_token(),
    })
    .await?
    .awaiting_link();
    let mut tx = store.begin().await?;
    match account.insert(&mut tx).await {
        Ok(()) => {}
        Err(AppError::Conflict { .. }) => {
            drop(tx);
            return find_owner(store, actor, order, Some(customer_id))
                .await?
                .ok_or(AppError::Internal);
        }
        Err(other) => return Err(other),
    }
    let subject = AuditSubject::Account {
        name: account.name.clone(),
        email: account.email.clone(),
        assigned: false,
    };
    record(&mut tx, actor, AuditAction::UserCreated, subject).await?;
    tx.commit().await?;
    Ok(account.id)
}

/// An order's change of the tenant (no license yet), by the caller.
async fn record(
    tx: &mut Tx,
    actor: &Actor,
    action: AuditAction,
    subject: AuditSubject,
) -> Result<()> {
    audit::record(
        tx,
        Event {
            tenant_id: &actor.principal.tenant_id,
            license_id: None,
            actor_id: Some(&actor.principal.account_id),
            action,
            subject,
            ip: Some(&actor.ip),
        },
    )
    .await
}
