//! The application state the server hands to every route and server function.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use licensing::auth::{SessionPolicy, ThrottlePolicy};
use licensing::Store;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub sessions: SessionPolicy,
    /// Limits on failed logins and activations, per account and per client address.
    pub throttle: ThrottlePolicy,
    /// Mark the session cookie `Secure` (when served over HTTPS, directly or behind a TLS proxy).
    pub secure_cookies: bool,
    /// The portal's address as its users reach it, without a trailing slash: the start of the
    /// set-password links shown to license managers.
    pub public_url: String,
}
