//! The application state the server hands to every route and server function.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use licensing::auth::{SessionPolicy, ThrottlePolicy};
use licensing::Store;

/// Cheap to clone: axum clones the state for every request (once per handler and middleware that
/// reads it), and a deep copy of the Leptos options and the URL was an allocation or ten each time.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct Shared {
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

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Self {
        state.store.clone()
    }
}

impl FromRef<AppState> for SessionPolicy {
    fn from_ref(state: &AppState) -> Self {
        state.sessions
    }
}

impl FromRef<AppState> for ThrottlePolicy {
    fn from_ref(state: &AppState) -> Self {
        state.throttle
    }
}
