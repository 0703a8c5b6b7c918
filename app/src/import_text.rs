//! How an import's report reads: its refusals, counts and notes as catalog keys with arguments,
//! rendered in a language (the CLI prints English; the console renders the reader's).

use licensing::import::{
    Expected, ImportFile, ImportObject, ImportReport, Refusal, RefusedRow, UnsupportedKind,
};

use crate::i18n::{count_in, lookup, text_in, Locale};

/// A catalog key with the values of its variables.
type Text = (&'static str, Vec<(&'static str, String)>);

fn refusal_key(locale: Locale, refusal: &Refusal) -> Text {
    match refusal {
        Refusal::Unreadable { detail } => (
            "import-refused-unreadable",
            vec![("detail", detail.clone())],
        ),
        Refusal::Missing { field } => ("import-refused-missing", vec![("field", field.clone())]),
        Refusal::BadValue {
            field,
            value,
            expected,
        } => (
            "import-refused-bad_value",
            vec![
                ("field", field.clone()),
                ("value", value.clone()),
                ("expected", expected_text_in(locale, expected)),
            ],
        ),
        Refusal::KeyOnAnotherCustomer => ("import-refused-key_on_another_customer", vec![]),
        Refusal::KeyTaken => ("import-refused-key_taken", vec![]),
        Refusal::IdOnAnotherLicense { id } => (
            "import-refused-id_on_another_license",
            vec![("id", id.clone())],
        ),
        Refusal::CustomerHasProduct { product } => (
            "import-refused-customer_has_product",
            vec![("product", product.clone())],
        ),
        Refusal::EmailOfAnotherCustomer { email } => (
            "import-refused-email_of_another_customer",
            vec![("email", email.clone())],
        ),
        Refusal::UnknownLicense { license } => (
            "import-refused-unknown_license",
            vec![("license", license.clone())],
        ),
        Refusal::Unsupported {
            kind: UnsupportedKind::Floating,
        } => ("import-refused-floating", vec![]),
        Refusal::Unsupported {
            kind: UnsupportedKind::Consumption,
        } => ("import-refused-consumption", vec![]),
        Refusal::DeviceLimit { allowed } => (
            "import-refused-device_limit",
            vec![("allowed", allowed.to_string())],
        ),
        Refusal::SeatLimit { allowed } => (
            "import-refused-seat_limit",
            vec![("allowed", allowed.to_string())],
        ),
        Refusal::Duplicate { line } => {
            ("import-refused-duplicate", vec![("line", line.to_string())])
        }
    }
}

fn expected_key(expected: &Expected) -> Text {
    match expected {
        Expected::WholeNumber { max } => (
            "import-expected-whole_number",
            vec![("max", max.to_string())],
        ),
        Expected::TrueOrFalse => ("import-expected-true_or_false", vec![]),
        Expected::LicenseType => ("import-expected-license_type", vec![]),
        Expected::LicenseId => ("import-expected-license_id", vec![]),
        Expected::Email => ("import-expected-email", vec![]),
        Expected::DateOrTime => ("import-expected-date_or_time", vec![]),
        Expected::PlainText => ("import-expected-plain_text", vec![]),
        Expected::AtMost { chars } => (
            "import-expected-at_most",
            vec![("chars", chars.to_string())],
        ),
        Expected::FreeProductCode => ("import-expected-free_product_code", vec![]),
    }
}

fn render(locale: Locale, (key, args): Text) -> String {
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    text_in(locale, key, &args)
}

fn expected_text_in(locale: Locale, expected: &Expected) -> String {
    render(locale, expected_key(expected))
}

/// Why a row was refused, in `locale`.
pub fn refusal_text_in(locale: Locale, refusal: &Refusal) -> String {
    render(locale, refusal_key(locale, refusal))
}

fn file_key(file: ImportFile) -> &'static str {
    match file {
        ImportFile::Licenses => "import-file-licenses",
        ImportFile::Users => "import-file-users",
        ImportFile::Devices => "import-file-devices",
    }
}

fn object_key(object: ImportObject) -> &'static str {
    match object {
        ImportObject::Product => "import-object-product",
        ImportObject::Customer => "import-object-customer",
        ImportObject::Account => "import-object-account",
        ImportObject::License => "import-object-license",
        ImportObject::Seat => "import-object-seat",
        ImportObject::Device => "import-object-device",
    }
}

/// A refused row as one line: its file, its line number and why.
pub fn refused_row_in(locale: Locale, row: &RefusedRow) -> String {
    let file = lookup(locale, file_key(row.file));
    let reason = refusal_text_in(locale, &row.refusal);
    text_in(
        locale,
        "import-refused-row",
        &[
            ("file", &file),
            ("line", &row.line.to_string()),
            ("reason", &reason),
        ],
    )
}

/// The report as lines of text: whether it was a dry run, per kind of object what was created
/// and what was there, ignored columns, then every refused row.
pub fn report_lines_in(locale: Locale, report: &ImportReport) -> Vec<String> {
    let mut lines = summary_lines_in(locale, report, report.refused.len() as u64);
    lines.extend(report.refused.iter().map(|row| refused_row_in(locale, row)));
    lines
}

/// The report's lines above its refused rows, the last of which counts the `refused` rows (a
/// page lists only the first of them; the report it shows may hold only those).
pub fn summary_lines_in(locale: Locale, report: &ImportReport, refused: u64) -> Vec<String> {
    let mut lines = Vec::new();
    if report.dry_run {
        lines.push(lookup(locale, "import-dry_run"));
    }
    for object in ImportObject::ALL {
        let (created, unchanged) = (report.created(object), report.unchanged(object));
        if created + unchanged == 0 {
            continue;
        }
        let key = if report.dry_run {
            "import-count-dry"
        } else {
            "import-count"
        };
        lines.push(text_in(
            locale,
            key,
            &[
                ("object", &lookup(locale, object_key(object))),
                ("created", &created.to_string()),
                ("unchanged", &unchanged.to_string()),
            ],
        ));
    }
    // Only when some row was accepted: a file whose rows were all refused did not "change nothing
    // because everything is here", and its refusals say so.
    if report.changed_nothing() && report.rows > refused {
        lines.push(lookup(locale, "import-nothing_changed"));
    }
    if !report.unknown_columns.is_empty() {
        lines.push(text_in(
            locale,
            "import-unknown_columns",
            &[("columns", &report.unknown_columns.join(", "))],
        ));
    }
    if refused > 0 {
        let key = if report.dry_run {
            "import-refused-dry"
        } else {
            "import-refused"
        };
        lines.push(count_in(locale, key, refused as i64));
    }
    lines
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::i18n::message_ids;

    fn refusals() -> Vec<Refusal> {
        let s = |t: &str| t.to_owned();
        let bad = |expected| Refusal::BadValue {
            field: s("f"),
            value: s("v"),
            expected,
        };
        vec![
            Refusal::Unreadable { detail: s("x") },
            Refusal::Missing { field: s("f") },
            bad(Expected::WholeNumber { max: 1 }),
            bad(Expected::TrueOrFalse),
            bad(Expected::LicenseType),
            bad(Expected::LicenseId),
            bad(Expected::Email),
            bad(Expected::DateOrTime),
            bad(Expected::PlainText),
            bad(Expected::AtMost { chars: 1 }),
            bad(Expected::FreeProductCode),
            Refusal::KeyOnAnotherCustomer,
            Refusal::KeyTaken,
            Refusal::IdOnAnotherLicense { id: s("1") },
            Refusal::CustomerHasProduct { product: s("P") },
            Refusal::EmailOfAnotherCustomer { email: s("e") },
            Refusal::UnknownLicense { license: s("1") },
            Refusal::Unsupported {
                kind: UnsupportedKind::Floating,
            },
            Refusal::Unsupported {
                kind: UnsupportedKind::Consumption,
            },
            Refusal::DeviceLimit { allowed: 1 },
            Refusal::SeatLimit { allowed: 1 },
            Refusal::Duplicate { line: 1 },
        ]
    }

    #[test]
    fn every_key_is_in_every_catalog() {
        let mut used: BTreeSet<&str> = BTreeSet::new();
        for refusal in refusals() {
            used.insert(refusal_key(Locale::En, &refusal).0);
            if let Refusal::BadValue { expected, .. } = refusal {
                used.insert(expected_key(&expected).0);
            }
        }
        used.extend([ImportFile::Licenses, ImportFile::Users, ImportFile::Devices].map(file_key));
        used.extend(ImportObject::ALL.map(object_key));
        used.extend([
            "import-refused-row",
            "import-dry_run",
            "import-count",
            "import-count-dry",
            "import-nothing_changed",
            "import-unknown_columns",
            "import-refused",
            "import-refused-dry",
            "import-notified",
        ]);
        for locale in Locale::ALL {
            let ids = message_ids(locale);
            let keys: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
            for key in &used {
                assert!(keys.contains(key), "{}.ftl lacks {key}", locale.code());
            }
            for key in keys.iter().filter(|k| k.starts_with("import-")) {
                assert!(used.contains(key), "{}.ftl: {key} is unused", locale.code());
            }
        }
    }

    #[test]
    fn a_report_reads_in_english() {
        let mut report = ImportReport {
            rows: 3,
            ..ImportReport::default()
        };
        report.add(ImportObject::License, true);
        report.add(ImportObject::License, false);
        report.refused.push(RefusedRow {
            file: ImportFile::Devices,
            line: 7,
            refusal: Refusal::DeviceLimit { allowed: 2 },
        });
        let lines = report_lines_in(Locale::En, &report);
        assert_eq!(
            lines,
            vec![
                "Licenses: 1 created, 1 already there".to_owned(),
                "1 row refused (the rest was imported):".to_owned(),
                "devices file, line 7: the license's device limit (2) is reached; the device was not imported".to_owned(),
            ]
        );
    }
}
