//! How times, dates and counts read on the portal's pages.
//!
//! Imports only the catalogs (`i18n`), so the banner, the notes and every page can use it.

use licensing::Millis;

/// A UTC date and time, e.g. `2026-11-27 20:44 UTC`.
pub fn format_time(ms: Millis) -> String {
    utc(
        ms,
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC"),
    )
}

/// A UTC date, e.g. `2026-11-27`.
pub fn format_date(ms: Millis) -> String {
    utc(
        ms,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
}

/// `ms` after the epoch in UTC, or a dash when out of range.
fn utc(ms: Millis, format: &[time::format_description::BorrowedFormatItem<'_>]) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_else(|| "—".into())
}

/// `1 deactivation`, `2 deactivations`, in the page's language: `noun` names the catalog message
/// `count-{noun}`, which selects its singular or plural on `$n`.
pub fn count(n: i64, noun: &str) -> String {
    crate::i18n::t_count(&format!("count-{noun}"), n)
}

#[cfg(test)]
mod tests {
    use super::{count, format_date, format_time};

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(0, "deactivation"), "0 deactivations");
        assert_eq!(count(1, "deactivation"), "1 deactivation");
        assert_eq!(count(2, "deactivation"), "2 deactivations");
    }

    #[test]
    fn times_and_dates_are_utc() {
        assert_eq!(format_time(1_795_812_240_000), "2026-11-27 20:44 UTC");
        assert_eq!(format_date(1_795_812_240_000), "2026-11-27");
        assert_eq!(format_date(i64::MAX), "—");
    }
}
