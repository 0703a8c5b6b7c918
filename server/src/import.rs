//! `keyport import licensespring`: reads the export's files, runs the import with a progress bar
//! (rows per second, time left) when stderr is a terminal, and prints the report in English from
//! the catalogs, or as JSON. Refused rows make the command fail after the rest was imported.

use std::path::Path;

use app::i18n::count_in;
use app::i18n::Locale;
use app::import_text::report_lines_in;
use indicatif::{ProgressBar, ProgressStyle};
use licensing::import::{import_licensespring, notify_imported, ImportFiles, ImportOptions};
use licensing::mail::Portal;
use licensing::Store;

use crate::admin::english;
use crate::config::LicensespringImport;

pub async fn licensespring(
    store: &Store,
    args: &LicensespringImport,
    portal: &Portal,
) -> Result<(), String> {
    let tenant_id = licensing::tenants::by_company(store, &args.company)
        .await
        .map_err(|e| english(&e))?;
    let result = if args.licenses.is_none() && args.users.is_none() && args.devices.is_none() {
        if !args.notify {
            return Err("nothing to import: give --licenses, --users or --devices".into());
        }
        Ok(())
    } else {
        import(store, &tenant_id, args).await
    };
    // The invitations go out after whatever was imported, refused rows or not.
    if args.notify {
        let sent = notify_imported(store, &tenant_id, portal)
            .await
            .map_err(|e| english(&e))?;
        println!("{}", count_in(Locale::En, "import-notified", sent as i64));
    }
    result
}

async fn import(store: &Store, tenant_id: &str, args: &LicensespringImport) -> Result<(), String> {
    let files = ImportFiles {
        licenses: args
            .licenses
            .as_deref()
            .map(std::fs::read)
            .transpose()
            .map_err(|e| unreadable(args.licenses.as_deref(), &e))?,
        users: read_text(args.users.as_deref())?,
        devices: read_text(args.devices.as_deref())?,
    };
    let options = ImportOptions {
        dry_run: args.dry_run,
        license_type: args.license_type,
        max_deactivations: args.deactivations,
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {per_sec}  {eta} left")
            .map_err(|e| e.to_string())?,
    );
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let report = import_licensespring(store, tenant_id, &files, &options, &progress)
        .await
        .map_err(|e| english(&e))?;
    bar.finish_and_clear();
    if args.json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        for line in report_lines_in(Locale::En, &report) {
            println!("{line}");
        }
    }
    match (report.refused.len(), report.dry_run) {
        (0, _) => Ok(()),
        (n, true) => Err(format!("{n} rows would be refused")),
        (n, false) => Err(format!("{n} rows refused; everything else was imported")),
    }
}

fn read_text(path: Option<&Path>) -> Result<Option<String>, String> {
    path.map(std::fs::read_to_string)
        .transpose()
        .map_err(|e| unreadable(path, &e))
}

fn unreadable(path: Option<&Path>, e: &std::io::Error) -> String {
    let shown = path.map(|p| p.display().to_string()).unwrap_or_default();
    format!("cannot read {shown}: {e}")
}
