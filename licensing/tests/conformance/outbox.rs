//! The outbox: a message is committed with its change or not at all; each is sent once however
//! many senders claim at the same time; a transient failure is retried after a backoff and a
//! permanent one given up on; a sender that died holding a lease leaves the message to the next;
//! a header injection writes nothing; the console lists a tenant's messages to its staff only.
//!
//! The tests that deliver, or read a status a delivery would change, share one lock: on a shared
//! Postgres a round claims every tenant's due messages, so two of them at once would take each
//! other's; what a test counts as sent is its own tenant's.

use super::*;
use licensing::demo::admin_email;
use licensing::mail::{self, DeliveryError, MailKind, MailStatus, Message, Outgoing, Transport};
use licensing::store::outbox;
use std::sync::Mutex;

static DELIVERING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A transport that records what it was given, or fails as told.
#[derive(Default)]
struct Recorder {
    sent: Mutex<Vec<Outgoing>>,
    failure: Mutex<Option<DeliveryError>>,
}

impl Transport for Recorder {
    async fn send(&self, message: &Outgoing) -> Result<(), DeliveryError> {
        if let Some(error) = self.failure.lock().unwrap().clone() {
            return Err(error);
        }
        self.sent.lock().unwrap().push(message.clone());
        Ok(())
    }
}

impl Recorder {
    /// What was sent for this tenant: on a shared Postgres a round also delivers other tests'
    /// messages, and every world seeds the same customer domain, so only the tenant tells.
    fn sent_for(&self, t: &Tenant) -> Vec<Outgoing> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.message.tenant_id == t.manager.tenant_id)
            .cloned()
            .collect()
    }
}

fn message(t: &Tenant, n: usize) -> Message {
    Message {
        tenant_id: t.manager.tenant_id.clone(),
        kind: MailKind::Invitation,
        to: format!("person{n}@{}.example", t.domain),
        from_name: t.vendor.clone(),
        reply_to: None,
        subject: format!("Invitation {n}"),
        text: format!("Hello {n}"),
        html: format!("<p>Hello {n}</p>"),
    }
}

async fn enqueue(store: &Store, message: &Message) -> String {
    let mut conn = store.pool().acquire().await.unwrap();
    mail::enqueue(&mut conn, message).await.unwrap()
}

async fn row(store: &Store, t: &Tenant, id: &str) -> outbox::MessageRow {
    let mut conn = store.pool().acquire().await.unwrap();
    outbox::get_in_tenant(&mut conn, &t.manager.tenant_id, id)
        .await
        .unwrap()
        .expect("the message")
}

async fn outbox_count(store: &Store, t: &Tenant) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE tenant_id = $1")
        .bind(&t.manager.tenant_id)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// Delivers until no due message is left.
async fn drain(store: &Store, transport: &Recorder, sender: &str) {
    while mail::deliver_due(store, transport, sender)
        .await
        .unwrap()
        .claimed()
        > 0
    {}
}

#[tokio::test]
async fn a_message_is_committed_with_its_change_or_not_at_all() {
    let w = world().await;
    let mut tx = w.store.pool().begin().await.unwrap();
    mail::enqueue(&mut tx, &message(&w.a, 1)).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(outbox_count(&w.store, &w.a).await, 0);

    let mut tx = w.store.pool().begin().await.unwrap();
    mail::enqueue(&mut tx, &message(&w.a, 2)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(outbox_count(&w.store, &w.a).await, 1);
}

#[tokio::test]
async fn a_header_injection_is_refused_and_writes_nothing() {
    let w = world().await;
    let mut bad = message(&w.a, 1);
    bad.subject = "Welcome\r\nBcc: everyone@elsewhere.example".into();
    let mut conn = w.store.pool().acquire().await.unwrap();
    assert!(matches!(
        mail::enqueue(&mut conn, &bad).await,
        Err(AppError::Invalid { .. })
    ));
    drop(conn);
    assert_eq!(outbox_count(&w.store, &w.a).await, 0);
}

/// Four senders on two pools (two server processes) claim at once: every message is sent, and
/// none twice.
#[tokio::test]
async fn each_message_is_sent_once_by_one_of_many_senders() {
    let w = world().await;
    let _one_at_a_time = DELIVERING.lock().await;
    let mut ids = BTreeSet::new();
    for n in 0..40 {
        ids.insert(enqueue(&w.store, &message(&w.a, n)).await);
    }
    let second = Store::connect(&w.url).await.expect("second pool");
    let transport = Recorder::default();
    tokio::join!(
        drain(&w.store, &transport, "a"),
        drain(&w.store, &transport, "b"),
        drain(&second, &transport, "c"),
        drain(&second, &transport, "d"),
    );
    let sent = transport.sent_for(&w.a);
    let sent_ids: Vec<String> = sent.iter().map(|m| m.id.clone()).collect();
    assert_eq!(sent_ids.len(), 40, "each message sent exactly once");
    assert_eq!(sent_ids.into_iter().collect::<BTreeSet<_>>(), ids);
    for id in &ids {
        let r = row(&w.store, &w.a, id).await;
        assert_eq!((r.status.as_str(), r.attempts), ("sent", 1));
        assert!(r.sent_at.is_some());
    }
}

#[tokio::test]
async fn a_transient_failure_is_retried_after_a_backoff_and_a_permanent_one_given_up() {
    let w = world().await;
    let _one_at_a_time = DELIVERING.lock().await;
    let id = enqueue(&w.store, &message(&w.a, 1)).await;
    let transport = Recorder::default();
    *transport.failure.lock().unwrap() = Some(DeliveryError::Transient("421 try later".into()));
    let before = licensing::now_millis();
    drain(&w.store, &transport, "s").await;
    let r = row(&w.store, &w.a, &id).await;
    assert_eq!((r.status.as_str(), r.attempts), ("pending", 1));
    assert_eq!(r.last_error.as_deref(), Some("421 try later"));
    assert!(r.next_attempt_at >= before + mail::backoff_ms(1));

    // Not due yet: the next round leaves it alone, even with the server back.
    *transport.failure.lock().unwrap() = None;
    drain(&w.store, &transport, "s").await;
    assert!(transport.sent_for(&w.a).is_empty());
    sqlx::query("UPDATE outbox SET next_attempt_at = 0 WHERE id = $1")
        .bind(&id)
        .execute(w.store.pool())
        .await
        .unwrap();
    drain(&w.store, &transport, "s").await;
    assert_eq!(transport.sent_for(&w.a).len(), 1);
    assert_eq!(row(&w.store, &w.a, &id).await.status, "sent");

    let refused = enqueue(&w.store, &message(&w.a, 2)).await;
    *transport.failure.lock().unwrap() = Some(DeliveryError::Permanent("550 no such user".into()));
    drain(&w.store, &transport, "s").await;
    let r = row(&w.store, &w.a, &refused).await;
    assert_eq!((r.status.as_str(), r.attempts), ("failed", 1));
    sqlx::query("UPDATE outbox SET next_attempt_at = 0 WHERE id = $1")
        .bind(&refused)
        .execute(w.store.pool())
        .await
        .unwrap();
    *transport.failure.lock().unwrap() = None;
    drain(&w.store, &transport, "s").await;
    assert_eq!(transport.sent_for(&w.a).len(), 1, "never retried");
}

/// A sender that claimed a message and died (kill -9) holds it until its lease ends; then the
/// next sender delivers it, and the dead one's late word changes nothing.
#[tokio::test]
async fn a_message_a_dead_sender_held_is_sent_when_its_lease_ends() {
    let w = world().await;
    let _one_at_a_time = DELIVERING.lock().await;
    let id = enqueue(&w.store, &message(&w.a, 1)).await;
    let now = licensing::now_millis();
    {
        let mut conn = w.store.pool().acquire().await.unwrap();
        let claimed = outbox::claim(
            &mut conn,
            w.store.backend(),
            "dead",
            now,
            now + mail::LEASE_MS,
            1000,
        )
        .await
        .unwrap();
        assert!(claimed.iter().any(|m| m.id == id));
    }
    let transport = Recorder::default();
    drain(&w.store, &transport, "alive").await;
    assert!(transport.sent_for(&w.a).is_empty(), "the lease holds");

    sqlx::query("UPDATE outbox SET claimed_until = $1 WHERE id = $2")
        .bind(now - 1)
        .bind(&id)
        .execute(w.store.pool())
        .await
        .unwrap();
    drain(&w.store, &transport, "alive").await;
    assert_eq!(transport.sent_for(&w.a).len(), 1);
    let mut conn = w.store.pool().acquire().await.unwrap();
    assert!(!outbox::mark_sent(&mut conn, &id, "dead", now)
        .await
        .unwrap());
    drop(conn);
    assert_eq!(row(&w.store, &w.a, &id).await.status, "sent");
}

#[tokio::test]
async fn the_console_lists_a_tenants_messages_to_its_staff_only() {
    let w = world().await;
    // No round may deliver these messages while the test reads their status.
    let _one_at_a_time = DELIVERING.lock().await;
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let mine = enqueue(&w.store, &message(&w.a, 1)).await;
    let theirs = enqueue(&w.store, &message(&b, 1)).await;
    let admin = principal(&w.store, &w.a.company, &admin_email(&w.a.vendor)).await;

    let listed = mail::list_for_tenant(&w.store, &admin, 0).await.unwrap();
    assert_eq!(
        listed.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        [mine.as_str()]
    );
    assert_eq!(listed[0].status, MailStatus::Pending);
    assert_eq!(listed[0].text, "Hello 1");
    assert_eq!(
        mail::get_for_tenant(&w.store, &admin, &theirs).await,
        Err(AppError::not_found(licensing::error::Thing::Message))
    );
    for customer in [&w.a.manager, &w.a.user] {
        assert_eq!(
            mail::list_for_tenant(&w.store, customer, 0).await,
            Err(AppError::Forbidden)
        );
        assert_eq!(
            mail::get_for_tenant(&w.store, customer, &mine).await,
            Err(AppError::Forbidden)
        );
    }
}

/// Email speaks the language its person last chose in the portal, else the tenant's default,
/// which also covers an address without an account.
#[tokio::test]
async fn email_speaks_the_persons_language_else_the_tenants_default() {
    use licensing::i18n::Locale;
    let w = world().await;
    let tenant = w.a.manager.tenant_id.clone();
    let locale = |email: String| {
        let store = w.store.clone();
        let tenant = tenant.clone();
        async move {
            let mut conn = store.pool().acquire().await.unwrap();
            mail::recipient_locale(&mut conn, &tenant, &email)
                .await
                .unwrap()
        }
    };
    assert_eq!(locale(w.a.manager_email()).await, Locale::En);
    mail::remember_language(&w.store, &w.a.manager, Locale::De)
        .await
        .unwrap();
    assert_eq!(locale(w.a.manager_email()).await, Locale::De);
    sqlx::query("UPDATE tenants SET default_language = 'fr' WHERE id = $1")
        .bind(&tenant)
        .execute(w.store.pool())
        .await
        .unwrap();
    assert_eq!(locale(w.a.user_email()).await, Locale::Fr);
    assert_eq!(locale("nobody@acme.example".into()).await, Locale::Fr);
    assert_eq!(
        locale(w.a.manager_email()).await,
        Locale::De,
        "a choice wins"
    );
}
