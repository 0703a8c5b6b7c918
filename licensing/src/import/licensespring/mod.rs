//! Reading a LicenseSpring export: the licenses CSV in the columns of LicenseSpring's own license
//! import, and the users and devices files as JSON lines in the field names of its management API.
//! Each row is checked here, before anything is written, and refused with its line number. The
//! CSV is read in this module, the JSON lines in `lines`, and both check their fields with `fields`.

mod fields;
mod lines;

pub use lines::{read_devices, read_users};

use self::fields::{bad, boolean, email, end_of, license_id, text};
use super::{Expected, ImportFile, Refusal, RefusedRow, UnsupportedKind};
use crate::input::{DAY_MS, MAX_DEVICES, MAX_SEATS, MAX_VALID_DAYS};
use crate::Millis;

/// The columns of LicenseSpring's license import (`/api/v1/licenses/import_from_csv/`), and
/// `license__id`, the numeric id its export and management API give a license. Columns Keyport
/// has no use for (the order's, the customer's address) are read and dropped without a word;
/// any other is reported once as unknown.
const KNOWN_COLUMNS: &[&str] = &[
    "license__id",
    "license__license_key",
    "product__short_code",
    "customer__email",
    "customer__first_name",
    "customer__last_name",
    "customer__company_name",
    "customer__phone",
    "customer__reference",
    "customer__address",
    "customer__postcode",
    "customer__state",
    "customer__city",
    "customer__country",
    "order__store_id",
    "order__type",
    "order__is_test",
    "order__is_trial",
    "order__download_id",
    "order__language",
    "order__campaign_params",
    "license__enabled",
    "license__max_activations",
    "license__allow_unlimited_activations",
    "license__validity_period",
    "license__valid_duration",
    "license__license_type",
    "license__enable_maintenance_period",
    "license__maintenance_period",
    "license__maintenance_duration",
    "license__is_trial",
    "license__max_consumptions",
    "license__subscription_id",
    "license__prevent_vm",
    "license__allow_overages",
    "license__max_overages",
    "license__reset_consumption",
    "license__consumption_period",
    "license__trial_days",
    "license__is_floating",
    "license__is_floating_cloud",
    "license__floating_users",
    "license__note",
    "license__max_license_users",
    "license__floating_timeout",
];

/// The longest text field an import keeps (names, codes, hardware ids).
const MAX_TEXT: usize = 200;

/// LicenseSpring's ids fit in 52 bits (Keyport answers them as JSON numbers every reader keeps
/// exact; see `licensespring::numeric_id`).
const MAX_LICENSE_ID: i64 = (1 << 52) - 1;

/// Who bought a license, as the row names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerRecord {
    pub reference: Option<String>,
    pub company: Option<String>,
    pub email: Option<String>,
    /// The person's name ("first last"), when the row gives one.
    pub person: Option<String>,
}

impl CustomerRecord {
    /// The name a new customer gets: the company, else the person, else the address.
    pub fn display_name(&self) -> Option<&str> {
        self.company
            .as_deref()
            .or(self.person.as_deref())
            .or(self.email.as_deref())
    }
}

/// One license row, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseRecord {
    pub line: u64,
    pub key: String,
    /// LicenseSpring's numeric license id, when the file has it.
    pub external_id: Option<i64>,
    pub product_code: String,
    pub customer: CustomerRecord,
    pub enabled: bool,
    pub max_activations: i64,
    pub max_users: i64,
    pub valid_until: Millis,
}

/// Which license a user or device row belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LicenseRef {
    /// LicenseSpring's numeric license id (`license`).
    Id(i64),
    /// The license key (`license_key`).
    Key(String),
}

impl LicenseRef {
    pub fn shown(&self) -> String {
        match self {
            Self::Id(id) => id.to_string(),
            Self::Key(key) => key.clone(),
        }
    }
}

/// One row of the users file: a license user (a manager with `is_manager`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub line: u64,
    pub license: LicenseRef,
    pub email: String,
    pub name: Option<String>,
    pub manager: bool,
}

/// One row of the devices file: a machine active on a license.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    pub line: u64,
    pub license: LicenseRef,
    pub hardware_id: String,
    pub name: String,
    pub os: String,
    pub activated_at: Millis,
    pub last_seen_at: Millis,
}

/// What a file's rows read as: the rows to import and the rows refused already.
#[derive(Debug, Clone)]
pub struct Read<T> {
    pub rows: Vec<T>,
    pub refused: Vec<RefusedRow>,
    /// The CSV's columns that are neither LicenseSpring's nor Keyport's.
    pub unknown_columns: Vec<String>,
}

impl<T> Default for Read<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            refused: Vec::new(),
            unknown_columns: Vec::new(),
        }
    }
}

/// Reads the licenses CSV. `now` dates perpetual licenses (valid for [`MAX_VALID_DAYS`] from the
/// import, the longest Keyport keeps).
pub fn read_licenses(csv: &[u8], now: Millis) -> Result<Read<LicenseRecord>, Refusal> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(csv);
    let headers = reader
        .headers()
        .map_err(|e| Refusal::Unreadable {
            detail: e.to_string(),
        })?
        .clone();
    for required in ["license__license_key", "product__short_code"] {
        if !headers.iter().any(|h| h == required) {
            return Err(Refusal::Missing {
                field: required.to_owned(),
            });
        }
    }
    let mut read = Read {
        unknown_columns: headers
            .iter()
            .filter(|h| !KNOWN_COLUMNS.contains(h))
            .map(str::to_owned)
            .collect(),
        ..Read::default()
    };
    for record in reader.records() {
        let (line, result) = match record {
            Ok(record) => {
                let line = record.position().map_or(0, csv::Position::line);
                let row = Row {
                    headers: &headers,
                    record: &record,
                };
                (line, license_row(&row, line, now))
            }
            Err(e) => (
                e.position().map_or(0, csv::Position::line),
                Err(Refusal::Unreadable {
                    detail: e.to_string(),
                }),
            ),
        };
        match result {
            Ok(row) => read.rows.push(row),
            Err(refusal) => read.refused.push(RefusedRow {
                file: ImportFile::Licenses,
                line,
                refusal,
            }),
        }
    }
    Ok(read)
}

/// A CSV record with its header, read by column name.
struct Row<'a> {
    headers: &'a csv::StringRecord,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    /// The column's text; `None` when absent or empty.
    fn get(&self, column: &str) -> Result<Option<String>, Refusal> {
        let value = self
            .headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| self.record.get(i))
            .unwrap_or_default();
        text(column, value)
    }

    fn required(&self, column: &str) -> Result<String, Refusal> {
        self.get(column)?.ok_or_else(|| Refusal::Missing {
            field: column.to_owned(),
        })
    }

    fn flag(&self, column: &str, default: bool) -> Result<bool, Refusal> {
        match self.get(column)? {
            None => Ok(default),
            Some(v) => boolean(column, &v),
        }
    }

    fn count(&self, column: &str, default: i64, max: i64) -> Result<i64, Refusal> {
        match self.get(column)? {
            None => Ok(default),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if (0..=max).contains(&n) => Ok(n),
                _ => Err(bad(column, &v, Expected::WholeNumber { max })),
            },
        }
    }
}

fn license_row(row: &Row<'_>, line: u64, now: Millis) -> Result<LicenseRecord, Refusal> {
    let key = row.required("license__license_key")?;
    let product_code = row.required("product__short_code")?;
    let external_id = match row.get("license__id")? {
        None => None,
        Some(v) => Some(license_id("license__id", &v)?),
    };
    for column in ["license__is_floating", "license__is_floating_cloud"] {
        if row.flag(column, false)? {
            return Err(Refusal::Unsupported {
                kind: UnsupportedKind::Floating,
            });
        }
    }
    let valid_until = match row.get("license__license_type")?.as_deref() {
        None | Some("perpetual") => now.saturating_add(MAX_VALID_DAYS * DAY_MS),
        Some("time-limited" | "subscription") => {
            let end = row.required("license__validity_period")?;
            end_of("license__validity_period", &end)?
        }
        Some("consumption") => {
            return Err(Refusal::Unsupported {
                kind: UnsupportedKind::Consumption,
            })
        }
        Some(other) => return Err(bad("license__license_type", other, Expected::LicenseType)),
    };
    let max_activations = if row.flag("license__allow_unlimited_activations", false)? {
        MAX_DEVICES
    } else {
        row.count("license__max_activations", 1, MAX_DEVICES)?
    };
    // LicenseSpring's 0 is "no limit"; Keyport's largest seat count stands for it.
    let max_users = match row.count("license__max_license_users", 1, MAX_SEATS)? {
        0 => MAX_SEATS,
        n => n,
    };
    let first = row.get("customer__first_name")?;
    let last = row.get("customer__last_name")?;
    let person = full_name(first, last);
    let email = match row.get("customer__email")? {
        None => None,
        Some(v) => Some(email("customer__email", &v)?),
    };
    Ok(LicenseRecord {
        line,
        key,
        external_id,
        product_code,
        customer: CustomerRecord {
            reference: row.get("customer__reference")?,
            company: row.get("customer__company_name")?,
            email,
            person,
        },
        enabled: row.flag("license__enabled", true)?,
        max_activations,
        max_users,
        valid_until,
    })
}

/// "First Last" from the parts a row gives, or none when it gives neither.
fn full_name(first: Option<String>, last: Option<String>) -> Option<String> {
    match (first, last) {
        (None, None) => None,
        (first, last) => Some(
            [first, last]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_764_547_200_000; // 2025-12-01

    #[test]
    fn a_licensespring_csv_reads_with_its_refusals_by_line() {
        let csv = "license__license_key,product__short_code,customer__email,customer__first_name,\
customer__last_name,license__license_type,license__validity_period,license__max_activations,\
license__id,shop__colour\n\
AAAA-BBBB,KP1,ann@example.com,Ann,Lee,perpetual,,3,1702983098133459,red\n\
CCCC-DDDD,KP1,bob@example.com,,,subscription,2030-01-31,2,,\n\
EEEE-FFFF,KP1,,,,subscription,31/01/2030,2,,\n\
,KP1,,,,,,,,\n\
GGGG-HHHH,KP1,,,,consumption,,,,\n";
        let read = read_licenses(csv.as_bytes(), NOW).unwrap();
        assert_eq!(read.unknown_columns, vec!["shop__colour".to_owned()]);
        assert_eq!(read.rows.len(), 2);
        let ann = &read.rows[0];
        assert_eq!((ann.line, ann.key.as_str()), (2, "AAAA-BBBB"));
        assert_eq!(ann.external_id, Some(1_702_983_098_133_459));
        assert_eq!(ann.customer.person.as_deref(), Some("Ann Lee"));
        assert_eq!(ann.max_activations, 3);
        assert_eq!(ann.valid_until, NOW + MAX_VALID_DAYS * DAY_MS);
        // Through the 31st: valid until 2030-02-01T00:00Z.
        assert_eq!(read.rows[1].valid_until, 1_896_134_400_000);
        let lines: Vec<u64> = read.refused.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![4, 5, 6]);
        assert!(
            matches!(&read.refused[0].refusal, Refusal::BadValue { field, .. } if field == "license__validity_period")
        );
        assert!(
            matches!(&read.refused[1].refusal, Refusal::Missing { field } if field == "license__license_key")
        );
        assert!(matches!(
            &read.refused[2].refusal,
            Refusal::Unsupported { .. }
        ));
    }

    #[test]
    fn a_csv_without_a_required_column_is_refused_whole() {
        let refusal = read_licenses(b"license__license_key\nAAAA\n", NOW).unwrap_err();
        assert_eq!(
            refusal,
            Refusal::Missing {
                field: "product__short_code".into()
            }
        );
    }

    #[test]
    fn hostile_fields_are_refused_not_stored() {
        let csv = "license__license_key,product__short_code,license__max_activations,license__id\n\
\"AA\u{0}BB\",KP1,1,\n\
AABB,KP1,99999999999999999999,\n\
AABC,KP1,-1,\n\
AABD,KP1,1,9007199254740993\n";
        let read = read_licenses(csv.as_bytes(), NOW).unwrap();
        assert!(read.rows.is_empty());
        assert_eq!(read.refused.len(), 4);
    }

    #[test]
    fn devices_and_users_read_as_json_lines() {
        let devices = "{\"license\": 101, \"hardware_id\": \"hw-1\", \"hostname\": \"Ann's PC\", \"os\": \"Windows 11\", \"time_activated\": \"2024-09-27T23:30:48.016Z\"}\n\
\n\
{\"license_key\": \"AAAA-BBBB\", \"hardware_id\": \"hw-2\", \"is_active\": false}\n\
{\"license\": \"x\", \"hardware_id\": \"hw-3\"}\n\
not json\n";
        let read = read_devices(devices, NOW);
        assert_eq!(read.rows.len(), 1);
        assert_eq!(read.rows[0].license, LicenseRef::Id(101));
        assert_eq!(read.rows[0].activated_at, 1_727_479_848_016);
        assert_eq!(read.rows[0].last_seen_at, 1_727_479_848_016);
        let lines: Vec<u64> = read.refused.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![4, 5]);

        let users = "{\"license_key\": \"AAAA-BBBB\", \"email\": \"Uma@Example.com\", \"first_name\": \"Uma\", \"is_manager\": true}\n\
{\"license_key\": \"AAAA-BBBB\", \"email\": \"nobody\"}\n";
        let read = read_users(users);
        assert_eq!(read.rows[0].email, "uma@example.com");
        assert!(read.rows[0].manager);
        assert_eq!(read.refused[0].line, 2);
    }
}
