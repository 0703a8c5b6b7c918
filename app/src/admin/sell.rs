//! *Sell license* on the vendor console's customer page: a new license (its key shown once) or
//! more subscriptions of the customer's existing one.

use leptos::prelude::*;
use licensing::AppError;
use serde::{Deserialize, Serialize};

use crate::i18n::t;

/// Sells subscriptions: a new license (its key shown once) or more of the customer's existing one.
/// The numbers of a sale (form fields `terms[subscriptions]` and so on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleTerms {
    pub subscriptions: i64,
    pub seats_per_subscription: i64,
    pub devices_per_subscription: i64,
    pub deactivations: i64,
    pub valid_days: i64,
}

#[server(endpoint = "admin_sell")]
pub async fn admin_sell(
    customer_id: String,
    product: String,
    license_type: String,
    owner_account_id: String,
    terms: SaleTerms,
) -> Result<(), AppError> {
    use crate::session::{require_login, state};
    use licensing::licenses::Sale;
    let who = require_login().await?;
    let license_type = licensing::licenses::LicenseType::parse(&license_type).ok_or_else(|| {
        AppError::invalid(
            licensing::Field::Type,
            licensing::InvalidReason::NoLicenseType,
        )
    })?;
    let state = state()?;
    let portal = licensing::mail::Portal::new(&state.public_url);
    let (purchase, key) = licensing::licenses::sell(
        &state.store,
        &who,
        &Sale {
            customer_id,
            product,
            license_type,
            subscriptions: terms.subscriptions,
            seats_per_subscription: terms.seats_per_subscription,
            devices_per_subscription: terms.devices_per_subscription,
            max_deactivations: terms.deactivations,
            valid_days: terms.valid_days,
            owner_account_id,
        },
        &portal,
    )
    .await?;
    // A new license's key is shown this once (only its hash is kept), in the page's note.
    let note = match key {
        Some(key) => licensing::flash::Flash::LicenseSold { key },
        None => licensing::flash::Flash::SubscriptionsAdded {
            subscriptions: terms.subscriptions,
        },
    };
    crate::flash::redirect_with(&format!("/admin/licenses/{}", purchase.license_id), note).await;
    Ok(())
}

/// "Sell license": subscriptions of a product; a second sale of the same product raises the
/// customer's one license.
#[component]
pub(super) fn SellForm(
    customer_id: String,
    owners: Vec<licensing::customers::CustomerAccount>,
    action: ServerAction<AdminSell>,
) -> impl IntoView {
    if owners.is_empty() {
        return view! {
            <section class="card">
                <h2>{t("admin-sell")}</h2>
                <p class="hint">{t("admin-sell_first_account")}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card">
            <h2>{t("admin-sell")}</h2>
            <ActionForm action attr:class="form">
                <input type="hidden" name="customer_id" value=customer_id />
                <label>{t("label-product")} <input name="product" required value="CodeGlass" /></label>
                <label for="sell-type">{t("label-type")}</label>
                <select id="sell-type" name="license_type">
                        {super::license_type_options()}
                </select>
                <label for="sell-owner">{t("admin-owner")}</label>
                <select id="sell-owner" name="owner_account_id">
                        {owners
                            .into_iter()
                            .map(|a| view! { <option value=a.id>{format!("{} <{}>", a.name, a.email)}</option> })
                            .collect_view()}
                </select>
                <label>{t("admin-subscriptions_bought")} <input name="terms[subscriptions]" type="number" min="1" value="1" required /></label>
                <label>{t("admin-seats_per_subscription")} <input name="terms[seats_per_subscription]" type="number" min="1" value="5" required /></label>
                <label>{t("admin-devices_per_subscription")} <input name="terms[devices_per_subscription]" type="number" min="0" value="10" required /></label>
                <label>{t("admin-deactivations_allowed")} <input name="terms[deactivations]" type="number" min="0" value="3" required /></label>
                <label>{t("admin-valid_days")} <input name="terms[valid_days]" type="number" min="1" max="36500" value="365" required /></label>
                <button type="submit" disabled=move || action.pending().get()>{t("admin-sell")}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
