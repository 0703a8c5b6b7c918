//! The LicenseSpring-compatible client API (`/api/v4`), so apps built on LicenseSpring's SDK
//! activate against Keyport: its request authentication, its per-tenant credentials and RSA
//! response signatures, its license object and its errors (`shared/licensespring-v4.md` is the
//! contract).
//!
//! No HTTP here: the server's handlers hand in header values and body bytes and send back what
//! this module returns; the rules stay in the services the native `/api/v1` uses.

pub mod auth;
pub mod credentials;
pub mod error;
pub mod flows;
pub mod license;
pub mod offline;

pub use auth::{authenticate, Authenticated, RequestAuth, MAX_CLOCK_SKEW};
pub use credentials::TenantCredentials;
pub use error::{ErrorBody, V4Error};
pub use license::{id_answering_as, numeric_id, LicenseFor, LicenseObject, LicenseUser};
