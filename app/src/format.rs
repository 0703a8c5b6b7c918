//! How times, dates and counts read on the portal's pages.
//!
//! Imports only the catalogs (`i18n`), so the banner, the notes and every page can use it.

use licensing::Millis;

/// A UTC date and time, e.g. `2026-11-27 20:44 UTC`.
pub fn format_time(ms: Millis) -> String {
    match utc(ms) {
        Some(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            t.year, t.month, t.day, t.hour, t.minute
        ),
        None => OUT_OF_RANGE.into(),
    }
}

/// A UTC date, e.g. `2026-11-27`.
pub fn format_date(ms: Millis) -> String {
    match utc(ms) {
        Some(t) => format!("{:04}-{:02}-{:02}", t.year, t.month, t.day),
        None => OUT_OF_RANGE.into(),
    }
}

/// What a time no page can show (outside the years 0 to 9999) reads as.
const OUT_OF_RANGE: &str = "—";

/// A moment in UTC, to the minute.
struct Utc {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
}

/// `ms` after the epoch in UTC, or `None` outside the years 0 to 9999. Worked out here, not with
/// the `time` crate: its formatting was 15 KB of the WASM that every page loads, for the offline
/// banner's clock. The tests check it against `time` across the range.
fn utc(ms: Millis) -> Option<Utc> {
    let minutes = ms.div_euclid(60_000);
    let (days, minute_of_day) = (minutes.div_euclid(1_440), minutes.rem_euclid(1_440));
    // Counted from 0000-03-01, so each year ends with February and its leap day, in 400-year
    // cycles of 146,097 days that the Gregorian calendar repeats exactly.
    let since_march = days.checked_add(719_468)?;
    let (cycle, day_of_cycle) = (
        since_march.div_euclid(146_097),
        since_march.rem_euclid(146_097),
    );
    // Years of 365 days, less one day every 4 years, plus one back every 100, less every 400.
    let year_of_cycle = (day_of_cycle - day_of_cycle / 1_460 + day_of_cycle / 36_524
        - day_of_cycle / 146_096)
        / 365;
    let day_of_year =
        day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 - year_of_cycle / 100);
    // Months from March run 31, 30, 31, 30, 31 days, twice, then 31, 29: 153 days per 5.
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = (month_from_march + 2) % 12 + 1;
    let year = cycle * 400 + year_of_cycle + i64::from(month <= 2);
    (0..=9999).contains(&year).then_some(Utc {
        year,
        month,
        day,
        hour: minute_of_day / 60,
        minute: minute_of_day % 60,
    })
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
        assert_eq!(format_time(-1), "1969-12-31 23:59 UTC");
        assert_eq!(format_date(951_782_400_000), "2000-02-29");
        for out in [i64::MAX, i64::MIN, -62_167_219_200_001, 253_402_300_800_000] {
            assert_eq!(format_date(out), "—", "{out}");
            assert_eq!(format_time(out), "—", "{out}");
        }
    }

    /// The calendar worked out by hand reads as the `time` crate's does, from the first minute of
    /// year 0 to the last of 9999, leap days and centuries included.
    #[test]
    fn times_read_as_the_time_crate_reads_them() {
        let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
        let by_time = |ms: i64| {
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
                .unwrap()
                .format(format)
                .unwrap()
        };
        let first = -62_167_219_200_000_i64;
        let last = 253_402_300_799_999_i64;
        // A week and 13 minutes and a bit: over ten thousand years it lands on every minute of the
        // day and every day of every month.
        let step = 3_600_000 * 24 * 7 + 60_000 * 13 + 7;
        // The range's ends, and either side of 2000's leap day and of 2100's missing one.
        let edges = [
            first,
            last,
            951_868_799_999,
            951_868_800_000,
            4_107_542_399_999,
            4_107_542_400_000,
        ];
        for ms in (first..=last).step_by(step).chain(edges) {
            assert_eq!(format_time(ms), by_time(ms), "{ms}");
        }
    }
}
