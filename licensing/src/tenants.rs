//! Provisioning: vendor tenants, their customers and accounts. Used by the demo seed, the admin
//! commands and the tests; the vendor console builds on it.

use sqlx::AnyConnection;

use crate::auth::{hash_password, AccountKind};
use crate::error::{AppError, ConflictReason, Field, InvalidReason, Result, Thing};
use crate::now_millis;
use crate::store::{accounts, customers, new_id, tenants, Store};

/// Creates a vendor tenant. `company_id` is what customers type at login, matched case-insensitively.
pub async fn create_tenant(store: &Store, company_id: &str, name: &str) -> Result<String> {
    let mut conn = store.write_conn().await?;
    insert_tenant(&mut conn, company_id, name).await
}

/// Bootstraps a vendor: the tenant and its first vendor admin, together or not at all.
pub async fn create_tenant_with_admin(
    store: &Store,
    company_id: &str,
    name: &str,
    admin_email: &str,
    admin_name: &str,
    admin_password: &str,
) -> Result<(String, String)> {
    // Checked and hashed before anything is written; the tenant id is filled in below.
    let mut admin = PreparedAccount::new(&NewAccount {
        tenant_id: "",
        customer_id: None,
        kind: AccountKind::VendorAdmin,
        email: admin_email,
        name: admin_name,
        password: admin_password,
    })
    .await?;
    let mut tx = store.begin().await?;
    let tenant_id = insert_tenant(&mut tx, company_id, name).await?;
    admin.tenant_id = tenant_id.clone();
    admin.insert(&mut tx).await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Event {
            tenant_id: &tenant_id,
            license_id: None,
            actor_id: None,
            action: crate::audit::AuditAction::TenantCreated,
            subject: crate::audit::AuditSubject::Tenant {
                name: name.trim().to_owned(),
                admin_email: admin.email.clone(),
            },
            ip: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok((tenant_id, admin.id))
}

async fn insert_tenant(conn: &mut AnyConnection, company_id: &str, name: &str) -> Result<String> {
    let key = crate::input::normalised_company(company_id);
    if key.is_empty()
        || key.len() > 64
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::invalid(
            Field::CompanyId,
            InvalidReason::CompanyIdFormat,
        ));
    }
    if name.trim().is_empty() {
        return Err(AppError::invalid(Field::Name, InvalidReason::Required));
    }
    let id = new_id();
    let result = tenants::insert(conn, &id, &key, name.trim(), now_millis()).await;
    match result.map_err(AppError::from) {
        Err(AppError::Conflict { .. }) => Err(AppError::conflict(ConflictReason::CompanyTaken {
            company: key.to_string(),
        })),
        other => other.map(|_| id),
    }
}

/// The tenant a company ID names (case-insensitive, as at login); `NotFound(Company)` if none.
pub async fn by_company(store: &Store, company: &str) -> Result<String> {
    let mut conn = store.conn().await?;
    tenants::by_company(&mut conn, &crate::input::normalised_company(company))
        .await?
        .ok_or_else(|| AppError::not_found(Thing::Company))
}

pub async fn create_customer(store: &Store, tenant_id: &str, name: &str) -> Result<String> {
    if name.trim().is_empty() {
        return Err(AppError::invalid(Field::Name, InvalidReason::Required));
    }
    let id = new_id();
    let mut conn = store.write_conn().await?;
    customers::insert(&mut conn, &id, tenant_id, name.trim(), now_millis()).await?;
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
    let account = PreparedAccount::new(new).await?;
    let mut conn = store.write_conn().await?;
    account.insert(&mut conn).await?;
    Ok(account.id)
}

/// The name and email of a new account, checked: the email as it is stored.
pub(crate) fn check_new_account(name: &str, email: &str) -> Result<String> {
    let email = crate::input::normalised_email(email);
    if name.trim().is_empty() {
        return Err(AppError::invalid(Field::Name, InvalidReason::Required));
    }
    if name.trim().chars().count() > 100 {
        return Err(AppError::invalid(
            Field::Name,
            InvalidReason::TooLong { max: 100 },
        ));
    }
    if !is_plausible_email(&email) {
        return Err(AppError::invalid(Field::Email, InvalidReason::EmailFormat));
    }
    Ok(email)
}

/// An account checked and with its password hashed, ready to insert. Split from the insert so a
/// caller can hash (slow on purpose) before it takes a lock, then insert inside its transaction.
#[derive(Debug, Clone)]
pub struct PreparedAccount {
    pub id: String,
    pub tenant_id: String,
    pub customer_id: Option<String>,
    pub kind: AccountKind,
    pub email: String,
    pub name: String,
    password_hash: String,
    password_set: bool,
}

impl PreparedAccount {
    pub async fn new(new: &NewAccount<'_>) -> Result<Self> {
        let email = check_new_account(new.name, new.email)?;
        check_password(new.password)?;
        if (new.kind == AccountKind::Customer) != new.customer_id.is_some() {
            return Err(AppError::invalid(
                Field::Customer,
                InvalidReason::CustomerMismatch,
            ));
        }
        Ok(Self {
            id: new_id(),
            tenant_id: new.tenant_id.to_owned(),
            customer_id: new.customer_id.map(str::to_owned),
            kind: new.kind,
            email,
            name: new.name.trim().to_owned(),
            password_hash: hash_password(new.password).await?,
            password_set: true,
        })
    }

    /// The account's password is a random one nobody knows, to be chosen through a set-password
    /// link: it counts as not set (a sale emails credentials, the Users tab offers a resend).
    pub fn awaiting_link(mut self) -> Self {
        self.password_set = false;
        self
    }

    /// Inserts the account; an email already used in the tenant is a `Conflict` that names it.
    pub async fn insert(&self, conn: &mut AnyConnection) -> Result<()> {
        let result = accounts::insert(
            conn,
            &accounts::AccountRow {
                id: &self.id,
                tenant_id: &self.tenant_id,
                customer_id: self.customer_id.as_deref(),
                kind: self.kind.as_str(),
                email: &self.email,
                name: &self.name,
                password_hash: &self.password_hash,
                password_set: self.password_set,
                created_at: now_millis(),
            },
        )
        .await;
        match result.map_err(AppError::from) {
            Err(AppError::Conflict { .. }) => Err(AppError::conflict(ConflictReason::EmailTaken {
                email: self.email.clone(),
            })),
            other => other.map(|_| ()),
        }
    }
}

/// The one password rule, for new accounts and set-password links alike: 8 to 256 characters
/// (counted as characters, not bytes), taken exactly as typed (no trimming), and not one of the
/// common passwords attackers try first. No composition rules: length beats complexity.
pub fn check_password(password: &str) -> Result<()> {
    let chars = password.chars().count();
    if chars < 8 {
        return Err(AppError::invalid(
            Field::Password,
            InvalidReason::TooShort { min: 8 },
        ));
    }
    if chars > 256 {
        return Err(AppError::invalid(
            Field::Password,
            InvalidReason::TooLong { max: 256 },
        ));
    }
    if crate::auth::is_common_password(password) {
        return Err(AppError::invalid(
            Field::Password,
            InvalidReason::CommonPassword,
        ));
    }
    Ok(())
}

pub(crate) fn is_plausible_email(email: &str) -> bool {
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
