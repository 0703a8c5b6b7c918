//! Password checks and server-side sessions.

use super::hashing;
use super::throttle::{self, ThrottlePolicy};
use super::{AccountKind, Principal};
use crate::error::{AppError, Field, InvalidReason, Result, Thing};
use crate::input::{normalised_company, normalised_email};
use crate::secret;
use crate::store::accounts::{self, PrincipalRow};
use crate::store::sessions::{self, Sessions};
use crate::store::Store;
use crate::{now_millis, Millis};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use std::sync::atomic::{AtomicBool, Ordering};

/// How long a portal session lives.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Ends a session nobody used for this long.
    pub idle_ms: Millis,
    /// Ends every session this long after login, used or not.
    pub absolute_ms: Millis,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_ms: 2 * 60 * 60 * 1000,
            absolute_ms: 24 * 60 * 60 * 1000,
        }
    }
}

/// What a login form or the desktop app sends.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub company: String,
    pub email: String,
    pub password: String,
}

/// A new session: the secret for the cookie (shown once, stored only hashed) and who it is for.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub principal: Principal,
    pub expires_at: Millis,
}

/// Argon2id as OWASP's password storage guidance lists it with 7 MiB of memory and 5 passes, one
/// of the settings it gives as equally strong as 19 MiB and 2 passes (the crate's default): about
/// the same CPU per hash, and a third of the memory, which is what bounds the server's footprint
/// when logins arrive together (`hashing` lets one hash per core run at once). A stored hash
/// keeps its own parameters, so hashes made with the default still verify.
fn hasher() -> Argon2<'static> {
    const MEMORY_KIB: u32 = 7 * 1024;
    const PASSES: u32 = 5;
    let (memory_kib, passes) = if LIGHT_HASHES.load(Ordering::Relaxed) {
        (argon2::Params::MIN_M_COST, argon2::Params::MIN_T_COST)
    } else {
        (MEMORY_KIB, PASSES)
    };
    let params = argon2::Params::new(memory_kib, passes, 1, None)
        .expect("OWASP's parameters are within Argon2's bounds");
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// Set only by [`light_hashes_for_tests`]: a server process never sets it.
static LIGHT_HASHES: AtomicBool = AtomicBool::new(false);

/// New hashes in this process at Argon2's least cost, for test processes (`testing`'s fixtures
/// turn it on). Their fixtures hash a password for every account and log in for every session,
/// which was most of the Rust tests' CPU; the rules they check do not depend on the cost. A
/// stored hash keeps its parameters, so a `keyport` process a test starts verifies these cheaply
/// too, while every hash it makes itself (and its memory bound) stays at full cost.
#[cfg(feature = "test-support")]
pub fn light_hashes_for_tests() {
    LIGHT_HASHES.store(true, Ordering::Relaxed);
}

/// Hashes a password with Argon2id off the async threads, behind the process's hashing bound
/// (`Busy` when it is saturated; see [`hashing`]).
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    hashing::enter()?
        .run(move || {
            let salt = SaltString::generate(&mut rand::rngs::OsRng);
            hasher()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| {
                    tracing::error!(error = %e, "password hashing failed");
                    AppError::Internal
                })
        })
        .await?
}

async fn verify_password(ticket: &hashing::Ticket, password: &str, hash: String) -> Result<bool> {
    let password = password.to_owned();
    ticket
        .run(move || {
            PasswordHash::new(&hash)
                .map(|parsed| {
                    hasher()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
}

/// A real hash of a random password, verified when the account does not exist so that an unknown
/// company or email costs the same time as a wrong password. Made once, behind the hashing bound
/// like every other hash.
async fn dummy_hash(ticket: &hashing::Ticket) -> Result<String> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| {
            ticket.run(|| {
                let salt = SaltString::generate(&mut rand::rngs::OsRng);
                let mut secret = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut secret);
                hasher()
                    .hash_password(&secret, &salt)
                    .map(|h| h.to_string())
                    .unwrap_or_default()
            })
        })
        .await
        .cloned()
}

fn required(field: Field, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(AppError::invalid(field, InvalidReason::Required));
    }
    Ok(())
}

/// Checks company ID, email and password; on success returns the account. Every failure is the
/// same `InvalidCredentials`, whichever part was wrong.
pub async fn check_credentials(store: &Store, creds: &Credentials, ip: &str) -> Result<Principal> {
    check_required(creds)?;
    check_with(store, creds, ip, &hashing::enter()?).await
}

fn check_required(creds: &Credentials) -> Result<()> {
    required(Field::CompanyId, &creds.company)?;
    required(Field::Email, &creds.email)?;
    required(Field::Password, &creds.password)
}

async fn check_with(
    store: &Store,
    creds: &Credentials,
    ip: &str,
    ticket: &hashing::Ticket,
) -> Result<Principal> {
    let row = {
        let mut conn = store.conn().await?;
        accounts::by_login(
            &mut conn,
            &normalised_company(&creds.company),
            &normalised_email(&creds.email),
        )
        .await?
    };
    let (principal, hash) = match row {
        // An imported account has no password until its person sets one: it costs the time of
        // a wrong one, and fails like one.
        Some(row) if row.password_hash == crate::import::NO_PASSWORD => {
            (None, dummy_hash(ticket).await?)
        }
        Some(row) => (Some(principal_from_row(row.principal)?), row.password_hash),
        None => (None, dummy_hash(ticket).await?),
    };
    let ok = verify_password(ticket, &creds.password, hash).await?;
    match principal {
        Some(p) if ok => Ok(p),
        _ => {
            // For fail2ban-style tools, one line: `failed login address=IP company="…"
            // email="…"` (README, "Failed logins"). Debug formatting quotes and escapes what the
            // client typed, so it cannot forge log lines; the password is never logged.
            tracing::warn!(
                address = %ip,
                company = ?creds.company.trim(),
                email = ?creds.email.trim(),
                "failed login"
            );
            Err(AppError::InvalidCredentials)
        }
    }
}

/// [`check_credentials`] behind the throttle: refused with `TooManyAttempts` (before the password
/// is looked at) after too many failures for the account or from the address; a failure
/// counts, a success clears the account's count. Every login and every device activation by
/// login goes through here.
///
/// The hashing queue place is taken first, so a flood past the hashing bound is answered `Busy`
/// before it costs the database anything.
pub async fn authenticate(
    store: &Store,
    creds: &Credentials,
    ip: &str,
    throttle: &ThrottlePolicy,
) -> Result<Principal> {
    check_required(creds)?;
    let ticket = hashing::enter()?;
    let attempt = throttle::admit(
        store,
        throttle,
        Some(throttle::account_key(&creds.company, &creds.email)),
        ip,
    )
    .await?;
    match check_with(store, creds, ip, &ticket).await {
        Ok(principal) => {
            attempt.succeeded(store).await?;
            Ok(principal)
        }
        Err(AppError::InvalidCredentials) => {
            attempt.failed(store).await?;
            Err(AppError::InvalidCredentials)
        }
        Err(other) => {
            attempt.withdraw(store).await?;
            Err(other)
        }
    }
}

/// The account with this email in the tenant with this company ID, without a password: for the
/// admin commands, whose operator already holds the database URL (and with it every right).
pub async fn principal_by_email(store: &Store, company: &str, email: &str) -> Result<Principal> {
    let mut conn = store.conn().await?;
    let row = accounts::by_login(
        &mut conn,
        &normalised_company(company),
        &normalised_email(email),
    )
    .await?
    .ok_or_else(|| AppError::not_found(Thing::Account))?;
    principal_from_row(row.principal)
}

/// Logs in: checks the credentials (throttled, see [`authenticate`]) and opens a new session. A
/// session the browser already had is ended, so the id always changes at login.
pub async fn login(
    store: &Store,
    creds: &Credentials,
    previous_token: Option<&str>,
    policy: SessionPolicy,
    throttle: &ThrottlePolicy,
    ip: &str,
) -> Result<NewSession> {
    let principal = authenticate(store, creds, ip, throttle).await?;
    if let Some(old) = previous_token {
        end_session(store, old).await?;
    }
    let token = secret::random_token();
    let now = now_millis();
    let expires_at = now + policy.absolute_ms;
    let mut conn = store.write_conn().await?;
    sessions::insert(
        &mut conn,
        &secret::hash(&token),
        &principal.account_id,
        now,
        expires_at,
    )
    .await?;
    // Housekeeping on a path that already writes, so expired sessions do not pile up.
    sessions::end(&mut conn, Sessions::ExpiredOf(&principal.account_id, now)).await?;
    tracing::info!(ip, account = %principal.account_id, "login");
    Ok(NewSession {
        token,
        principal,
        expires_at,
    })
}

/// The account behind a session cookie, or `Unauthenticated` when it is unknown, idle too long
/// or past its absolute lifetime.
pub async fn principal_for_session(
    store: &Store,
    token: &str,
    policy: SessionPolicy,
) -> Result<Principal> {
    Ok(session(store, token, policy).await?.principal)
}

/// A live session, as a page asks for it: who it is, and whether a one-time note waits for one
/// of its pages.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub principal: Principal,
    pub notes_waiting: bool,
}

/// [`principal_for_session`], with whether a note waits (one statement either way).
pub async fn session(store: &Store, token: &str, policy: SessionPolicy) -> Result<SignedIn> {
    let now = now_millis();
    let hash = secret::hash(token);
    let row = sessions::live(&mut *store.conn().await?, &hash, now, now - policy.idle_ms)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    // Touch at most once a minute: a read-mostly portal should not write on every request.
    if now - row.last_seen_at > 60_000 {
        sessions::touch(&mut *store.write_conn().await?, &hash, now).await?;
    }
    Ok(SignedIn {
        principal: principal_from_row(row.principal)?,
        notes_waiting: row.notes > 0,
    })
}

/// Logs out: ends every session of the session's account, so "log out" also logs out a browser
/// left open elsewhere. Unknown tokens are fine: logging out twice is not an error.
pub async fn logout(store: &Store, token: &str) -> Result<()> {
    let mut conn = store.write_conn().await?;
    let hash = secret::hash(token);
    sessions::end(&mut conn, Sessions::AccountOfToken(&hash)).await?;
    Ok(())
}

/// Ends this one session (the one a browser had before it logged in again).
async fn end_session(store: &Store, token: &str) -> Result<()> {
    let mut conn = store.write_conn().await?;
    sessions::end(&mut conn, Sessions::Token(&secret::hash(token))).await?;
    Ok(())
}

pub(crate) fn principal_from_row(row: PrincipalRow) -> Result<Principal> {
    Ok(Principal {
        kind: AccountKind::parse(&row.kind).ok_or(AppError::Internal)?,
        account_id: row.id,
        tenant_id: row.tenant_id,
        tenant_name: row.tenant_name,
        customer_id: row.customer_id,
        name: row.name,
        email: row.email,
    })
}
