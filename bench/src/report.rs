//! The run's report: the table of every scenario on every database, and the login bursts.

use crate::{burst, Args, BurstRow, Row};

pub(crate) fn print_table(args: &Args, rows: &[Row]) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!();
    println!(
        "keyport-bench: {} apps on keep-alive HTTP/1.1, {} s per scenario ({} s for password \
         activations) after {} s warm-up; {cores} cores shared by the server, the database and \
         this load generator",
        args.concurrency,
        args.duration,
        args.password_duration.max(1),
        args.warmup
    );
    println!(
        "{:<9} {:<25} {:>8} {:>8} {:>8} {:>8} {:>6} {:>7} {:<12} {:>7} {:>9}",
        "database",
        "scenario",
        "requests",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "ratio",
        "to",
        "srv CPU",
        "CPU us/req"
    );
    for row in rows {
        let o = &row.outcome;
        let ms = |q| o.percentile_ms(q).map_or("-".into(), |v| format!("{v:.2}"));
        let ratio = if row.baseline > 0.0 {
            format!("{:.4}", o.rate() / row.baseline)
        } else {
            "-".into()
        };
        let (cpu, per_request) = match row.server_cpu {
            Some(cores) if o.ok > 0 => (
                format!("{:.0}%", cores * 100.0),
                format!("{:.0}", cores * 1e6 / o.rate()),
            ),
            _ => ("-".into(), "-".into()),
        };
        println!(
            "{:<9} {:<25} {:>8} {:>8.0} {:>8} {:>8} {:>6} {:>7} {:<12} {:>7} {:>9}",
            row.backend,
            row.scenario,
            o.requests(),
            o.rate(),
            ms(0.50),
            ms(0.99),
            o.errors,
            ratio,
            row.versus,
            cpu,
            per_request
        );
    }
    println!(
        "ratio: req/s over the req/s of the row named under `to` (the baseline: a constant JSON \
         body; the commit loop: one-row inserts through a pool like the server's), measured in \
         the same run; srv CPU: \
         the server process's CPU (100% = one core; on Postgres the database's own processes \
         are not counted), CPU us/req: that CPU per request"
    );
}

pub(crate) fn print_bursts(bursts: &[BurstRow]) {
    if bursts.is_empty() {
        return;
    }
    let mib = |kib: u64| format!("{:.1}", kib as f64 / 1024.0);
    println!();
    println!(
        "login burst: simultaneous activations by password with unknown emails at a fresh server \
         (RSS in MiB: idle 2 s after start, peak, {} s after the burst)",
        burst::SETTLE.as_secs()
    );
    println!(
        "{:<9} {:>8} {:>8} {:>8} {:>8} {:>9}  {:<28} correct login",
        "database", "requests", "idle", "peak", "settled", "burst s", "answers"
    );
    for b in bursts {
        let r = &b.report;
        let answers = r
            .statuses
            .iter()
            .map(|(status, n)| match status {
                0 => format!("{n}x no answer"),
                s => format!("{n}x{s}"),
            })
            .collect::<Vec<_>>()
            .join(" ");
        println!(
            "{:<9} {:>8} {:>8} {:>8} {:>8} {:>9.1}  {:<28} {} after {} tries",
            b.backend,
            r.requests,
            mib(r.idle_kib),
            mib(r.peak_kib),
            mib(r.settled_kib),
            r.burst.as_secs_f64(),
            answers,
            r.correct.0,
            r.correct.1
        );
    }
}
