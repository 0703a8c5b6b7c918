//! `--scale`: the database a large vendor has. One tenant gets 100,000 customers, each with a
//! license of ten active devices (1,000,000 devices), written through the `licensing` store's
//! pool in batches of multi-row inserts (the triggers that keep each license's device count run
//! as for any insert). The check-ins, an activation run and the Devices tab are then measured
//! again next to the small database's figures.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::StatusCode;
use licensing::demo::DEMO_PASSWORD;

use crate::keyport::{self, get, post_json};
use crate::load::Plan;
use crate::{by_key, pages, scenario, Args, Row, ACTIVATIONS, DEVICE};

use licensing::Store;

/// What the scale run measures against.
pub struct Seeded {
    /// Device tokens of seeded devices, one per simulated app.
    pub tokens: Vec<String>,
    /// A seeded license with a key, for activations.
    pub license_key: String,
    pub customers: usize,
    pub devices: usize,
    pub seconds: f64,
}

const DEVICES_PER_LICENSE: usize = 10;
/// Rows per `INSERT`: well under both databases' limits on bound values.
const BATCH: usize = 500;

/// Seeds `customers` customers (each with one license of ten devices) into the tenant of
/// `company`; `apps` of the devices get a known token for the check-ins.
pub async fn seed(
    url: &str,
    company: &str,
    customers: usize,
    apps: usize,
) -> Result<Seeded, String> {
    let started = Instant::now();
    let store = Store::connect(url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let tenant_id: String = sqlx::query_scalar("SELECT id FROM tenants WHERE company_key = $1")
        .bind(company.to_lowercase())
        .fetch_one(store.pool())
        .await
        .map_err(|e| format!("the tenant {company}: {e}"))?;
    let now = licensing::now_millis();
    let year = 365 * 24 * 3_600_000_i64;
    let mut tokens = Vec::new();
    let mut first_license = None;
    for start in (0..customers).step_by(BATCH) {
        let end = (start + BATCH).min(customers);
        let ids: Vec<String> = (start..end)
            .map(|n| format!("scale-{company}-{n}"))
            .collect();
        let mut tx = store.pool().begin().await.map_err(|e| e.to_string())?;
        // Customers, then their licenses, then ten devices each.
        let rows = |n: usize, columns: usize| {
            (0..n)
                .map(|row| {
                    let params: Vec<String> = (1..=columns)
                        .map(|c| format!("${}", row * columns + c))
                        .collect();
                    format!("({})", params.join(", "))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sql = format!(
            "INSERT INTO customers (id, tenant_id, name, created_at) VALUES {}",
            rows(ids.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for (n, id) in (start..end).zip(&ids) {
            query = query
                .bind(format!("c-{id}"))
                .bind(&tenant_id)
                .bind(format!("Customer {n}"))
                .bind(now);
        }
        query
            .execute(&mut *tx)
            .await
            .map_err(|e| format!("customers: {e}"))?;
        let sql = format!(
            "INSERT INTO licenses (id, tenant_id, customer_id, product, license_type, status, \
             subscriptions, max_users, max_activations, max_deactivations, valid_from, \
             valid_until, created_at) VALUES {}",
            rows(ids.len(), 13)
        );
        let mut query = sqlx::query(&sql);
        for id in &ids {
            query = query
                .bind(format!("l-{id}"))
                .bind(&tenant_id)
                .bind(format!("c-{id}"))
                .bind("CodeGlass Pro")
                .bind("organisation")
                .bind("active")
                .bind(1_i64)
                .bind(5_i64)
                .bind(1_000_000_i64)
                .bind(3_i64)
                .bind(now - year)
                .bind(now + year)
                .bind(now);
        }
        query
            .execute(&mut *tx)
            .await
            .map_err(|e| format!("licenses: {e}"))?;
        let devices: Vec<(String, usize)> = ids
            .iter()
            .flat_map(|id| (0..DEVICES_PER_LICENSE).map(move |d| (id.clone(), d)))
            .collect();
        for chunk in devices.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO devices (id, license_id, hardware_id, name, os, first_activated_at, \
                 last_seen_at, token_hash) VALUES {}",
                rows(chunk.len(), 8)
            );
            let mut query = sqlx::query(&sql);
            for (id, d) in chunk {
                let token = (tokens.len() < apps).then(|| format!("scale-token-{id}-{d}"));
                query = query
                    .bind(format!("d-{id}-{d}"))
                    .bind(format!("l-{id}"))
                    .bind(format!("HW-{id}-{d}"))
                    .bind(format!("Machine {d}"))
                    .bind("Linux")
                    .bind(now)
                    .bind(now)
                    .bind(token.as_deref().map(licensing::secret::hash));
                tokens.extend(token);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(|e| format!("devices: {e}"))?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        first_license.get_or_insert_with(|| format!("l-{}", ids[0]));
    }
    let license_id = first_license.ok_or("--scale needs at least one customer")?;
    let license_key = licensing::licenses::issue_key(&store, &license_id)
        .await
        .map_err(|e| format!("a key for {license_id}: {e}"))?;
    store.close().await;
    Ok(Seeded {
        tokens,
        license_key,
        customers,
        devices: customers * DEVICES_PER_LICENSE,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// `--scale`: seeds a tenant with `--scale-customers` customers (ten devices each) and measures
/// check-ins, activations and its Devices tab again, each next to its small-database row.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn run(
    args: &Args,
    url: &str,
    addr: std::net::SocketAddr,
    plan: Plan,
    server_cpu: &dyn Fn() -> Option<Duration>,
    rows: &mut Vec<Row>,
    backend: &str,
    run: u64,
) -> Result<(), String> {
    let company = format!("bench{run}-scale");
    keyport::demo_tenant(&args.keyport, url, &company)?;
    let demo = keyport::prepare(url, &[company.as_str()]).await?;
    eprintln!(
        "   scale: seeding {} customers, {} devices",
        args.scale_customers,
        args.scale_customers * 10
    );
    let seeded = seed(url, &company, args.scale_customers, plan.concurrency).await?;
    eprintln!("   scale: seeded in {:.0} s", seeded.seconds);
    let small = |name: &str| {
        rows.iter()
            .find(|r| r.backend == backend && r.scenario == name)
            .map(|r| r.outcome.rate())
            .unwrap_or_default()
    };
    let small_p99 = |name: &str| {
        rows.iter()
            .find(|r| r.backend == backend && r.scenario == name)
            .and_then(|r| r.outcome.percentile_ms(0.99))
            .unwrap_or_default()
    };
    let (small_checkin, small_activation, small_tab) = (
        small("check-in"),
        small("activation (license key)"),
        small("SSR Devices tab"),
    );
    let p99_small = [
        small_p99("check-in"),
        small_p99("activation (license key)"),
        small_p99("SSR Devices tab"),
    ];
    if seeded.tokens.len() < plan.concurrency {
        return Err("--scale-customers too small for one seeded device per app".into());
    }
    let tokens = Arc::new(seeded.tokens);
    let checkins = scenario(
        "check-in at scale",
        plan,
        Arc::new(move |app, _| get(addr, DEVICE, Some(&tokens[app]))),
        StatusCode::OK,
        server_cpu,
    )
    .await;
    let key = seeded.license_key;
    let activations = scenario(
        "activation at scale",
        plan,
        Arc::new(move |app, n| {
            post_json(
                addr,
                ACTIVATIONS,
                &by_key(&key, &format!("scale-{app}-{n}")),
            )
        }),
        StatusCode::CREATED,
        server_cpu,
    )
    .await;
    let cookie = pages::sign_in(addr, &company, "manager@acme.example", DEMO_PASSWORD).await?;
    let devices_tab = format!("/licenses/{}/devices", demo[0].0);
    pages::expect_ok(addr, pages::browser_get(addr, &devices_tab, Some(&cookie))).await?;
    let tab = scenario(
        "Devices tab at scale",
        plan,
        Arc::new(move |_, _| pages::browser_get(addr, &devices_tab, Some(&cookie))),
        StatusCode::OK,
        server_cpu,
    )
    .await;
    let mut p99 = Vec::new();
    for (i, (scenario, versus, reference, measured)) in [
        ("check-in (scale)", "check-in", small_checkin, checkins),
        (
            "activation (scale)",
            "activation",
            small_activation,
            activations,
        ),
        ("SSR Devices tab (scale)", "Devices tab", small_tab, tab),
    ]
    .into_iter()
    .enumerate()
    {
        let at_scale = measured.0.percentile_ms(0.99).unwrap_or_default();
        p99.push(format!(
            "{versus} {at_scale:.1} ms ({:.2}x the small database's {:.1} ms)",
            at_scale / p99_small[i].max(0.001),
            p99_small[i]
        ));
        rows.push(Row {
            backend: backend.to_owned(),
            scenario,
            outcome: measured.0,
            versus,
            baseline: reference,
            server_cpu: measured.1,
        });
    }
    println!(
        "{backend}: --scale tenant: {} customers, {} devices, seeded in {:.0} s; p99 {}",
        seeded.customers,
        seeded.devices,
        seeded.seconds,
        p99.join(", ")
    );
    Ok(())
}
