//! Products: the short code each product of a tenant is known by to LicenseSpring's SDK, which
//! sends it as `product` on every call (`product_details` names no license at all).
//!
//! Licenses keep naming their product by name (`licenses.product`); a tenant's `products` row
//! maps that name to one short code, so every license of a product answers to the same code and
//! a code can be looked up before any license is. A license's product gets its row when the
//! license is created ([`ensure`]); licenses older than the table get theirs when the tenant's
//! products are first listed ([`list`]).

use sqlx::AnyConnection;

use crate::error::{AppError, ConflictReason, Result};
use crate::now_millis;
use crate::store::{products, Store};

/// The longest short code made from a name; the rest of a long name is dropped.
const MAX_CODE: usize = 48;

/// A product as LicenseSpring's SDK names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub short_code: String,
    pub name: String,
}

impl From<products::ProductRow> for Product {
    fn from(row: products::ProductRow) -> Self {
        Self {
            short_code: row.short_code,
            name: row.name,
        }
    }
}

/// The short code a product name suggests: lowercase ASCII letters and digits, every other run
/// of characters one `-` ("CodeGlass" -> `codeglass`, "OtherSoft Studio" -> `othersoft-studio`).
pub fn short_code_for(name: &str) -> String {
    let mut code = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            code.push(c.to_ascii_lowercase());
        } else if !code.is_empty() && !code.ends_with('-') {
            code.push('-');
        }
    }
    code.truncate(MAX_CODE);
    let code = code.trim_end_matches('-');
    if code.is_empty() {
        "product".to_owned()
    } else {
        code.to_owned()
    }
}

/// The short code of the tenant's product `name`, made now if it has none. When the suggested
/// code is another product's already ("Code Glass" and "code-glass"), a number is appended.
/// Concurrent calls for one name agree on one row (the name is unique in the tenant).
pub async fn ensure(conn: &mut AnyConnection, tenant_id: &str, name: &str) -> Result<String> {
    let base = short_code_for(name);
    for n in 1..=100 {
        if let Some(row) = products::by_name(conn, tenant_id, name).await? {
            return Ok(row.short_code);
        }
        let code = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if products::insert(conn, tenant_id, &code, name, now_millis()).await? {
            return Ok(code);
        }
    }
    tracing::error!(tenant_id, name, "no free short code for the product");
    Err(AppError::conflict(ConflictReason::AlreadyExists))
}

/// The tenant's products by short code, every license's product among them.
pub async fn list(store: &Store, tenant_id: &str) -> Result<Vec<Product>> {
    let mut conn = store.conn().await?;
    for name in products::license_products_without_code(&mut conn, tenant_id).await? {
        ensure(&mut conn, tenant_id, &name).await?;
    }
    let rows = products::list(&mut conn, tenant_id).await?;
    Ok(rows.into_iter().map(Product::from).collect())
}

/// The tenant's product with this short code (exact: the SDK sends what the app was built with).
pub async fn by_code(store: &Store, tenant_id: &str, short_code: &str) -> Result<Option<Product>> {
    let mut conn = store.conn().await?;
    if let Some(row) = products::by_code(&mut conn, tenant_id, short_code).await? {
        return Ok(Some(row.into()));
    }
    // Given back before `list` borrows one: a request holding two at once could wait on itself.
    drop(conn);
    // A license made before the table existed has no row until its tenant's products are listed.
    Ok(list(store, tenant_id)
        .await?
        .into_iter()
        .find(|p| p.short_code == short_code))
}

#[cfg(test)]
mod tests {
    use super::short_code_for;

    #[test]
    fn codes_are_lowercase_words_joined_by_dashes() {
        assert_eq!(short_code_for("CodeGlass"), "codeglass");
        assert_eq!(short_code_for("OtherSoft Studio"), "othersoft-studio");
        assert_eq!(
            short_code_for("  Pro / Team  Edition 2 "),
            "pro-team-edition-2"
        );
        assert_eq!(short_code_for("Über"), "ber");
        assert_eq!(short_code_for("***"), "product");
        assert_eq!(short_code_for(&"x".repeat(100)).len(), 48);
    }
}
