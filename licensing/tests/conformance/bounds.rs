//! Bounds of every number a sale, a limit change or a purchase takes.

use super::*;

fn invalid_field<T: std::fmt::Debug>(result: Result<T, AppError>) -> String {
    match result {
        Err(AppError::Invalid { field, .. }) => field.name().to_owned(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn numbers_past_their_bounds_are_refused_and_change_nothing() {
    use licensing::input::{MAX_DEVICES, MAX_SEATS, MAX_SUBSCRIPTIONS, MAX_VALID_DAYS};
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let lic = &a.license_id;
    let before = snapshot(store, &a.manager, lic).await;
    let audit = tenant_audit_count(store, &a.manager.tenant_id).await;

    // A sale raising the demo license (same customer and product), and a new product.
    let sale =
        |product: &str, subscriptions: i64, seats: i64, devices: i64, days: i64| licenses::Sale {
            customer_id: a.manager.customer_id.clone().expect("a customer's manager"),
            product: product.into(),
            license_type: LicenseType::Organisation,
            subscriptions,
            seats_per_subscription: seats,
            devices_per_subscription: devices,
            max_deactivations: 3,
            valid_days: days,
            owner_account_id: a.manager.account_id.clone(),
        };
    for (sale, field) in [
        // 2^62 × 4 seats wrapped to 0 seats.
        (sale("CodeGlass", 1 << 62, 4, 1, 30), "Subscriptions"),
        (
            sale("CodeGlass", i64::MAX, i64::MAX, i64::MAX, 30),
            "Subscriptions",
        ),
        (sale("CodeGlass", 2, i64::MAX, 1, 30), "Seats"),
        (sale("CodeGlass", 2, 1, i64::MAX, 30), "Devices"),
        (sale("CodeGlass", 1, 1, 1, i64::MAX), "Valid for"),
        (sale("CodeGlass", 1, 1, 1, MAX_VALID_DAYS + 1), "Valid for"),
        // Each factor within its bound, their product past the total's.
        (sale("CodeGlass", MAX_SUBSCRIPTIONS, 1000, 1, 30), "Seats"),
        (
            sale("New product", MAX_SUBSCRIPTIONS, 1, 1000, 30),
            "Devices",
        ),
    ] {
        let what = format!("{sale:?}");
        assert_eq!(
            invalid_field(licenses::sell(store, &support, &sale, &portal()).await),
            field,
            "{what}"
        );
    }

    // add_subscriptions: the count, and the totals it would reach.
    for count in [i64::MAX, MAX_SUBSCRIPTIONS + 1, 0, -1] {
        assert_eq!(
            invalid_field(licenses::add_subscriptions(store, lic, count, None).await),
            "Subscriptions",
            "{count}"
        );
    }
    // The demo license has one subscription (5 seats, 10 devices each): these reach the totals.
    assert_eq!(
        invalid_field(licenses::add_subscriptions(store, lic, MAX_SUBSCRIPTIONS, None).await),
        "Subscriptions"
    );
    assert_eq!(
        invalid_field(licenses::add_subscriptions(store, lic, MAX_SEATS / 5, None).await),
        "Subscriptions"
    );
    assert_eq!(
        invalid_field(
            licenses::sell_subscriptions(store, &support, lic, i64::MAX, &portal()).await
        ),
        "Subscriptions"
    );

    // A purchase raising the license with a huge order.
    let order = licenses::NewLicense {
        tenant_id: a.manager.tenant_id.clone(),
        customer_id: a.manager.customer_id.clone().unwrap(),
        product: "CodeGlass".into(),
        license_type: LicenseType::Organisation,
        subscriptions: 1 << 62,
        seats_per_subscription: 4,
        max_activations: 1,
        max_deactivations: 1,
        valid_from: before.0.valid_from,
        valid_until: before.0.valid_until,
        owner_account_id: a.manager.account_id.clone(),
    };
    assert_eq!(
        invalid_field(licenses::purchase(store, &order, None).await),
        "Subscriptions"
    );

    // update_limits: each limit, and a validity end further than the bound.
    let until = before.0.valid_until;
    let too_late = until + (MAX_VALID_DAYS + 1) * 24 * 60 * 60 * 1000;
    for (bad, field) in [
        (limits(MAX_SEATS + 1, 10, 3, until), "Seats"),
        (limits(i64::MAX, 10, 3, until), "Seats"),
        (limits(5, MAX_DEVICES + 1, 3, until), "Devices"),
        (limits(5, 10, i64::MAX, until), "Deactivations"),
        (limits(5, 10, 3, too_late), "Valid until"),
    ] {
        let what = format!("{bad:?}");
        assert_eq!(
            invalid_field(licenses::update_limits(store, &as_actor(&support), lic, &bad).await),
            field,
            "{what}"
        );
    }

    assert_eq!(snapshot(store, &a.manager, lic).await, before);
    assert_eq!(tenant_audit_count(store, &a.manager.tenant_id).await, audit);
    assert_eq!(licenses::list(store, &a.manager).await.unwrap().len(), 1);

    // At the bounds is fine: a license of exactly the most seats and devices.
    licenses::update_limits(
        store,
        &as_actor(&support),
        lic,
        &limits(MAX_SEATS, MAX_DEVICES, 3, until),
    )
    .await
    .expect("limits at their bounds");
}
