//! Numbers past their bounds, refused rather than wrapped or stored.

use super::*;

#[tokio::test]
async fn numbers_past_their_bounds_are_refused_not_wrapped() {
    let w = world().await;
    let admin = licensing::demo::admin_email(&w.company);
    let (customer_id, owner_id) = customer_and_owner(&w).await;
    let limits = || async {
        sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT subscriptions, max_users, max_activations FROM licenses WHERE id = $1",
        )
        .bind(&w.license_id)
        .fetch_one(w.store.pool())
        .await
        .unwrap()
    };
    let before = limits().await;

    // 2^62 subscriptions of 4 seats wrapped to 0 seats; the product is the demo license's, so a
    // sale would raise it.
    let product: String = sqlx::query_scalar("SELECT product FROM licenses WHERE id = $1")
        .bind(&w.license_id)
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    let sale = |subscriptions: &'static str, seats: &'static str| {
        vec![
            ("customer_id", customer_id.clone()),
            ("product", product.clone()),
            ("license_type", "organisation".to_owned()),
            ("owner_account_id", owner_id.clone()),
            ("terms[subscriptions]", subscriptions.to_owned()),
            ("terms[seats_per_subscription]", seats.to_owned()),
            ("terms[devices_per_subscription]", "1".to_owned()),
            ("terms[deactivations]", "1".to_owned()),
            ("terms[valid_days]", "30".to_owned()),
        ]
    };
    for (form, field) in [
        (sale("4611686018427387904", "4"), "Subscriptions"),
        (sale("1", "9223372036854775807"), "Seats"),
        // Each within its bound, the product past the seats'.
        (sale("100000", "1000"), "Seats"),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, error) = call(&w, Some(&admin), "admin_sell", &form).await;
        assert_eq!(status, 422, "{error}");
        assert_eq!(error["invalid"]["field"], field, "{error}");
    }

    for count in ["9223372036854775807", "100001", "0"] {
        let (status, error) = call(
            &w,
            Some(&admin),
            "admin_add_subscriptions",
            &[("license_id", &w.license_id), ("count", count)],
        )
        .await;
        assert_eq!(status, 422, "{count}: {error}");
        assert_eq!(
            error["invalid"]["field"], "Subscriptions",
            "{count}: {error}"
        );
    }

    let (status, error) = call(
        &w,
        Some(&admin),
        "admin_update_limits",
        &[
            ("license_id", &w.license_id),
            ("max_users", "5"),
            ("max_activations", "9223372036854775807"),
            ("max_deactivations", "3"),
            ("valid_until", "2030-01-01"),
        ],
    )
    .await;
    assert_eq!(
        (status, &error["invalid"]["field"]),
        (422, &json!("Devices")),
        "{error}"
    );
    assert_eq!(limits().await, before);
    w.assert_alive().await;
}
