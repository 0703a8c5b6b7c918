//! The license object of the LicenseSpring-compatible API (contract section 6): what activation,
//! check and offline answers carry, built from a Keyport license for one device.
//!
//! The SDK copies every field it knows into its local license file and raises `AttributeError`
//! from a getter whose field never arrived, so every field of the contract's table is sent, with
//! neutral values for what Keyport does not have (trials, grace, features). Its dates are UTC as
//! `YYYY-MM-DDTHH:MM:SS.fffZ`: the SDK strips the `Z` and hands the rest to
//! `datetime.fromisoformat`, which reads this form on every Python an app may run on.

use serde::Serialize;
use serde_json::{Map, Value};
use time::macros::format_description;
use time::OffsetDateTime;

use crate::licenses::{License, LicenseStatus};
use crate::Millis;

/// `9999-12-31T23:59:59.999Z`: Python's `datetime` has no later instant, so later ones are sent
/// as this rather than as a date the SDK cannot read.
const LATEST_MILLIS: Millis = 253_402_300_799_999;

/// The contract's date form, e.g. `2030-01-01T00:00:00.000Z`.
pub fn format_date(at: Millis) -> String {
    let at = at.clamp(0, LATEST_MILLIS);
    let when = OffsetDateTime::from_unix_timestamp_nanos(i128::from(at) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    when.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    .unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".to_owned())
}

/// The SDK's integer `id` for a Keyport id (a UUID v4): 52 of its random bits (the first 13 hex
/// digits but the version digit, which is always `4`), so it stays exact in any JSON reader (a
/// double holds 53). The SDK only echoes it back as `license_id`; Keyport finds the license by
/// key or user, and may check the echo against this.
pub fn numeric_id(id: &str) -> i64 {
    let hex: String = id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .enumerate()
        .filter(|(i, _)| *i != 12)
        .map(|(_, c)| c)
        .take(13)
        .collect();
    i64::from_str_radix(&hex, 16).unwrap_or_default()
}

/// A Keyport id for a license whose LicenseSpring id an app may have cached: a random UUID v4
/// whose first 52 random bits are that id, so the LicenseSpring-compatible API answers it as the
/// license's `id` (`licensespring::numeric_id`) without a second id to look up on every call.
pub fn id_answering_as(external_id: i64) -> String {
    let digits = format!("{external_id:013x}");
    let random: String = crate::store::new_id()
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect();
    // Hex digit 12 is the version (`4`); the variant (digit 16) and the rest stay random.
    let hex = format!("{}4{}{}", &digits[..12], &digits[12..], &random[14..]);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The person a user-based license was activated by (the SDK sends `user.email` as `username`
/// on every later call).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicenseUser<'a> {
    pub account_id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
}

/// What one answer says about a license: the license as stored, and the request it answers.
#[derive(Debug, Clone, Copy)]
pub struct LicenseFor<'a> {
    pub license: &'a License,
    /// The product's short code, which keys the SDK's local license file.
    pub short_code: &'a str,
    /// The key the request named: Keyport keeps only its hash, so it is echoed, never read back.
    /// `None` for a user-based license.
    pub license_key: Option<&'a str>,
    pub user: Option<LicenseUser<'a>>,
    /// The request's hardware id; the SDK's offline check wants its own back.
    pub hardware_id: &'a str,
}

#[derive(Debug, Clone, Serialize)]
struct ProductDetails<'a> {
    short_code: &'a str,
    product_name: &'a str,
    prevent_vm: bool,
}

#[derive(Debug, Clone, Serialize)]
struct User<'a> {
    id: i64,
    email: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    is_initial_password: bool,
}

#[derive(Debug, Clone, Serialize)]
struct Customer<'a> {
    company_name: &'a str,
}

/// The license object, fields in the contract's order (serde keeps a struct's order).
#[derive(Debug, Clone, Serialize)]
pub struct LicenseObject<'a> {
    id: i64,
    license_key: Option<&'a str>,
    hardware_id: &'a str,
    license_type: &'static str,
    license_active: bool,
    license_enabled: bool,
    is_expired: bool,
    start_date: String,
    validity_period: Option<String>,
    max_activations: i64,
    times_activated: i64,
    allow_unlimited_activations: bool,
    transfer_count: i64,
    max_transfers: i64,
    is_trial: bool,
    trial_days: i64,
    maintenance_period: Option<String>,
    allow_grace_period: bool,
    grace_period: i64,
    is_floating: bool,
    is_floating_cloud: bool,
    prevent_vm: bool,
    product_details: ProductDetails<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<User<'a>>,
    customer: Customer<'a>,
    company: Option<()>,
    metadata: Map<String, Value>,
    custom_fields: Vec<Value>,
    product_features: Vec<Value>,
}

impl<'a> LicenseFor<'a> {
    pub fn object(&self) -> LicenseObject<'a> {
        let license = self.license;
        LicenseObject {
            id: numeric_id(&license.id),
            license_key: self.license_key,
            hardware_id: self.hardware_id,
            // Every Keyport license is a subscription with an end date (`licenses::LicenseType`).
            license_type: "subscription",
            // A suspended license is "not active" to the SDK (`license_not_active`); an expired
            // one is active but `is_expired` (`license_expired`).
            license_active: license.status != LicenseStatus::Suspended,
            license_enabled: true,
            is_expired: license.status == LicenseStatus::Expired,
            start_date: format_date(license.valid_from),
            validity_period: Some(format_date(license.valid_until)),
            max_activations: license.max_activations,
            // Devices active now, which is what the SDK takes it to mean (it decrements its copy
            // on deactivation).
            times_activated: license.devices_active,
            allow_unlimited_activations: false,
            // A deactivation frees a slot for another machine: LicenseSpring's transfer.
            transfer_count: license.deactivations_used,
            max_transfers: license.max_deactivations,
            is_trial: false,
            trial_days: 0,
            maintenance_period: None,
            allow_grace_period: false,
            grace_period: 0,
            // Must be false: true sends the SDK to LicenseSpring's on-premises floating server.
            is_floating: false,
            is_floating_cloud: false,
            prevent_vm: false,
            product_details: ProductDetails {
                short_code: self.short_code,
                product_name: &license.product,
                prevent_vm: false,
            },
            user: self.user.map(|u| {
                let (first_name, last_name) = u.name.split_once(' ').unwrap_or((u.name, ""));
                User {
                    id: numeric_id(u.account_id),
                    email: u.email,
                    first_name,
                    last_name,
                    is_initial_password: false,
                }
            }),
            customer: Customer {
                company_name: &license.customer_name,
            },
            company: None,
            metadata: Map::new(),
            custom_fields: Vec::new(),
            product_features: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::licenses::{LicenseRole, LicenseType};

    /// 2030-01-01T00:00:00Z and 2026-11-30T04:09:46.123Z in milliseconds.
    const Y2030: Millis = 1_893_456_000_000;
    const NOV_2026: Millis = 1_796_011_786_123;

    fn license(status: LicenseStatus) -> License {
        License {
            id: "0f3c2a9e-1b2d-4c5e-8f70-123456789abc".into(),
            customer_name: "Acme Corp".into(),
            product: "CodeGlass".into(),
            license_type: LicenseType::Organisation,
            status,
            subscriptions: 1,
            valid_from: NOV_2026,
            valid_until: Y2030,
            seats_used: 2,
            max_users: 5,
            devices_active: 4,
            max_activations: 10,
            deactivations_used: 1,
            max_deactivations: 3,
            my_role: LicenseRole::Manager,
        }
    }

    fn json(view: LicenseFor<'_>) -> Value {
        serde_json::to_value(view.object()).unwrap()
    }

    #[test]
    fn dates_are_utc_with_milliseconds_and_a_z() {
        assert_eq!(format_date(Y2030), "2030-01-01T00:00:00.000Z");
        assert_eq!(format_date(NOV_2026), "2026-11-30T04:09:46.123Z");
        assert_eq!(format_date(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_date(i64::MAX), "9999-12-31T23:59:59.999Z");
        assert_eq!(format_date(-5), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn ids_are_exact_in_any_json_reader() {
        let id = numeric_id("0f3c2a9e-1b2d-4c5e-8f70-123456789abc");
        assert_eq!(id, 0x0000_f3c2_a9e1_b2dc);
        assert!(id < 1 << 53);
        assert_eq!(
            numeric_id("ffffffff-ffff-4fff-bfff-ffffffffffff"),
            (1 << 52) - 1
        );
    }

    #[test]
    fn a_key_based_license_carries_every_required_field() {
        let lic = license(LicenseStatus::Active);
        let v = json(LicenseFor {
            license: &lic,
            short_code: "codeglass",
            license_key: Some("KEY-AAAA-BBBB"),
            user: None,
            hardware_id: "hw-1",
        });
        assert_eq!(v["license_key"], "KEY-AAAA-BBBB");
        assert_eq!(v["license_type"], "subscription");
        assert_eq!(v["validity_period"], "2030-01-01T00:00:00.000Z");
        assert_eq!(v["start_date"], "2026-11-30T04:09:46.123Z");
        assert_eq!(v["is_floating"], false);
        assert_eq!(v["is_floating_cloud"], false);
        assert_eq!(v["product_details"]["short_code"], "codeglass");
        assert_eq!(v["product_details"]["prevent_vm"], false);
        assert_eq!(v["hardware_id"], "hw-1");
        assert_eq!(v["id"], numeric_id(&lic.id));
        assert_eq!(
            (
                &v["license_active"],
                &v["license_enabled"],
                &v["is_expired"]
            ),
            (&Value::Bool(true), &Value::Bool(true), &Value::Bool(false))
        );
        assert_eq!(v["max_activations"], 10);
        assert_eq!(v["times_activated"], 4);
        assert!(v.get("user").is_none());
        // The fields whose getters raise when never received are all there.
        for field in [
            "allow_unlimited_activations",
            "transfer_count",
            "max_transfers",
            "is_trial",
            "trial_days",
            "start_date",
            "maintenance_period",
            "allow_grace_period",
            "grace_period",
            "prevent_vm",
            "metadata",
            "customer",
            "company",
            "custom_fields",
            "product_features",
        ] {
            assert!(v.get(field).is_some(), "{field} missing");
        }
        // No floats anywhere: the offline signature is over compact JSON, which floats would
        // make depend on the serialiser.
        fn has_float(v: &Value) -> bool {
            match v {
                Value::Number(n) => n.is_f64(),
                Value::Array(items) => items.iter().any(has_float),
                Value::Object(map) => map.values().any(has_float),
                _ => false,
            }
        }
        assert!(!has_float(&v));
    }

    #[test]
    fn a_user_based_license_names_its_user_and_no_key() {
        let lic = license(LicenseStatus::Active);
        let v = json(LicenseFor {
            license: &lic,
            short_code: "codeglass",
            license_key: None,
            user: Some(LicenseUser {
                account_id: "5a6b7c8d-0000-4000-8000-000000000000",
                email: "user@acme.example",
                name: "Uma User",
            }),
            hardware_id: "hw-1",
        });
        assert_eq!(v["license_key"], Value::Null);
        assert_eq!(v["user"]["email"], "user@acme.example");
        assert_eq!(v["user"]["first_name"], "Uma");
        assert_eq!(v["user"]["last_name"], "User");
        assert_eq!(v["user"]["is_initial_password"], false);
        assert!(v["user"]["id"].is_i64());
    }

    #[test]
    fn suspended_and_expired_licenses_say_so() {
        let suspended = license(LicenseStatus::Suspended);
        let expired = license(LicenseStatus::Expired);
        let view = |license| LicenseFor {
            license,
            short_code: "codeglass",
            license_key: Some("K"),
            user: None,
            hardware_id: "hw",
        };
        let s = json(view(&suspended));
        assert_eq!(
            (&s["license_active"], &s["is_expired"]),
            (&Value::Bool(false), &Value::Bool(false))
        );
        let e = json(view(&expired));
        assert_eq!(
            (&e["license_active"], &e["is_expired"]),
            (&Value::Bool(true), &Value::Bool(true))
        );
    }

    #[test]
    fn an_imported_license_answers_with_its_licensespring_id() {
        for id in [1, 101, 1_702_983_098_133_459, (1 << 52) - 1] {
            let uuid = id_answering_as(id);
            assert_eq!(numeric_id(&uuid), id, "{uuid}");
            let parsed = uuid::Uuid::parse_str(&uuid).unwrap();
            assert_eq!(parsed.get_version_num(), 4);
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
        }
        assert_ne!(id_answering_as(101), id_answering_as(101));
    }
}
