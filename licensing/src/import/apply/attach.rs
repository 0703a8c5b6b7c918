//! The users and devices rows of an import: each attaches to a license imported before (in this
//! run or an earlier one), locked for its seat or device limit, and writes nothing when refused.

use super::{Row, Work};
use crate::audit::AuditAction;
use crate::error::Result;
use crate::import::{DeviceRecord, ImportObject, LicenseRef, Refusal, UserRecord};
use crate::licenses::{key_hash, LicenseRole};
use crate::store::licenses::{self as license_rows, LicenseRow};
use crate::store::{accounts, devices, imports, new_id, seats};

impl Work<'_> {
    /// The tenant's license a users or devices row names, locked for its limit check.
    async fn license_of(&mut self, named: &LicenseRef) -> Result<Row<LicenseRow>> {
        let tenant_id = self.tenant_id;
        let found = match named {
            LicenseRef::Id(id) => {
                imports::license_by_external_id(self.tx(), tenant_id, &id.to_string()).await?
            }
            LicenseRef::Key(key) => imports::license_by_key_hash(self.tx(), &key_hash(key))
                .await?
                .filter(|l| l.tenant_id == tenant_id),
        };
        let Some(license) = found else {
            return Ok(Err(Refusal::UnknownLicense {
                license: named.shown(),
            }));
        };
        let store = self.store;
        store.lock_license(self.tx(), &license.id).await?;
        // Read again under the lock: the counts are what the limit is checked against.
        let locked = license_rows::get(self.tx(), &license.id).await?;
        Ok(locked.ok_or_else(|| Refusal::UnknownLicense {
            license: named.shown(),
        }))
    }

    pub(super) async fn user(&mut self, row: &UserRecord) -> Result<Row> {
        let license = match self.license_of(&row.license).await? {
            Ok(license) => license,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let seen = (license.id.clone(), row.email.clone());
        if let Some(first) = self.seats.get(&seen) {
            return Ok(Err(Refusal::Duplicate { line: *first }));
        }
        self.seats.insert(seen, row.line);
        // A full license is checked before any account is made: a refused row writes nothing.
        // Only a person who holds a seat already passes it (and is counted as there).
        if license.seats_used >= license.max_users
            && !self.holds_seat(&license.id, &row.email).await?
        {
            return Ok(Err(Refusal::SeatLimit {
                allowed: license.max_users,
            }));
        }
        let account_id = match self
            .account(
                &license.customer_id,
                &row.email,
                row.name.as_deref(),
                row.line,
            )
            .await?
        {
            Ok(id) => id,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if seats::get(self.tx(), &license.id, &account_id)
            .await?
            .is_some()
        {
            self.report.add(ImportObject::Seat, false);
            return Ok(Ok(()));
        }
        let role = if row.manager {
            LicenseRole::Manager
        } else {
            LicenseRole::User
        };
        self.seat(&license.id, &account_id, &row.email, role, row.line)
            .await?;
        Ok(Ok(()))
    }

    /// Whether the tenant's account of this address holds a seat on the license.
    async fn holds_seat(&mut self, license_id: &str, email: &str) -> Result<bool> {
        let tenant_id = self.tenant_id;
        Ok(
            match accounts::by_email_in_tenant(self.tx(), tenant_id, email).await? {
                Some(found) => seats::get(self.tx(), license_id, &found.id)
                    .await?
                    .is_some(),
                None => false,
            },
        )
    }

    pub(super) async fn device(&mut self, row: &DeviceRecord) -> Result<Row> {
        let license = match self.license_of(&row.license).await? {
            Ok(license) => license,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let seen = (license.id.clone(), row.hardware_id.clone());
        if let Some(first) = self.devices.get(&seen) {
            return Ok(Err(Refusal::Duplicate { line: *first }));
        }
        self.devices.insert(seen, row.line);
        let active =
            devices::active_with_hardware(self.tx(), &license.id, &row.hardware_id).await?;
        if active.is_some() {
            self.report.add(ImportObject::Device, false);
            return Ok(Ok(()));
        }
        if license.devices_active >= license.max_activations {
            return Ok(Err(Refusal::DeviceLimit {
                allowed: license.max_activations,
            }));
        }
        let id = new_id();
        devices::insert(
            self.tx(),
            &devices::NewDeviceRow {
                id: &id,
                license_id: &license.id,
                account_id: None,
                hardware_id: &row.hardware_id,
                name: &row.name,
                os: &row.os,
                now: row.activated_at,
                last_seen_at: row.last_seen_at,
                token_hash: None,
            },
        )
        .await?;
        self.audit(
            Some(&license.id),
            AuditAction::DeviceImported,
            &row.name,
            row.line,
        )
        .await?;
        self.report.add(ImportObject::Device, true);
        Ok(Ok(()))
    }
}
