//! The admin commands (`keyport tenant|customer|license …`): bootstrapping and scripting on the
//! same `licensing` services as the web, acting as a named vendor admin so the audit log says who.

use std::io::BufRead;

use app::i18n::Locale;
use licensing::access::Actor;
use licensing::auth::principal_by_email;
use licensing::input::DAY_MS;
use licensing::licenses::{self, NewLicense, TenantLicense};
use licensing::{now_millis, users, AppError, Field, InvalidReason, Store};

use crate::config::{ApiKeyCommand, CustomerCommand, LicenseCommand, Operator, TenantCommand};

/// An error as the command prints it: in English, in the English catalog's words, like the
/// device API.
pub fn english(error: &AppError) -> String {
    app::error_text::error_text_in(Locale::En, error)
}

/// Where an admin command's changes come from, for the audit log.
const CLI: &str = "admin command";

/// The vendor admin a command acts as (from [`CLI`] in the audit log); anyone else is refused.
async fn operator(store: &Store, op: &Operator) -> Result<Actor, AppError> {
    let who = principal_by_email(store, &op.company, &op.admin)
        .await
        .map_err(|_| AppError::invalid(Field::As, InvalidReason::NoVendorAdmin))?;
    licensing::access::vendor_admin(&who)
        .map_err(|_| AppError::invalid(Field::As, InvalidReason::NotVendorAdmin))?;
    Ok(Actor::new(who, CLI))
}

pub async fn tenant(store: &Store, command: TenantCommand) -> Result<(), AppError> {
    let TenantCommand::Create {
        company,
        name,
        admin_email,
        admin_name,
    } = command;
    let password = match std::env::var("KEYPORT_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|_| AppError::invalid(Field::Password, InvalidReason::StdinUnreadable))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let (tenant_id, _) = licensing::tenants::create_tenant_with_admin(
        store,
        &company,
        &name,
        &admin_email,
        &admin_name,
        &password,
    )
    .await?;
    println!("created tenant {company} ({tenant_id}) with vendor admin {admin_email}");
    Ok(())
}

pub async fn customer(store: &Store, command: CustomerCommand) -> Result<(), AppError> {
    let CustomerCommand::Create { operator: op, name } = command;
    let who = operator(store, &op).await?.principal;
    let id = licensing::tenants::create_customer(store, &who.tenant_id, &name).await?;
    println!("{id}");
    Ok(())
}

/// License commands; a sale emails the license's holders (credentials or a receipt) with links
/// to `portal`, as the console's does.
pub async fn license(
    store: &Store,
    command: LicenseCommand,
    portal: &licensing::mail::Portal,
) -> Result<(), AppError> {
    match command {
        LicenseCommand::Create {
            operator: op,
            customer,
            product,
            license_type,
            subscriptions,
            seats_per_subscription,
            devices_per_subscription,
            deactivations,
            valid_days,
            owner_email,
            owner_name,
        } => {
            let actor = operator(store, &op).await?;
            let who = &actor.principal;
            let owner = match principal_by_email(store, &op.company, &owner_email).await {
                Ok(owner) if owner.customer_id.as_deref() == Some(customer.as_str()) => {
                    owner.account_id
                }
                Ok(_) => {
                    return Err(AppError::invalid(
                        Field::OwnerEmail,
                        InvalidReason::OtherCustomer,
                    ))
                }
                Err(AppError::NotFound { .. }) => {
                    let name = owner_name.as_deref().ok_or_else(|| {
                        AppError::invalid(Field::OwnerName, InvalidReason::RequiredForNewOwner)
                    })?;
                    // Not invited on its own: the sale below emails the owner their credentials.
                    let created = users::create_for_customer(
                        store,
                        &actor,
                        &customer,
                        (name, &owner_email),
                        None,
                    )
                    .await?;
                    println!(
                        "owner account created for {}; their credentials are emailed with the license",
                        created.email
                    );
                    created.account_id.ok_or(AppError::Internal)?
                }
                Err(other) => return Err(other),
            };
            let now = now_millis();
            let purchase = licenses::purchase_emailed(
                store,
                &NewLicense {
                    tenant_id: who.tenant_id.clone(),
                    customer_id: customer,
                    product,
                    license_type,
                    subscriptions,
                    seats_per_subscription,
                    // The flags are bounded (config.rs), so neither product can overflow.
                    max_activations: devices_per_subscription * subscriptions,
                    max_deactivations: deactivations,
                    valid_from: now,
                    valid_until: now + valid_days * DAY_MS,
                    owner_account_id: owner,
                },
                Some(&who.account_id),
                Some(portal),
            )
            .await?;
            println!("license {}", purchase.license_id);
            if purchase.created {
                let key = licenses::issue_key(store, &purchase.license_id).await?;
                println!("license key (shown once): {key}");
            } else {
                println!(
                    "added {subscriptions} subscription(s) to the customer's existing license"
                );
            }
            Ok(())
        }
        LicenseCommand::List {
            operator: op,
            search,
            json,
        } => {
            let who = operator(store, &op).await?.principal;
            let list = licenses::list_for_tenant(store, &who, search.as_deref()).await?;
            if json {
                let text = serde_json::to_string_pretty(&list).map_err(|_| AppError::Internal)?;
                println!("{text}");
            } else {
                print_table(&list);
            }
            Ok(())
        }
        LicenseCommand::ResetDeactivations {
            operator: op,
            license,
            reason,
        } => {
            let actor = operator(store, &op).await?;
            licenses::reset_deactivation_limit(store, &actor, &license, &reason).await?;
            println!("the deactivation limit of license {license} is reset");
            Ok(())
        }
    }
}

/// `keyport licensespring-keys`: the tenant's LicenseSpring-compatible credentials, for the vendor
/// to build into its app. The shared key is a secret: this prints it because the operator of the
/// server is the one who hands it to the vendor.
pub async fn licensespring_keys(store: &Store, company: &str, json: bool) -> Result<(), AppError> {
    let config = licensing::licensespring::credentials::client_config(store, company).await?;
    if json {
        let text = serde_json::to_string_pretty(&config).map_err(|_| AppError::Internal)?;
        println!("{text}");
    } else {
        println!("api_key: {}", config.api_key);
        println!("shared_key: {}", config.shared_key);
        println!("products: {}", config.products.join(", "));
        print!("{}", config.public_key_pem);
    }
    Ok(())
}

fn print_table(list: &[TenantLicense]) {
    println!(
        "{:<36}  {:<24}  {:<16}  {:<9}  {:>7}  {:>7}  {:>13}",
        "license", "customer", "product", "status", "seats", "devices", "deactivations"
    );
    for l in list.iter().map(|t| &t.license) {
        println!(
            "{:<36}  {:<24}  {:<16}  {:<9}  {:>7}  {:>7}  {:>13}",
            l.id,
            l.customer_name,
            l.product,
            app::i18n::lookup(Locale::En, app::i18n::license_status_key(l.status)),
            format!("{}/{}", l.seats_used, l.max_users),
            format!("{}/{}", l.devices_active, l.max_activations),
            format!("{}/{}", l.deactivations_used, l.max_deactivations),
        );
    }
}

/// `keyport api-key …`: the management API's keys, as the console's page manages them.
pub async fn api_key(store: &Store, command: ApiKeyCommand) -> Result<(), AppError> {
    match command {
        ApiKeyCommand::Create { operator: op, name } => {
            let actor = operator(store, &op).await?;
            let key = licensing::manage::create_key(store, &actor, &name).await?;
            println!("api key {} ({})", key.id, key.name);
            println!("key (shown once): {}", key.key);
        }
        ApiKeyCommand::List { operator: op, json } => {
            let who = operator(store, &op).await?.principal;
            let keys = licensing::manage::list_keys(store, &who).await?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&keys).map_err(|_| AppError::Internal)?
                );
            } else {
                for key in keys {
                    let state = if key.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "live"
                    };
                    println!("{}  {}…  {state}  {}", key.id, key.prefix, key.name);
                }
            }
        }
        ApiKeyCommand::Revoke { operator: op, id } => {
            let actor = operator(store, &op).await?;
            licensing::manage::revoke_key(store, &actor, &id).await?;
            println!("revoked {id}");
        }
    }
    Ok(())
}
