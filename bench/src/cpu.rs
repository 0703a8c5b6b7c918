//! CPU time used by the server under test, from Linux's /proc: on a machine where the load
//! generator shares the cores, "how much CPU did one request cost the server" travels better
//! than requests/s alone. Elsewhere the figures are simply missing.

use std::time::Duration;

/// Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every mainstream architecture.
const TICK: Duration = Duration::from_millis(10);

/// User plus system time of the whole process `pid` so far.
pub fn process(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    ticks(&stat).map(|t| TICK * t)
}

/// User plus system time so far of this process's threads called `name` (the baseline
/// server's runtime names its threads).
pub fn threads_named(name: &str) -> Option<Duration> {
    let mut total = 0;
    // A thread that ends while this runs is skipped: its time is lost either way.
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let path = task.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        if comm.trim_end() == name {
            let stat = std::fs::read_to_string(path.join("stat")).unwrap_or_default();
            total += ticks(&stat).unwrap_or_default();
        }
    }
    Some(TICK * total)
}

/// utime + stime of a `stat` line: fields 14 and 15, counted after the `(comm)` field, which
/// may itself hold spaces.
fn ticks(stat: &str) -> Option<u32> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    u32::try_from(utime + stime).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_user_and_system_ticks_after_the_command_name() {
        let line = "42 (tokio (rt) x) S 1 42 42 0 -1 4194560 100 0 0 0 250 31 0 0 20 0 4 0";
        assert_eq!(ticks(line), Some(281));
        assert!(process(std::process::id()).is_some());
    }
}
