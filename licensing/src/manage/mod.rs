//! The management API's rules (a vendor's own systems acting for its tenant): its keys, made and
//! revoked by vendor staff, shown once and kept as a hash.

use serde::{Deserialize, Serialize};

use crate::Millis;

#[cfg(feature = "server")]
mod orders;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
mod views;
#[cfg(feature = "server")]
pub use orders::*;
#[cfg(feature = "server")]
pub use service::*;
#[cfg(feature = "server")]
pub use views::*;

/// A key as the console and `keyport api-key list` show it: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyEntry {
    pub id: String,
    pub name: String,
    /// The key's first characters, to recognise it by.
    pub prefix: String,
    pub created_by: Option<String>,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
}

/// A key just made: the one time its secret is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub key: String,
}

/// How keys start: recognisable in logs and by secret scanners.
pub const KEY_START: &str = "kp_";

/// How much of a key a list shows.
pub const PREFIX_LEN: usize = 12;

/// The management API's views and requests: what a vendor's systems send and get back, described
/// for the API's generated OpenAPI document. Times are RFC 3339 in UTC.
#[cfg(feature = "server")]
pub mod api {
    use serde::{Deserialize, Serialize};
    use utoipa::ToSchema;

    use crate::licenses::{LicenseStatus, LicenseType};

    /// An order from the vendor's shop: sold once per `order_id`, however often it is sent.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Order {
        /// The shop's id of the order; the same id is never sold twice.
        #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
        pub order_id: String,
        pub customer: OrderCustomer,
        pub owner: OrderOwner,
        #[schema(min_length = 1, pattern = r"\S")]
        pub product: String,
        pub license_type: LicenseType,
        #[schema(minimum = 1, maximum = 100000)]
        pub subscriptions: i64,
        /// At most 1,000,000 seats in all (subscriptions times seats).
        #[schema(minimum = 1, maximum = 1000000)]
        pub seats_per_subscription: i64,
        #[schema(minimum = 0, maximum = 1000000)]
        pub devices_per_subscription: i64,
        /// Device resets the customer may do on their own (for a new license).
        #[schema(minimum = 0, maximum = 1000000)]
        pub deactivations: i64,
        /// How long a new license is valid, in days from now.
        #[schema(minimum = 1, maximum = 36500)]
        pub valid_days: i64,
    }

    /// The buying customer, found by the shop's id for it or created.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct OrderCustomer {
        #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
        pub external_id: String,
        /// Used when the customer is new.
        #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
        pub name: String,
    }

    /// The person who gets the license (its manager or, for a Personal license, its user); an
    /// account is created and emailed credentials when they have none.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct OrderOwner {
        #[schema(format = "email")]
        pub email: String,
        #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
        pub name: String,
    }

    /// What an order sold.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub struct OrderAnswer {
        pub order_id: String,
        pub customer_id: String,
        pub owner_account_id: String,
        pub license_id: String,
        /// True when the order created the license, false when it raised the customer's license
        /// for the product.
        pub license_created: bool,
        /// The new license's key: in the first answer only, never again.
        pub license_key: Option<String>,
    }

    /// A customer of the tenant.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub struct Customer {
        pub id: String,
        pub name: String,
        /// The vendor's own id for the customer, set by an order.
        pub external_id: Option<String>,
        pub created_at: String,
        pub license_count: i64,
        pub account_count: i64,
    }

    /// A customer with its people.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub struct CustomerDetail {
        #[serde(flatten)]
        pub customer: Customer,
        pub accounts: Vec<Account>,
    }

    /// A person of a customer.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub struct Account {
        pub id: String,
        pub name: String,
        pub email: String,
        /// They have not chosen a password from their invitation or credentials email yet.
        pub invitation_pending: bool,
    }

    /// A license: its limits, what is in use, status and validity.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub struct License {
        pub id: String,
        pub customer_id: String,
        pub customer_name: String,
        pub product: String,
        pub license_type: LicenseType,
        pub status: LicenseStatus,
        pub subscriptions: i64,
        pub valid_from: String,
        pub valid_until: String,
        pub seats_used: i64,
        pub max_users: i64,
        pub devices_active: i64,
        pub max_activations: i64,
        pub deactivations_used: i64,
        pub max_deactivations: i64,
    }

    /// An active device of a license.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    pub struct Device {
        pub id: String,
        pub name: String,
        pub os: String,
        pub first_activated_at: String,
        pub last_seen_at: String,
        /// The person who activated it; absent for a license-key activation.
        pub activated_by: Option<String>,
    }

    /// An event of the tenant's audit log.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
    pub struct AuditEvent {
        pub id: String,
        pub at: String,
        /// Who acted: a person's name, "API key NAME", or absent for the system or an app.
        pub actor: Option<String>,
        /// What happened, as `license.suspended`.
        pub action: String,
        /// What it was done to, as the console's log shows it.
        #[schema(value_type = Object)]
        pub subject: serde_json::Value,
        pub ip: Option<String>,
        pub license_id: Option<String>,
    }

    /// One page of a list; `next_cursor` fetches the next, and is absent on the last page.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
    pub struct Page<T> {
        pub items: Vec<T>,
        pub next_cursor: Option<String>,
    }

    /// Why the vendor changes a license (kept in the audit log).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Reason {
        #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
        pub reason: String,
    }

    /// New limits or validity of a license; what is left out stays as it is. Refused below what
    /// is in use, as in the console.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct LicenseChange {
        pub max_users: Option<i64>,
        pub max_activations: Option<i64>,
        pub max_deactivations: Option<i64>,
        /// RFC 3339.
        pub valid_until: Option<String>,
    }

    /// `GET /customers`: narrowed by a part of the name, or one customer by the shop's id.
    #[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
    #[into_params(parameter_in = Query)]
    pub struct CustomerQuery {
        /// Part of the customer's name (any case).
        pub search: Option<String>,
        /// The vendor's own id for the customer.
        pub external_id: Option<String>,
        pub cursor: Option<String>,
        /// 50 when left out.
        #[param(minimum = 1, maximum = 100)]
        pub limit: Option<i64>,
    }

    /// `GET /licenses`: every license of the tenant, or one customer's.
    #[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
    #[into_params(parameter_in = Query)]
    pub struct LicenseQuery {
        pub customer_id: Option<String>,
        pub cursor: Option<String>,
        /// 50 when left out.
        #[param(minimum = 1, maximum = 100)]
        pub limit: Option<i64>,
    }

    /// `GET /events`: the tenant's audit log, newest first, narrowed like the console's.
    #[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
    #[into_params(parameter_in = Query)]
    pub struct EventQuery {
        pub customer_id: Option<String>,
        pub license_id: Option<String>,
        /// Part of the actor's name or email.
        pub actor: Option<String>,
        /// A kind of event: `device`, `license`, `user`, `customer`, `tenant`, `signing_key`.
        pub kind: Option<String>,
        /// From this time on (RFC 3339).
        pub from: Option<String>,
        /// Before this time (RFC 3339).
        pub until: Option<String>,
        pub cursor: Option<String>,
        /// 50 when left out.
        #[param(minimum = 1, maximum = 100)]
        pub limit: Option<i64>,
    }
}
