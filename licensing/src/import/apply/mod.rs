//! Applying an import to the store: every row checked against what is there and written with one
//! audit event per object (attributed to the import: no actor, the file's line in the subject).
//!
//! Rows are written in batches of [`BATCH`], each batch one transaction under the tenant's import
//! lock, so an import killed midway keeps whole batches and running it again goes on from there
//! (what is there already counts as unchanged). A dry run is the same work in one transaction
//! rolled back at the end: later rows see what earlier ones would have made, and nothing stays.
//! On SQLite that transaction holds the write lock for the whole dry run.

use std::collections::{HashMap, HashSet};

mod attach;

use super::{
    read_devices, read_licenses, read_users, CustomerRecord, ImportFile, ImportObject,
    ImportReport, LicenseRecord, Read, Refusal, RefusedRow,
};
use crate::audit::{self, AuditAction, AuditSubject, Event};
use crate::error::Result;
use crate::input::DAY_MS;
use crate::licenses::{key_hash, LicenseRole, LicenseType};
use crate::licensespring::id_answering_as;
use crate::store::licenses::{self as license_rows, LicenseRow, NewLicenseRow};
use crate::store::{accounts, customers, imports, new_id, products, seats, Store, Tx};
use crate::{now_millis, Millis};

/// Rows per transaction: large enough that SQLite's commit (an fsync) is not the cost of a row,
/// small enough that the live server's writers wait only moments for the lock between batches.
const BATCH: usize = 500;

/// The password hash of an account moved in without one: no password verifies against it (it is
/// no Argon2 hash), so nobody can log in until the person sets one through a set-password link.
pub const NO_PASSWORD: &str = "!imported";

/// How the files map onto Keyport where LicenseSpring has no such notion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    pub dry_run: bool,
    /// The Keyport type of every imported license (whether its owner manages it).
    pub license_type: LicenseType,
    /// The deactivation budget of every imported license (LicenseSpring has no such column).
    pub max_deactivations: i64,
}

/// The files of one import, as read from disk or an upload.
#[derive(Debug, Clone, Default)]
pub struct ImportFiles {
    pub licenses: Option<Vec<u8>>,
    pub users: Option<String>,
    pub devices: Option<String>,
}

/// Imports a LicenseSpring export into the tenant; `progress(done, total)` is told after each
/// batch. Refused rows are in the report; an `Err` is the store failing, and whole batches
/// written before it stay.
pub async fn import_licensespring(
    store: &Store,
    tenant_id: &str,
    files: &ImportFiles,
    options: &ImportOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<ImportReport> {
    let now = now_millis();
    let mut report = ImportReport {
        dry_run: options.dry_run,
        ..ImportReport::default()
    };
    let licenses = match files.licenses.as_deref().map(|csv| read_licenses(csv, now)) {
        None => Read::default(),
        Some(Ok(read)) => read,
        Some(Err(refusal)) => {
            report.refused.push(RefusedRow {
                file: ImportFile::Licenses,
                line: 1,
                refusal,
            });
            Read::default()
        }
    };
    let users = files.users.as_deref().map(read_users).unwrap_or_default();
    let devices = files
        .devices
        .as_deref()
        .map(|d| read_devices(d, now))
        .unwrap_or_default();
    report.unknown_columns = licenses.unknown_columns;
    for refused in [licenses.refused, users.refused, devices.refused] {
        report.refused.extend(refused);
    }
    let total = (licenses.rows.len() + users.rows.len() + devices.rows.len()) as u64;
    report.rows = total + report.refused.len() as u64;

    let mut work = Work {
        store,
        tenant_id,
        options,
        now,
        tx: None,
        report,
        keys: HashMap::new(),
        devices: HashMap::new(),
        seats: HashMap::new(),
        counted: HashSet::new(),
    };
    let mut done = 0;
    progress(done, total);
    // Each file in turn, a transaction per batch: an interruption loses one batch at most, and a
    // second run skips what the first one committed.
    macro_rules! in_batches {
        ($rows:expr, $file:expr, $apply:ident) => {
            for batch in $rows.chunks(BATCH) {
                work.open().await?;
                for row in batch {
                    let outcome = work.$apply(row).await?;
                    work.refuse($file, row.line, outcome);
                }
                work.close().await?;
                done += batch.len() as u64;
                progress(done, total);
            }
        };
    }
    in_batches!(licenses.rows, ImportFile::Licenses, license);
    in_batches!(users.rows, ImportFile::Users, user);
    in_batches!(devices.rows, ImportFile::Devices, device);
    if let Some(tx) = work.tx.take() {
        // Only a dry run gets here with its transaction open.
        tx.rollback().await?;
    }
    work.report.refused.sort_by_key(|r| (r.file as u8, r.line));
    Ok(work.report)
}

/// The result of one row: `Err` is its refusal (the store failing is the outer `Result`).
type Row<T = ()> = std::result::Result<T, Refusal>;

struct Work<'a> {
    store: &'a Store,
    tenant_id: &'a str,
    options: &'a ImportOptions,
    now: Millis,
    tx: Option<Tx>,
    report: ImportReport,
    /// Key hash -> the first line with it and that row, for duplicates within the file.
    keys: HashMap<String, (u64, LicenseRecord)>,
    /// (license id, hardware id) -> first line.
    devices: HashMap<(String, String), u64>,
    /// (license id, email) -> first line.
    seats: HashMap<(String, String), u64>,
    /// Objects counted already: a product or account named by many rows counts once.
    counted: HashSet<(ImportObject, String)>,
}

impl Work<'_> {
    async fn open(&mut self) -> Result<()> {
        if self.tx.is_none() {
            let lock = format!("import:{}", self.tenant_id);
            self.tx = Some(self.store.begin_keyed(&lock).await?);
        }
        Ok(())
    }

    /// Commits the batch; a dry run keeps its one transaction open to roll it back at the end.
    async fn close(&mut self) -> Result<()> {
        if !self.options.dry_run {
            if let Some(tx) = self.tx.take() {
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Counts an object once however many rows name it.
    fn count(&mut self, object: ImportObject, created: bool, key: &str) {
        if self.counted.insert((object, key.to_owned())) {
            self.report.add(object, created);
        }
    }

    fn tx(&mut self) -> &mut Tx {
        self.tx.as_mut().expect("a batch is open")
    }

    fn refuse(&mut self, file: ImportFile, line: u64, outcome: Row) {
        if let Err(refusal) = outcome {
            self.report.refused.push(RefusedRow {
                file,
                line,
                refusal,
            });
        }
    }

    async fn audit(
        &mut self,
        license_id: Option<&str>,
        action: AuditAction,
        name: &str,
        line: u64,
    ) -> Result<()> {
        let tenant_id = self.tenant_id;
        audit::record(
            self.tx(),
            Event {
                tenant_id,
                license_id,
                actor_id: None,
                action,
                subject: AuditSubject::Imported {
                    name: name.to_owned(),
                    line,
                },
                ip: None,
            },
        )
        .await
    }

    async fn license(&mut self, row: &LicenseRecord) -> Result<Row> {
        let hash = key_hash(&row.key);
        if let Some((first, earlier)) = self.keys.get(&hash) {
            let same = LicenseRecord {
                line: *first,
                ..row.clone()
            } == *earlier;
            return Ok(if same {
                self.report.add(ImportObject::License, false);
                Ok(())
            } else {
                Err(Refusal::Duplicate { line: *first })
            });
        }
        self.keys.insert(hash.clone(), (row.line, row.clone()));
        let external_id = row.external_id.map(|id| id.to_string());
        if let Some(held) = imports::license_by_key_hash(self.tx(), &hash).await? {
            return self.already_there(row, &held, external_id.as_deref()).await;
        }
        if let Some(id) = &external_id {
            let tenant_id = self.tenant_id;
            if imports::license_by_external_id(self.tx(), tenant_id, id)
                .await?
                .is_some()
            {
                return Ok(Err(Refusal::IdOnAnotherLicense { id: id.clone() }));
            }
        }
        let product = match self.product(&row.product_code).await? {
            Ok(name) => name,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let customer_id = match self.find_customer(&row.customer).await? {
            Some(id) => id,
            None => match row.customer.display_name() {
                Some(name) => self.create_customer(name, &row.customer, row.line).await?,
                None => {
                    return Ok(Err(Refusal::Missing {
                        field: "customer__email".to_owned(),
                    }))
                }
            },
        };
        let tenant_id = self.tenant_id;
        if license_rows::for_product(self.tx(), tenant_id, &customer_id, &product)
            .await?
            .is_some()
        {
            return Ok(Err(Refusal::CustomerHasProduct { product }));
        }
        let owner = match &row.customer.email {
            None => None,
            Some(email) => {
                let name = row.customer.person.as_deref();
                match self.account(&customer_id, email, name, row.line).await? {
                    Ok(id) => Some(id),
                    Err(refusal) => return Ok(Err(refusal)),
                }
            }
        };
        let license_id = row.external_id.map_or_else(new_id, id_answering_as);
        let license_type = self.options.license_type;
        let seats = license_type.fixed_seats().unwrap_or(row.max_users);
        // A license already past its end stays expired: it starts a day before it ends.
        let valid_from = self.now.min(row.valid_until - DAY_MS);
        let new = NewLicenseRow {
            id: &license_id,
            tenant_id,
            customer_id: &customer_id,
            product: &product,
            license_type: license_type.as_str(),
            subscriptions: 1,
            max_users: seats,
            max_activations: row.max_activations,
            max_deactivations: self.options.max_deactivations,
            valid_from,
            valid_until: row.valid_until,
            created_at: self.now,
            seats_per_subscription: seats,
            activations_per_subscription: row.max_activations,
            status: if row.enabled { "active" } else { "suspended" },
            key_hash: Some(&hash),
            external_id: external_id.as_deref(),
        };
        license_rows::insert(self.tx(), &new).await?;
        self.audit(
            Some(&license_id),
            AuditAction::LicenseImported,
            &product,
            row.line,
        )
        .await?;
        self.report.add(ImportObject::License, true);
        if let (Some(account_id), Some(email)) = (owner, &row.customer.email) {
            let role = if license_type.owner_is_manager() {
                LicenseRole::Manager
            } else {
                LicenseRole::User
            };
            self.seat(&license_id, &account_id, email, role, row.line)
                .await?;
        }
        Ok(Ok(()))
    }

    /// A key that is stored already: unchanged when it is this tenant's license of the row's
    /// customer and id, refused otherwise.
    async fn already_there(
        &mut self,
        row: &LicenseRecord,
        held: &LicenseRow,
        external_id: Option<&str>,
    ) -> Result<Row> {
        if held.tenant_id != self.tenant_id {
            return Ok(Err(Refusal::KeyTaken));
        }
        let customer = self.find_customer(&row.customer).await?;
        if customer.as_deref() != Some(held.customer_id.as_str()) {
            return Ok(Err(Refusal::KeyOnAnotherCustomer));
        }
        if let Some(id) = external_id {
            let tenant_id = self.tenant_id;
            let named = imports::license_by_external_id(self.tx(), tenant_id, id).await?;
            if named.is_some_and(|l| l.id != held.id) {
                return Ok(Err(Refusal::IdOnAnotherLicense { id: id.to_owned() }));
            }
        }
        self.report.add(ImportObject::License, false);
        Ok(Ok(()))
    }

    /// The product's name for a short code, made (named as its code) when the tenant has none.
    async fn product(&mut self, code: &str) -> Result<Row<String>> {
        let (tenant_id, now) = (self.tenant_id, self.now);
        if let Some(found) = products::by_code(self.tx(), tenant_id, code).await? {
            self.count(ImportObject::Product, false, code);
            return Ok(Ok(found.name));
        }
        if products::insert(self.tx(), tenant_id, code, code, now).await? {
            self.count(ImportObject::Product, true, code);
            return Ok(Ok(code.to_owned()));
        }
        // Another product is named like this code: Keyport's names are unique.
        Ok(Err(Refusal::BadValue {
            field: "product__short_code".to_owned(),
            value: code.chars().take(40).collect(),
            expected: super::Expected::FreeProductCode,
        }))
    }

    /// The customer a row names: by reference, else by the person's account, else by company
    /// name.
    async fn find_customer(&mut self, customer: &CustomerRecord) -> Result<Option<String>> {
        let tenant_id = self.tenant_id;
        if let Some(reference) = &customer.reference {
            let found = customers::by_external_id(self.tx(), tenant_id, reference).await?;
            return Ok(found.map(|c| c.id));
        }
        if let Some(email) = &customer.email {
            if let Some(account) = accounts::by_email_in_tenant(self.tx(), tenant_id, email).await?
            {
                if account.customer_id.is_some() {
                    return Ok(account.customer_id);
                }
            }
        }
        match &customer.company {
            Some(name) => Ok(imports::customer_named(self.tx(), tenant_id, name).await?),
            None => Ok(None),
        }
    }

    async fn create_customer(
        &mut self,
        name: &str,
        customer: &CustomerRecord,
        line: u64,
    ) -> Result<String> {
        let (id, tenant_id, now) = (new_id(), self.tenant_id, self.now);
        customers::insert(self.tx(), &id, tenant_id, name, now).await?;
        if let Some(reference) = &customer.reference {
            customers::set_external_id(self.tx(), &id, reference).await?;
        }
        self.audit(None, AuditAction::CustomerImported, name, line)
            .await?;
        self.report.add(ImportObject::Customer, true);
        Ok(id)
    }

    /// The customer's account for an address, made without a password when there is none;
    /// refused when the address is someone else's.
    async fn account(
        &mut self,
        customer_id: &str,
        email: &str,
        name: Option<&str>,
        line: u64,
    ) -> Result<Row<String>> {
        let tenant_id = self.tenant_id;
        if let Some(found) = accounts::by_email_in_tenant(self.tx(), tenant_id, email).await? {
            if found.customer_id.as_deref() != Some(customer_id) {
                return Ok(Err(Refusal::EmailOfAnotherCustomer {
                    email: email.to_owned(),
                }));
            }
            self.count(ImportObject::Account, false, email);
            return Ok(Ok(found.id));
        }
        let id = new_id();
        let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(email));
        let now = self.now;
        accounts::insert(
            self.tx(),
            &accounts::AccountRow {
                id: &id,
                tenant_id,
                customer_id: Some(customer_id),
                kind: "customer",
                email,
                name,
                password_hash: NO_PASSWORD,
                password_set: false,
                created_at: now,
            },
        )
        .await?;
        self.audit(None, AuditAction::UserImported, email, line)
            .await?;
        self.count(ImportObject::Account, true, email);
        Ok(Ok(id))
    }

    /// Gives an account a seat it does not have: the caller looked (a users row) or made the
    /// license just now (its owner's first seat), and checked the seat limit.
    async fn seat(
        &mut self,
        license_id: &str,
        account_id: &str,
        email: &str,
        role: LicenseRole,
        line: u64,
    ) -> Result<()> {
        let now = self.now;
        seats::insert(self.tx(), license_id, account_id, role.as_str(), now).await?;
        self.audit(Some(license_id), AuditAction::SeatImported, email, line)
            .await?;
        self.report.add(ImportObject::Seat, true);
        Ok(())
    }
}
