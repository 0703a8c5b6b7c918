//! Provisioning: vendor tenants, their customers and accounts. Used by the demo seed, the admin
//! commands and the tests; the vendor console builds on it.

use crate::auth::{hash_password, AccountKind};
use crate::error::{AppError, Result};
use crate::now_millis;
use crate::store::{new_id, Store};

/// Creates a vendor tenant. `company_id` is what customers type at login, matched case-insensitively.
pub async fn create_tenant(store: &Store, company_id: &str, name: &str) -> Result<String> {
    let key = company_id.trim().to_lowercase();
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::invalid(
            "Company ID",
            "use letters, digits, '-' or '_' only.",
        ));
    }
    let id = new_id();
    sqlx::query("INSERT INTO tenants (id, company_key, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(&key)
        .bind(name.trim())
        .bind(now_millis())
        .execute(store.pool())
        .await?;
    Ok(id)
}

pub async fn create_customer(store: &Store, tenant_id: &str, name: &str) -> Result<String> {
    if name.trim().is_empty() {
        return Err(AppError::invalid("Name", "is required."));
    }
    let id = new_id();
    sqlx::query("INSERT INTO customers (id, tenant_id, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(tenant_id)
        .bind(name.trim())
        .bind(now_millis())
        .execute(store.pool())
        .await?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub tenant_id: &'a str,
    /// `None` for vendor staff.
    pub customer_id: Option<&'a str>,
    pub kind: AccountKind,
    pub email: &'a str,
    pub name: &'a str,
    pub password: &'a str,
}

/// Creates an account; the email is unique within the tenant.
pub async fn create_account(store: &Store, new: &NewAccount<'_>) -> Result<String> {
    let email = new.email.trim().to_lowercase();
    if !is_plausible_email(&email) {
        return Err(AppError::invalid(
            "Email",
            "enter an address like name@example.com.",
        ));
    }
    if new.name.trim().is_empty() {
        return Err(AppError::invalid("Name", "is required."));
    }
    if new.password.chars().count() < 8 {
        return Err(AppError::invalid(
            "Password",
            "must be at least 8 characters.",
        ));
    }
    if (new.kind == AccountKind::Customer) != new.customer_id.is_some() {
        return Err(AppError::invalid(
            "Customer",
            "customer accounts need a customer, vendor staff none.",
        ));
    }
    let hash = hash_password(new.password).await?;
    let id = new_id();
    let result = sqlx::query(
        "INSERT INTO accounts (id, tenant_id, customer_id, kind, email, name, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(new.tenant_id)
    .bind(new.customer_id)
    .bind(new.kind.as_str())
    .bind(&email)
    .bind(new.name.trim())
    .bind(hash)
    .bind(now_millis())
    .execute(store.pool())
    .await;
    match result.map_err(AppError::from) {
        Err(AppError::Conflict { .. }) => Err(AppError::Conflict {
            message: format!("An account with the email {email} already exists."),
        }),
        other => other.map(|_| id),
    }
}

fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}
