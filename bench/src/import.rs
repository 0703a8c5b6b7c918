//! `--import`: how long moving a large vendor in from LicenseSpring takes. Writes a LicenseSpring
//! export of `--import-licenses` licenses (100,000) with `--import-devices-per-license` active
//! devices each (3), then times `keyport import licensespring --json` into a fresh tenant of each
//! database, once per database, after every other scenario, with no server running.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use licensing::import::{ImportObject, ImportReport};

use crate::Args;

/// The columns the export has, in the order LicenseSpring's license import names them.
const HEADER: &str = "license__id,license__license_key,product__short_code,customer__email,\
customer__first_name,customer__last_name,customer__company_name,customer__reference,\
license__license_type,license__validity_period,license__max_activations,\
license__max_license_users,license__enabled";

/// One product line sold as several products: Keyport keeps one license per customer and
/// product, so a customer's licenses are each of another product.
const PRODUCTS: [&str; 5] = [
    "atlas-desktop",
    "atlas-server",
    "atlas-cloud",
    "atlas-mobile",
    "atlas-cli",
];

/// LicenseSpring's numeric ids are 16 digits and stay below 2^52 (the import refuses larger).
const FIRST_LICENSE_ID: u64 = 1_702_983_098_133_459;

/// The characters of LicenseSpring-style keys: no 0/O or 1/I, which people mistype.
const KEY_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

const FIRST: [&str; 16] = [
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Linus", "Margaret", "Dennis", "Radia", "Ken",
    "Frances", "John", "Hedy", "Tim", "Sophie", "Niklaus",
];
const LAST: [&str; 16] = [
    "Byron", "Hopper", "Turing", "Dijkstra", "Liskov", "Torvalds", "Hamilton", "Ritchie",
    "Perlman", "Thompson", "Allen", "Backus", "Lamarr", "Wilson", "Wirth", "Kay",
];
const COMPANY_START: [&str; 12] = [
    "North", "Blue", "Iron", "Bright", "Silver", "Red", "Green", "Stone", "Oak", "River", "Summit",
    "Harbor",
];
const COMPANY_END: [&str; 8] = [
    "wind", "field", "bridge", "gate", "works", "point", "line", "forge",
];
const COMPANY_KIND: [&str; 8] = [
    "Traders",
    "Labs",
    "GmbH",
    "Systems",
    "Ltd",
    "Studio",
    "Engineering",
    "Group",
];
const OS: [&str; 6] = [
    "Windows 11",
    "Windows 10",
    "macOS 15",
    "macOS 14",
    "Ubuntu 24.04",
    "Fedora 41",
];
const MACHINE: [&str; 4] = ["laptop", "desktop", "build", "workstation"];

/// What a correct import of the export creates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub products: u64,
    pub customers: u64,
    pub licenses: u64,
    pub devices: u64,
}

/// The export on disk and what importing it must create.
#[derive(Debug, Clone)]
pub struct Export {
    pub licenses: PathBuf,
    pub devices: PathBuf,
    pub counts: Counts,
}

/// One database's import, timed.
pub struct Imported {
    pub counts: Counts,
    pub seconds: f64,
}

/// Writes the export and imports it into each database given (the first commit mode asked for
/// SQLite: the others would write the same rows into the same file); returns each database's
/// result.
pub(crate) fn run(args: &Args) -> Vec<(String, Result<Imported, String>)> {
    // Keys are unique across the whole server, and a database given with
    // $KEYPORT_BENCH_DATABASE_URL is not emptied between runs: each run's keys are its own.
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let dir = args.log_dir.join("import");
    eprintln!(
        "== import: writing a LicenseSpring export of {} licenses, {} devices to {}",
        args.import_licenses,
        u64::from(args.import_licenses) * u64::from(args.import_devices_per_license),
        dir.display()
    );
    let export = match write_export(
        &dir,
        args.import_licenses,
        args.import_devices_per_license,
        seed,
    ) {
        Ok(export) => export,
        Err(err) => {
            let err = format!("writing the export to {}: {err}", dir.display());
            return vec![("every database".to_owned(), Err(err))];
        }
    };
    let company = format!("bench{seed}-import");
    let mut seen = HashSet::new();
    let mut results = Vec::new();
    for (url, backend, env) in crate::targets(args) {
        if !seen.insert(url.clone()) {
            continue;
        }
        eprintln!("== import on {backend}: {}", crate::redact(&url));
        let result = crate::keyport::demo_tenant(&args.keyport, &url, &company)
            .and_then(|()| import(&args.keyport, &url, &env, &company, &export))
            .map(|seconds| Imported {
                counts: export.counts,
                seconds,
            });
        match &result {
            Ok(imported) => eprintln!("   import: {:.1} s", imported.seconds),
            Err(err) => eprintln!("keyport-bench: {backend}: import: {err}"),
        }
        results.push((backend, result));
    }
    results
}

/// Runs the import and checks its report; returns its wall-clock seconds (process start, reading
/// the files and printing the report included: what a vendor waits for).
fn import(
    bin: &Path,
    url: &str,
    env: &[(&'static str, String)],
    company: &str,
    export: &Export,
) -> Result<f64, String> {
    let started = Instant::now();
    let out = Command::new(bin)
        .args(["import", "licensespring", "--company", company, "--json"])
        .arg("--licenses")
        .arg(&export.licenses)
        .arg("--devices")
        .arg(&export.devices)
        .env("DATABASE_URL", url)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        // Its progress bar shows on a terminal during the minutes it runs.
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // A refused row exits 1 with the report still printed: the report says which row and why.
    match parse_report(&stdout) {
        Some(report) => check(&report, &export.counts)?,
        None if out.status.success() => {
            return Err(format!("no JSON report in its output: {}", stdout.trim()))
        }
        None => {}
    }
    if !out.status.success() {
        return Err(format!(
            "keyport import licensespring exited with {}",
            out.status
        ));
    }
    Ok(seconds)
}

/// The report `--json` prints, past any log line before it.
fn parse_report(stdout: &str) -> Option<ImportReport> {
    let start = if stdout.starts_with('{') {
        0
    } else {
        stdout.find("\n{")? + 1
    };
    serde_json::Deserializer::from_str(&stdout[start..])
        .into_iter::<ImportReport>()
        .next()?
        .ok()
}

/// Whether the import took every row and created what the export holds.
fn check(report: &ImportReport, want: &Counts) -> Result<(), String> {
    if let Some(first) = report.refused.first() {
        return Err(format!(
            "{} rows refused; first: {}",
            report.refused.len(),
            serde_json::to_string(first).unwrap_or_default()
        ));
    }
    // Each customer has one email, the owner of each of its licenses, who takes a seat on each.
    let expected = [
        (ImportObject::Product, want.products),
        (ImportObject::Customer, want.customers),
        (ImportObject::Account, want.customers),
        (ImportObject::License, want.licenses),
        (ImportObject::Seat, want.licenses),
        (ImportObject::Device, want.devices),
    ];
    let wrong: Vec<String> = expected
        .iter()
        .filter(|(object, n)| report.created(*object) != *n)
        .map(|(object, n)| {
            format!(
                "{} created {} (want {n})",
                object.as_str(),
                report.created(*object)
            )
        })
        .collect();
    if report.dry_run {
        return Err("the report is a dry run's".into());
    }
    if !wrong.is_empty() {
        return Err(format!("unexpected report: {}", wrong.join(", ")));
    }
    Ok(())
}

/// The final output's lines, one per database.
pub(crate) fn print(results: &[(String, Result<Imported, String>)]) {
    if results.is_empty() {
        return;
    }
    println!();
    for (backend, result) in results {
        match result {
            Ok(i) => {
                let c = &i.counts;
                let seconds = i.seconds.max(0.001);
                println!(
                    "{backend}: import of {} licenses and {} devices ({} customers, {} products): \
                     {:.1} s ({:.0} licenses/s, {:.0} rows/s)",
                    c.licenses,
                    c.devices,
                    c.customers,
                    c.products,
                    i.seconds,
                    c.licenses as f64 / seconds,
                    (c.licenses + c.devices) as f64 / seconds
                );
            }
            Err(err) => println!("{backend}: import: failed: {err}"),
        }
    }
}

/// Writes `licenses.csv` and `devices.jsonl` into `dir`.
pub fn write_export(
    dir: &Path,
    licenses: u32,
    devices_per_license: u32,
    seed: u64,
) -> std::io::Result<Export> {
    std::fs::create_dir_all(dir)?;
    let (csv_path, jsonl_path) = (dir.join("licenses.csv"), dir.join("devices.jsonl"));
    let mut csv = BufWriter::new(File::create(&csv_path)?);
    let mut jsonl = BufWriter::new(File::create(&jsonl_path)?);
    let counts = generate(licenses, devices_per_license, seed, &mut csv, &mut jsonl)?;
    csv.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    jsonl.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(Export {
        licenses: csv_path,
        devices: jsonl_path,
        counts,
    })
}

/// The export itself. Who buys what does not depend on `seed`, so runs compare; the keys do.
/// Like a real customer base, half the customers have one license and a few have one of every
/// product; a quarter are people without a company.
pub fn generate(
    licenses: u32,
    devices_per_license: u32,
    seed: u64,
    csv: &mut impl Write,
    jsonl: &mut impl Write,
) -> std::io::Result<Counts> {
    writeln!(csv, "{HEADER}")?;
    let mut counts = Counts::default();
    let mut products = [false; PRODUCTS.len()];
    let mut n = 0_u32;
    let mut customer = 0_u64;
    while n < licenses {
        let c = customer;
        customer += 1;
        counts.customers += 1;
        let h = mix(c ^ 0xC057_0AE5);
        let owned = match h % 100 {
            0..=49 => 1,
            50..=74 => 2,
            75..=89 => 3,
            90..=96 => 4,
            _ => 5,
        };
        let first = FIRST[(h >> 8) as usize % FIRST.len()];
        let last = LAST[(h >> 12) as usize % LAST.len()];
        let (start, end) = (
            COMPANY_START[(h >> 16) as usize % COMPANY_START.len()],
            COMPANY_END[(h >> 20) as usize % COMPANY_END.len()],
        );
        let company = if (h >> 24).is_multiple_of(4) {
            String::new()
        } else {
            format!(
                "{start}{end} {}",
                COMPANY_KIND[(h >> 28) as usize % COMPANY_KIND.len()]
            )
        };
        let email = format!(
            "{}.{}@{}{}-{c}.example",
            first.to_lowercase(),
            last.to_lowercase(),
            start.to_lowercase(),
            end
        );
        for j in 0..owned {
            if n >= licenses {
                break;
            }
            let product = (c as usize + j) % PRODUCTS.len();
            products[product] = true;
            let id = FIRST_LICENSE_ID + u64::from(n);
            let l = mix(u64::from(n) ^ 0x11CE_45E5);
            let (kind, until) = match l % 20 {
                0..=9 => ("perpetual", String::new()),
                10..=16 => ("subscription", year_day(2027 + (l >> 8) % 5, l >> 12)),
                _ => ("time-limited", year_day(2027 + (l >> 8) % 5, l >> 12)),
            };
            let max_activations = u64::from(devices_per_license) + (l >> 16) % 3;
            let max_users = 1 + (l >> 20) % 5;
            // A few licenses were suspended before the move; their devices come along.
            let enabled = !(l >> 24).is_multiple_of(40);
            writeln!(
                csv,
                "{id},{},{},{email},{first},{last},{company},CRM-{c:06},{kind},{until},\
                 {max_activations},{max_users},{enabled}",
                license_key(seed, n),
                PRODUCTS[product],
            )?;
            for d in 0..devices_per_license {
                // Unique per device: `d` stays below 2^16 (`--import-devices-per-license` is at
                // most 1,000) and `mix` is a bijection.
                let m = mix((u64::from(n) << 16) | u64::from(d));
                writeln!(
                    jsonl,
                    "{{\"license\": {id}, \"hardware_id\": \"{:016x}{:016x}\", \"hostname\": \
                     \"{}-{:05}\", \"os\": \"{}\", \"time_activated\": \"{}\", \"last_check\": \
                     \"{}\"}}",
                    m,
                    mix(!m),
                    MACHINE[m as usize % MACHINE.len()],
                    (m >> 8) % 100_000,
                    OS[(m >> 24) as usize % OS.len()],
                    moment(2024, m >> 32),
                    moment(2025, m >> 40),
                )?;
                counts.devices += 1;
            }
            counts.licenses += 1;
            n += 1;
        }
    }
    counts.products = products.iter().filter(|&&used| used).count() as u64;
    Ok(counts)
}

/// A LicenseSpring-style key (`H62K-C35N-BS2J-VZ13`) unique to (`seed`, `n`): 64 of its 80 bits
/// are a bijection of both, so no two licenses of the runs of different seconds share one.
fn license_key(seed: u64, n: u32) -> String {
    let unique = mix(((seed & 0xFFFF_FFFF) << 32) | u64::from(n));
    let bits = (u128::from(unique) << 16) | u128::from(mix(unique) & 0xFFFF);
    let mut key = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            key.push('-');
        }
        let digit = (bits >> (75 - 5 * i)) & 31;
        key.push(char::from(KEY_ALPHABET[digit as usize]));
    }
    key
}

/// SplitMix64's finaliser: every step is invertible, so distinct inputs give distinct outputs.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A date of `year` picked by `h` (days 1 to 28: every month has them).
fn year_day(year: u64, h: u64) -> String {
    format!("{year}-{:02}-{:02}", 1 + h % 12, 1 + (h >> 4) % 28)
}

/// A moment of `year` picked by `h`, in RFC 3339 as LicenseSpring's API writes it.
fn moment(year: u64, h: u64) -> String {
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        year_day(year, h),
        (h >> 9) % 24,
        (h >> 14) % 60,
        (h >> 20) % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use licensing::import::{read_devices, read_licenses, LicenseRef};

    const NOW: i64 = 1_764_547_200_000; // 2025-12-01

    fn export(licenses: u32, devices: u32, seed: u64) -> (String, String, Counts) {
        let (mut csv, mut jsonl) = (Vec::new(), Vec::new());
        let counts = generate(licenses, devices, seed, &mut csv, &mut jsonl).unwrap();
        (
            String::from_utf8(csv).unwrap(),
            String::from_utf8(jsonl).unwrap(),
            counts,
        )
    }

    #[test]
    fn the_import_export_reads_without_a_refused_row() {
        let (csv, jsonl, counts) = export(2_000, 3, 1_770_000_000);
        assert_eq!(csv.lines().count(), 2_001);
        assert_eq!(jsonl.lines().count(), 6_000);
        assert_eq!((counts.licenses, counts.devices), (2_000, 6_000));
        assert_eq!(counts.products, PRODUCTS.len() as u64);
        // Several licenses per customer on average, fewer than one per product.
        assert!(
            counts.customers > 2_000 / 3 && counts.customers < 2_000,
            "{counts:?}"
        );

        let licenses = read_licenses(csv.as_bytes(), NOW).unwrap();
        assert!(licenses.refused.is_empty(), "{:?}", licenses.refused);
        assert!(licenses.unknown_columns.is_empty());
        assert_eq!(licenses.rows.len(), 2_000);
        let keys: HashSet<String> = licenses.rows.iter().map(|r| r.key.clone()).collect();
        let ids: HashSet<i64> = licenses.rows.iter().filter_map(|r| r.external_id).collect();
        assert_eq!((keys.len(), ids.len()), (2_000, 2_000));
        // One license per customer and product, as Keyport keeps them.
        let owned: HashSet<(String, String)> = licenses
            .rows
            .iter()
            .map(|r| {
                (
                    r.customer.reference.clone().unwrap(),
                    r.product_code.clone(),
                )
            })
            .collect();
        assert_eq!(owned.len(), 2_000);
        let references: HashSet<_> = licenses
            .rows
            .iter()
            .map(|r| &r.customer.reference)
            .collect();
        let emails: HashSet<_> = licenses.rows.iter().map(|r| &r.customer.email).collect();
        assert_eq!(references.len() as u64, counts.customers);
        assert_eq!(emails.len() as u64, counts.customers);

        let devices = read_devices(&jsonl, NOW);
        assert!(devices.refused.is_empty(), "{:?}", devices.refused);
        assert_eq!(devices.rows.len(), 6_000);
        let machines: HashSet<(LicenseRef, String)> = devices
            .rows
            .iter()
            .map(|d| (d.license.clone(), d.hardware_id.clone()))
            .collect();
        assert_eq!(machines.len(), 6_000);
        assert!(devices
            .rows
            .iter()
            .all(|d| matches!(d.license, LicenseRef::Id(id) if ids.contains(&id))));
    }

    #[test]
    fn the_same_seed_writes_the_same_export_and_another_seed_other_keys() {
        let (csv, jsonl, counts) = export(300, 2, 7);
        assert_eq!(export(300, 2, 7), (csv.clone(), jsonl.clone(), counts));
        // Who owns what stays from run to run; only the keys change.
        let (other, other_devices, other_counts) = export(300, 2, 8);
        assert_eq!((jsonl, counts), (other_devices, other_counts));
        let keys = |csv: &str| -> HashSet<String> {
            csv.lines()
                .skip(1)
                .map(|l| l.split(',').nth(1).unwrap().to_owned())
                .collect()
        };
        assert!(keys(&csv).is_disjoint(&keys(&other)));
        assert!(keys(&csv)
            .iter()
            .all(|k| k.len() == 19 && k.split('-').all(|g| g.len() == 4)));
    }

    #[test]
    fn a_report_is_found_after_log_lines_and_checked() {
        let want = Counts {
            products: 1,
            customers: 1,
            licenses: 2,
            devices: 6,
        };
        let text = "2026-01-01T00:00:00Z INFO something\n{\n  \"dry_run\": false, \"rows\": 8,\n  \
\"created\": [[\"product\", 1], [\"customer\", 1], [\"account\", 1], [\"license\", 2], \
[\"seat\", 2], [\"device\", 6]],\n  \"unchanged\": [], \"refused\": [], \"unknown_columns\": []\n}\n";
        let report = parse_report(text).unwrap();
        assert_eq!(check(&report, &want), Ok(()));
        let short = Counts { devices: 7, ..want };
        assert!(check(&report, &short)
            .unwrap_err()
            .contains("device created 6 (want 7)"));
    }
}
