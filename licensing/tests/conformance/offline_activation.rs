//! Offline activation.

use super::*;

/// Initech, a second customer of tenant `a`, with an Offline Organisation license for
/// `max_activations` devices and its license key; its owner (`offline@initech.example`) manages
/// it and `olaf@initech.example` is its license user.
struct OfflineLicense {
    license_id: String,
    key: String,
    manager: Principal,
    user: Principal,
}

async fn offline_license(store: &Store, t: &Tenant, max_activations: i64) -> OfflineLicense {
    let tenant_id = &t.manager.tenant_id;
    let customer = tenants::create_customer(store, tenant_id, "Initech")
        .await
        .expect("create customer");
    let owner = new_customer_account(store, tenant_id, &customer, "offline@initech.example").await;
    let other = new_customer_account(store, tenant_id, &customer, "olaf@initech.example").await;
    let now = licensing::now_millis();
    let license_id = licenses::create(
        store,
        &licenses::NewLicense {
            tenant_id: tenant_id.clone(),
            customer_id: customer,
            product: "CodeGlass".into(),
            license_type: LicenseType::OfflineOrganisation,
            subscriptions: 1,
            seats_per_subscription: 5,
            max_activations,
            max_deactivations: 3,
            valid_from: now,
            valid_until: now + 30 * 24 * 60 * 60 * 1000,
            owner_account_id: owner,
        },
        None,
    )
    .await
    .expect("create offline license");
    let key = licenses::issue_key(store, &license_id)
        .await
        .expect("issue key");
    let manager = principal(store, &t.company, "offline@initech.example").await;
    users::assign(store, &as_actor(&manager), &license_id, &other)
        .await
        .expect("assign a license user");
    let user = principal(store, &t.company, "olaf@initech.example").await;
    OfflineLicense {
        license_id,
        key,
        manager,
        user,
    }
}

/// An activation request file as the desktop app writes it.
fn offline_request(license_key: &str, hardware_id: &str, device_name: &str) -> Vec<u8> {
    serde_json::to_vec_pretty(&serde_json::json!({
        "format": "keyport-offline-request/1",
        "license_key": license_key,
        "hardware_id": hardware_id,
        "device_name": device_name,
        "os": "Windows 11",
    }))
    .unwrap()
}

/// Verifies a downloaded license file the way an offline app does, with nothing but the tenant's
/// public key (base64 of the 32 raw bytes, as `/api/v1/public-key` serves it); returns the payload.
fn verify_license_file(
    file_bytes: &[u8],
    public_key_b64: &str,
) -> Result<serde_json::Value, String> {
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine;
    use ed25519_dalek::{Signature, VerifyingKey};

    let file: serde_json::Value = serde_json::from_slice(file_bytes).map_err(|e| e.to_string())?;
    if file["format"] != "keyport-offline-license/1" {
        return Err(format!("format {}", file["format"]));
    }
    let field = |name: &str| {
        file[name]
            .as_str()
            .ok_or_else(|| format!("no {name}"))
            .and_then(|v| BASE64.decode(v).map_err(|e| e.to_string()))
    };
    let payload = field("payload")?;
    let signature = Signature::from_slice(&field("signature")?).map_err(|e| e.to_string())?;
    let raw: [u8; 32] = BASE64
        .decode(public_key_b64)
        .map_err(|e| e.to_string())?
        .try_into()
        .map_err(|_| "public key is not 32 bytes".to_owned())?;
    VerifyingKey::from_bytes(&raw)
        .map_err(|e| e.to_string())?
        .verify_strict(&payload, &signature)
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&payload).map_err(|e| e.to_string())
}

/// Everything a refused offline activation must leave as it was: the license, its devices and
/// the tenant's audit log.
async fn offline_state(store: &Store, o: &OfflineLicense) -> ((License, Vec<Device>), i64) {
    (
        snapshot(store, &o.manager, &o.license_id).await,
        tenant_audit_count(store, &o.manager.tenant_id).await,
    )
}

#[tokio::test]
async fn offline_activation_issues_a_license_file_verified_with_the_public_key() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let o = offline_license(store, a, 3).await;
    let lic = &o.license_id;
    let license = licenses::get(store, &o.manager, lic).await.unwrap();
    assert_eq!(license.license_type, LicenseType::OfflineOrganisation);
    assert_eq!(license.devices_active, 0);

    let before = licensing::now_millis();
    let issued = offline::activate(
        store,
        &o.manager,
        lic,
        &offline_request(&o.key, "HW-OFFLINE-1", "Lab PC"),
        IP,
    )
    .await
    .expect("offline activation");
    assert!(issued.created);
    assert_eq!(
        issued.license.file_name(),
        "keyport-license-HW-OFFLINE-1.json"
    );

    // The file as downloaded, verified with only the public key the API serves for the company.
    let (_, public) = licensing::signing::public_key_for_company(store, &a.company.to_uppercase())
        .await
        .expect("public key");
    assert_eq!(issued.file.key_id, public.key_id);
    let downloaded = serde_json::to_vec_pretty(&issued.file).unwrap();
    let payload = verify_license_file(&downloaded, &public.public_key).expect("signature verifies");
    assert_eq!(payload["company"], a.company.to_lowercase());
    assert_eq!(payload["license_id"], lic.as_str());
    assert_eq!(payload["product"], "CodeGlass");
    assert_eq!(payload["license_type"], "offline_organisation");
    assert_eq!(payload["hardware_id"], "HW-OFFLINE-1");
    assert_eq!(payload["device_name"], "Lab PC");
    assert_eq!(payload["valid_until"], license.valid_until);
    let issued_at = payload["issued_at"].as_i64().expect("issued_at");
    assert!(issued_at >= before && issued_at <= licensing::now_millis());
    assert_eq!(
        serde_json::from_value::<offline::OfflineLicense>(payload.clone()).unwrap(),
        issued.license
    );

    // It took one slot, shown on the Devices tab as the manager's, audited once.
    let (l, list) = snapshot(store, &o.manager, lic).await;
    assert_eq!(l.devices_active, 1);
    let device = named(&list, "Lab PC");
    assert_eq!(payload["device_id"], device.id.as_str());
    assert_eq!(device.os, "Windows 11");
    assert_eq!(device.activated_by.as_deref(), Some("Extra Person"));
    assert_eq!(audit_count(store, lic, "device.activated_offline").await, 1);
    assert_eq!(audit_count(store, lic, "device.activated").await, 0);
    let log = audit::list_for_license(store, &o.manager, lic, 1)
        .await
        .unwrap();
    let entry = log
        .entries
        .iter()
        .find(|e| e.action == AuditAction::DeviceActivatedOffline)
        .expect("logged");
    assert_eq!(entry.subject, device_subject("Lab PC"));
    assert_eq!(entry.actor.as_deref(), Some("Extra Person"));
    assert_eq!(entry.ip.as_deref(), Some(IP));

    // A changed payload, or another tenant's key, does not verify.
    let mut forged: serde_json::Value = serde_json::from_slice(&downloaded).unwrap();
    let longer = {
        use base64::Engine;
        let engine = base64::engine::general_purpose::STANDARD;
        let mut p: serde_json::Value =
            serde_json::from_slice(&engine.decode(forged["payload"].as_str().unwrap()).unwrap())
                .unwrap();
        p["valid_until"] = serde_json::json!(license.valid_until + 365 * 24 * 60 * 60 * 1000);
        engine.encode(serde_json::to_vec(&p).unwrap())
    };
    forged["payload"] = longer.into();
    assert!(
        verify_license_file(&serde_json::to_vec(&forged).unwrap(), &public.public_key).is_err()
    );
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let (_, foreign_key) = licensing::signing::public_key_for_company(store, &b.company)
        .await
        .unwrap();
    assert!(verify_license_file(&downloaded, &foreign_key.public_key).is_err());

    // The same machine again (spaces around its id are not another machine) takes no new slot:
    // a fresh file for the same device, audited as a re-issue.
    let again = offline::activate(
        store,
        &o.manager,
        lic,
        &offline_request(&o.key.to_lowercase(), "  HW-OFFLINE-1 ", "Lab PC renamed"),
        IP,
    )
    .await
    .expect("the same machine again");
    assert!(!again.created);
    assert_eq!(again.license.device_id, issued.license.device_id);
    assert_eq!(again.license.hardware_id, "HW-OFFLINE-1");
    assert_eq!(again.license.device_name, "Lab PC");
    let payload = verify_license_file(
        &serde_json::to_vec(&again.file).unwrap(),
        &public.public_key,
    )
    .expect("the new file verifies");
    assert_eq!(payload["device_id"], device.id.as_str());
    assert_eq!(snapshot(store, &o.manager, lic).await.0.devices_active, 1);
    assert_eq!(audit_count(store, lic, "device.activated_offline").await, 1);
    assert_eq!(
        audit_count(store, lic, "device.reactivated_offline").await,
        1
    );

    // A vendor admin of the tenant acts as a manager.
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let by_vendor = offline::activate(
        store,
        &support,
        lic,
        &offline_request(&o.key, "HW-OFFLINE-2", "Lab PC 2"),
        IP,
    )
    .await
    .expect("a vendor admin activates offline");
    assert!(by_vendor.created);
    assert_eq!(snapshot(store, &o.manager, lic).await.0.devices_active, 2);
}

#[tokio::test]
async fn offline_activation_refusals_change_nothing() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let o = offline_license(store, a, 2).await;
    let lic = &o.license_id;
    let acme_key = licenses::issue_key(store, &a.license_id).await.unwrap();
    let ok = |hw: &str| offline_request(&o.key, hw, &format!("Device {hw}"));

    offline::activate(store, &o.manager, lic, &ok("hw-1"), IP)
        .await
        .expect("first machine");
    let state = offline_state(store, &o).await;
    let acme_state = (
        snapshot(store, &a.manager, &a.license_id).await,
        tenant_audit_count(store, &a.manager.tenant_id).await,
    );

    // A license user of the license may not; a manager of another customer's license, or of
    // another tenant, does not see it.
    assert_eq!(
        offline::activate(store, &o.user, lic, &ok("hw-2"), IP).await,
        Err(AppError::Forbidden)
    );
    for outsider in [&a.manager, &a.user, &b.manager] {
        assert_eq!(
            offline::activate(store, outsider, lic, &ok("hw-2"), IP).await,
            Err(AppError::not_found(Thing::License)),
            "{}",
            outsider.email
        );
    }
    assert_eq!(offline_state(store, &o).await, state);

    // An Organisation license is activated online, not with files.
    let refused = offline::activate(
        store,
        &a.manager,
        &a.license_id,
        &offline_request(&acme_key, "hw-2", "Acme PC"),
        IP,
    )
    .await;
    assert_eq!(
        refused,
        Err(AppError::conflict(ConflictReason::OfflineOnly {
            license_type: LicenseType::Organisation
        }))
    );
    assert_eq!(refused.unwrap_err().http_status(), 409);
    assert_eq!(
        (
            snapshot(store, &a.manager, &a.license_id).await,
            tenant_audit_count(store, &a.manager.tenant_id).await,
        ),
        acme_state
    );

    // A request made with another license's key, an unknown key or none.
    let another = AppError::invalid(Field::LicenseKey, InvalidReason::OtherLicense);
    for key in [acme_key.as_str(), "KP-NOT-A-KEY", "  "] {
        let expected = if key.trim().is_empty() {
            AppError::invalid(Field::LicenseKey, InvalidReason::Required)
        } else {
            another.clone()
        };
        assert_eq!(
            offline::activate(
                store,
                &o.manager,
                lic,
                &offline_request(key, "hw-2", "X"),
                IP
            )
            .await,
            Err(expected),
            "{key}"
        );
    }

    // Files that are not a request of this format, or whose machine is described wrongly.
    let long_id = "h".repeat(257);
    let huge = format!(
        "{{\"format\":\"keyport-offline-request/1\",\"license_key\":\"{}\",\"hardware_id\":\"hw-2\",\"device_name\":\"{}\",\"os\":\"x\"}}",
        o.key,
        "n".repeat(17 * 1024)
    );
    let bad: Vec<(Vec<u8>, &str)> = vec![
        (b"{not json".to_vec(), "Activation request"),
        (b"".to_vec(), "Activation request"),
        (b"[1, 2]".to_vec(), "Activation request"),
        (huge.into_bytes(), "Activation request"),
        (
            serde_json::to_vec(&serde_json::json!({
                "format": "keyport-offline-request/1", "license_key": o.key, "hardware_id": "hw-2",
                "device_name": "X", "os": "x", "password": "secret"
            }))
            .unwrap(),
            "Activation request",
        ),
        (
            serde_json::to_vec(&serde_json::json!({
                "format": "keyport-offline-request/1", "license_key": o.key, "hardware_id": "hw-2",
                "device_name": "X"
            }))
            .unwrap(),
            "Activation request",
        ),
        (
            serde_json::to_vec(&serde_json::json!({
                "format": "keyport-offline-request/2", "license_key": o.key, "hardware_id": "hw-2",
                "device_name": "X", "os": "x"
            }))
            .unwrap(),
            "format",
        ),
        (offline_request(&o.key, &long_id, "X"), "hardware_id"),
        (offline_request(&o.key, "hw-2", " "), "device_name"),
    ];
    for (body, field) in &bad {
        match offline::activate(store, &o.manager, lic, body, IP).await {
            Err(AppError::Invalid { field: got, .. }) if got.name() == *field => {}
            other => panic!(
                "{:?}: expected Invalid on {field}, got {other:?}",
                String::from_utf8_lossy(&body[..body.len().min(80)])
            ),
        }
    }
    assert_eq!(offline_state(store, &o).await, state);

    // A full license refuses a new machine (only the refusal is logged) and still re-issues the
    // file of a machine already active.
    offline::activate(store, &o.manager, lic, &ok("hw-2"), IP)
        .await
        .expect("second machine fills the license");
    let full = offline_state(store, &o).await;
    assert_eq!(
        (full.0 .0.devices_active, full.0 .0.max_activations),
        (2, 2)
    );
    assert_eq!(
        offline::activate(store, &o.manager, lic, &ok("hw-3"), IP).await,
        Err(AppError::TooManyDevices { allowed: 2 })
    );
    assert_eq!(snapshot(store, &o.manager, lic).await, full.0);
    assert_eq!(audit_count(store, lic, "device.limit_refused").await, 1);
    assert_eq!(
        tenant_audit_count(store, &o.manager.tenant_id).await,
        full.1 + 1
    );
    let again = offline::activate(store, &o.manager, lic, &ok("hw-2"), IP)
        .await
        .expect("re-issue on a full license");
    assert!(!again.created);
    // Only the machine's "last seen" moves: it just sent a request.
    let after = snapshot(store, &o.manager, lic).await;
    assert_eq!(after.0, full.0 .0);
    assert_eq!(
        after.1.iter().map(|d| &d.id).collect::<Vec<_>>(),
        full.0 .1.iter().map(|d| &d.id).collect::<Vec<_>>()
    );

    // A suspended license makes no file.
    sqlx::query("UPDATE licenses SET status = 'suspended' WHERE id = $1")
        .bind(lic)
        .execute(store.pool())
        .await
        .unwrap();
    let suspended = offline_state(store, &o).await;
    assert_eq!(
        offline::activate(store, &o.manager, lic, &ok("hw-1"), IP).await,
        Err(AppError::LicenseInactive)
    );
    assert_eq!(offline_state(store, &o).await, suspended);
}

#[tokio::test]
async fn vendor_staff_manage_their_own_customers() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let other_support = vendor_admin(store, &b, "support@othersoft.example").await;
    let acme = a.manager.customer_id.clone().unwrap();
    let audit = tenant_audit_count(store, &a.manager.tenant_id).await;

    // Customers' people and bad input are refused; nothing changes.
    assert_eq!(
        customers::list(store, &a.manager, None).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        customers::create(store, &as_actor(&a.manager), "Initech").await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        customers::create(store, &as_actor(&support), "  ").await,
        Err(AppError::Invalid { ref field, .. }) if field.name() == "Name"
    ));
    assert_eq!(
        customers::get(store, &other_support, &acme).await,
        Err(AppError::not_found(Thing::Customer))
    );
    assert_eq!(
        customers::rename(store, &as_actor(&other_support), &acme, "Mine now").await,
        Err(AppError::not_found(Thing::Customer))
    );
    assert_eq!(tenant_audit_count(store, &a.manager.tenant_id).await, audit);

    let initech = customers::create(store, &as_actor(&support), " Initech ")
        .await
        .unwrap();
    let all = customers::list(store, &support, None).await.unwrap();
    let names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Acme Corp", "Initech"]);
    let acme_row = &all[0];
    assert_eq!((acme_row.licenses, acme_row.accounts), (1, 2));
    let found = customers::list(store, &support, Some("INIT"))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, initech);
    // Another vendor sees only its own customers.
    let theirs = customers::list(store, &other_support, None).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].name, "Globex Ltd");

    customers::rename(store, &as_actor(&support), &acme, "Acme Inc")
        .await
        .unwrap();
    let detail = customers::get(store, &support, &acme).await.unwrap();
    assert_eq!(detail.name, "Acme Inc");
    assert_eq!(detail.licenses.len(), 1);
    assert_eq!(detail.licenses[0].license.id, a.license_id);
    let seats: Vec<(String, Vec<customers::Seat>)> = detail
        .accounts
        .iter()
        .map(|acc| (acc.email.clone(), acc.seats.clone()))
        .collect();
    assert_eq!(
        seats,
        [
            (
                a.manager_email(),
                vec![customers::Seat {
                    role: LicenseRole::Manager,
                    product: "CodeGlass".into()
                }]
            ),
            (
                a.user_email(),
                vec![customers::Seat {
                    role: LicenseRole::User,
                    product: "CodeGlass".into()
                }]
            ),
        ]
    );
    assert_eq!(
        tenant_audit_count(store, &a.manager.tenant_id).await,
        audit + 2,
        "customer.created and customer.renamed"
    );
}

#[tokio::test]
async fn the_tenant_log_narrows_by_customer_license_actor_kind_and_time() {
    let w = world().await;
    let (store, a) = (&w.store, &w.a);
    let b = w.add_tenant("OtherSoft", "Globex Ltd", "globex").await;
    let support = vendor_admin(store, a, "support@codeglass.example").await;
    let (_, devices) = snapshot(store, &a.manager, &a.license_id).await;
    devices::reset(store, &as_actor(&a.manager), &devices[0].id)
        .await
        .unwrap();
    licenses::reset_deactivation_limit(store, &as_actor(&support), &a.license_id, "goodwill")
        .await
        .unwrap();
    devices::reset(
        store,
        &as_actor(&b.manager),
        &snapshot(store, &b.manager, &b.license_id).await.1[0].id,
    )
    .await
    .unwrap();
    let list = |filter: AuditFilter| {
        let (store, support) = (store.clone(), support.clone());
        async move {
            audit::list_for_tenant(&store, &support, &filter, 1)
                .await
                .unwrap()
                .entries
        }
    };

    let everything = list(AuditFilter::default()).await;
    assert!(everything.iter().all(|e| e.subject
        != AuditSubject::Customer {
            name: "Globex Ltd".into()
        }));
    assert_eq!(
        everything
            .iter()
            .filter(|e| e.action == AuditAction::DeviceReset)
            .count(),
        1,
        "the other tenant's reset is not in this log"
    );
    let resets = list(AuditFilter {
        kind: Some("device".into()),
        actor: Some("MORGAN".into()),
        ..Default::default()
    })
    .await;
    assert!(!resets.is_empty());
    assert!(resets
        .iter()
        .all(|e| e.action.kind() == AuditKind::Device
            && e.actor.as_deref() == Some("Morgan Manager")));
    assert!(resets.iter().any(|e| e.action == AuditAction::DeviceReset
        && e.license.as_deref() == Some("Acme Corp · CodeGlass")));
    let lifted = list(AuditFilter {
        license_id: Some(a.license_id.clone()),
        customer_id: a.manager.customer_id.clone(),
        actor: Some("vendor support".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(lifted.len(), 1);
    assert_eq!(lifted[0].action, AuditAction::LicenseDeactivationLimitReset);
    let future = licensing::now_millis() + 60_000;
    assert!(list(AuditFilter {
        from: Some(future),
        ..Default::default()
    })
    .await
    .is_empty());
    assert_eq!(
        list(AuditFilter {
            until: Some(future),
            ..Default::default()
        })
        .await
        .len(),
        everything.len()
    );
    assert!(matches!(
        audit::list_for_tenant(
            store,
            &support,
            &AuditFilter {
                kind: Some("nope".into()),
                ..Default::default()
            },
            1
        )
        .await,
        Err(AppError::Invalid { .. })
    ));
    assert_eq!(
        audit::list_for_tenant(store, &a.manager, &AuditFilter::default(), 1).await,
        Err(AppError::Forbidden)
    );
}
