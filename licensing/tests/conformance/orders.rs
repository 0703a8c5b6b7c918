//! Management API orders whose first request died: a claim left behind is taken over once it
//! expires, an order sold before its process died is answered, never sold again.

use super::*;
use licensing::mail::Portal;
use licensing::manage::{self, api, Placed};

fn order(order_id: &str) -> api::Order {
    api::Order {
        order_id: order_id.into(),
        customer: api::OrderCustomer {
            external_id: "shop-customer-1".into(),
            name: "Initech".into(),
        },
        owner: api::OrderOwner {
            email: "peter@initech.example".into(),
            name: "Peter".into(),
        },
        product: "CodeGlass".into(),
        license_type: LicenseType::Organisation,
        subscriptions: 1,
        seats_per_subscription: 2,
        devices_per_subscription: 2,
        deactivations: 3,
        valid_days: 30,
    }
}

async fn leave_claim(store: &Store, tenant_id: &str, order: &api::Order, until: i64) {
    let hash = licensing::secret::hash(&serde_json::to_string(order).unwrap());
    sqlx::query(
        "INSERT INTO orders (tenant_id, order_id, request_hash, claim_token, claimed_until, \
                             created_at) VALUES ($1, $2, $3, 'dead', $4, 0)",
    )
    .bind(tenant_id)
    .bind(&order.order_id)
    .bind(hash)
    .bind(until)
    .execute(store.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn an_order_whose_process_died_is_finished_by_its_retry_once() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let vendor = as_actor(&vendor_admin(store, a, "shop@codeglass.example").await);
    let portal = Portal::new("http://keyport.test");
    let tenant = &a.manager.tenant_id;
    let licenses_of_initech = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COALESCE(SUM(l.subscriptions), 0) AS BIGINT) FROM licenses l \
             JOIN customers c ON c.id = l.customer_id \
             WHERE c.external_id = 'shop-customer-1' AND c.tenant_id = $1",
        )
        .bind(tenant)
        .fetch_one(store.pool())
        .await
        .unwrap()
    };

    // A claim that expired (its process died before selling): the retry takes it over and sells.
    let first = order("dead-1");
    leave_claim(store, tenant, &first, licensing::now_millis() - 1).await;
    let (placed, answer) = manage::place_order(store, &vendor, &first, &portal)
        .await
        .expect("the retry sells");
    assert_eq!(placed, Placed::New);
    assert!(answer.license_created && answer.license_key.is_some());
    assert_eq!(licenses_of_initech().await, 1);
    // Its process then died before answering: the next retry gets the answer, nothing is sold.
    let (placed, again) = manage::place_order(store, &vendor, &first, &portal)
        .await
        .unwrap();
    assert_eq!(placed, Placed::Repeat);
    assert_eq!(again.license_id, answer.license_id);
    assert_eq!(again.license_key, None);
    assert_eq!(licenses_of_initech().await, 1);

    // A live claim (its holder still selling) is waited for, then refused as in progress rather
    // than sold a second time. The wait is the service's (20 s): checked here with the claim
    // expiring first, which lets the waiting retry take over.
    let second = order("live-1");
    leave_claim(store, tenant, &second, licensing::now_millis() + 300).await;
    let (placed, raised) = manage::place_order(store, &vendor, &second, &portal)
        .await
        .unwrap();
    assert_eq!(placed, Placed::New);
    assert!(!raised.license_created);
    assert_eq!(licenses_of_initech().await, 2);

    // The vendor of another tenant has its own order ids.
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let other = as_actor(&vendor_admin(store, &b, "shop@othersoft.example").await);
    let (placed, theirs) = manage::place_order(store, &other, &first, &portal)
        .await
        .unwrap();
    assert_eq!(placed, Placed::New);
    assert_ne!(theirs.license_id, answer.license_id);
    // Customers and portal users are not vendor staff.
    assert_eq!(
        manage::place_order(store, &as_actor(&a.manager), &order("m-1"), &portal).await,
        Err(AppError::Forbidden)
    );
}
