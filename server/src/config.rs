//! Configuration from flags and environment variables (`keyport --help` lists them).

use std::net::SocketAddr;

use clap::{Parser, Subcommand};
use licensing::input;

/// Longest duration a flag takes in minutes (sessions, the throttle window): a year. Turned into
/// milliseconds, a larger one could overflow; a longer session or window is no real setting.
pub const MAX_MINUTES: i64 = 366 * 24 * 60;

/// Longest webhook attempt an operator may set: within the lease a sender holds on a claimed
/// delivery, so no other process takes one that is still being posted.
const WEBHOOK_TIMEOUT_MAX_SECONDS: u64 = 30;
const _: () = assert!(WEBHOOK_TIMEOUT_MAX_SECONDS as i64 * 1000 < licensing::webhooks::LEASE_MS);

#[derive(Debug, Parser)]
#[command(
    name = "keyport",
    version,
    about = "Keyport: a self-hosted license server and license portal"
)]
pub struct Cli {
    /// Database URL: sqlite://FILE (created if missing) or postgres://USER:PASS@HOST/DB.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://keyport.db",
        global = true
    )]
    pub database_url: String,

    /// How SQLite commits: `full` (default) syncs every commit to disk before it is
    /// acknowledged, so no answered activation or reset is lost on power failure; `normal` syncs
    /// at checkpoints only: faster writes (see `make bench`), but the last acknowledged changes
    /// can be lost when the machine loses power. Ignored for Postgres.
    #[arg(
        long,
        env = "KEYPORT_SQLITE_SYNCHRONOUS",
        default_value = "full",
        value_parser = parse_sqlite_sync,
        global = true
    )]
    pub sqlite_synchronous: licensing::store::SqliteSync,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub serve: ServeArgs,
}

fn parse_sqlite_sync(value: &str) -> Result<licensing::store::SqliteSync, String> {
    licensing::store::SqliteSync::parse(value).ok_or_else(|| "must be full or normal".to_owned())
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "KEYPORT_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Seed the demo tenants (CodeGlass, OtherSoft) when the database is empty.
    #[arg(long, env = "KEYPORT_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo: bool,

    /// Mark the session cookie Secure: set this when users reach Keyport over HTTPS.
    #[arg(long, env = "KEYPORT_SECURE_COOKIES", default_value_t = false, action = clap::ArgAction::Set)]
    pub secure_cookies: bool,

    /// The portal's address as its users reach it (e.g. https://licenses.example.com), for the
    /// links it hands out; by default http://ADDR.
    #[arg(long, env = "KEYPORT_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// The SMTP server email goes through: `smtp://host:port` (plain; add `?tls=required` for
    /// STARTTLS), `smtps://host:port` (TLS from the start), with `user:password@` before the host
    /// or `--smtp-user` / `--smtp-password`. Without it, email waits in the outbox and the vendor
    /// console shows it.
    #[arg(long, env = "KEYPORT_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The SMTP user, when not in `--smtp-url`.
    #[arg(long, env = "KEYPORT_SMTP_USER")]
    pub smtp_user: Option<String>,

    /// The SMTP password, when not in `--smtp-url`.
    #[arg(long, env = "KEYPORT_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,

    /// The address email comes from (the vendor's name is shown as the sender's). Required with
    /// `--smtp-url`.
    #[arg(long, env = "KEYPORT_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Let webhook endpoints resolve to loopback, private and link-local addresses (a receiver on
    /// this machine or the office network). Off by default: an endpoint is the vendor's, but the
    /// request leaves from this server and could reach what only it may reach.
    #[arg(long, env = "KEYPORT_ALLOW_PRIVATE_WEBHOOKS", default_value_t = false, action = clap::ArgAction::Set)]
    pub allow_private_webhooks: bool,
    /// Largest upload of the vendor console's import (all its files together), in MiB.
    #[arg(long, env = "KEYPORT_IMPORT_MAX_MIB", default_value_t = 256,
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub import_max_mib: u64,

    /// Seconds before a failed webhook delivery is tried again the first time; the wait doubles
    /// up to an hour, for a day.
    #[arg(long, env = "KEYPORT_WEBHOOK_FIRST_RETRY_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(i64).range(1..=3600))]
    pub webhook_first_retry_seconds: i64,

    /// Seconds a webhook endpoint has to answer, connection included, before the attempt counts
    /// as failed. At most 30: a sender holds a claimed delivery for a minute.
    #[arg(long, env = "KEYPORT_WEBHOOK_TIMEOUT_SECONDS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=WEBHOOK_TIMEOUT_MAX_SECONDS))]
    pub webhook_timeout_seconds: u64,

    /// Minutes of inactivity after which a portal session ends.
    #[arg(long, env = "KEYPORT_SESSION_IDLE_MINUTES", default_value_t = 120,
          value_parser = clap::value_parser!(i64).range(1..=MAX_MINUTES))]
    pub session_idle_minutes: i64,

    /// Hours after login at which a portal session ends, used or not.
    #[arg(long, env = "KEYPORT_SESSION_HOURS", default_value_t = 24,
          value_parser = clap::value_parser!(i64).range(1..=MAX_MINUTES / 60))]
    pub session_hours: i64,

    /// Another origin (scheme://host:port) whose pages may send the portal state-changing
    /// requests, e.g. a development server that proxies to Keyport. Repeat the flag, or give a
    /// comma-separated list in the variable. The portal's own origin is always allowed.
    #[arg(
        long = "allowed-origin",
        env = "KEYPORT_ALLOWED_ORIGINS",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    pub allowed_origins: Vec<String>,

    /// A reverse proxy (IP address or CIDR block) whose X-Forwarded-For header names the real
    /// client. Without one, the header is ignored and the TCP peer is the client. Repeat the
    /// flag, or give a comma-separated list in the variable.
    #[arg(
        long = "trusted-proxy",
        env = "KEYPORT_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "IP_OR_CIDR"
    )]
    pub trusted_proxies: Vec<crate::security::IpBlock>,

    /// Failed logins of one account (company ID and email) within the throttle window after
    /// which further attempts are refused until the window has passed.
    #[arg(long, env = "KEYPORT_THROTTLE_ACCOUNT_FAILURES", default_value_t = 5,
          value_parser = clap::value_parser!(i64).range(1..))]
    pub throttle_account_failures: i64,

    /// Failed logins and license-key activations from one client address within the throttle
    /// window after which further attempts from it are refused.
    #[arg(long, env = "KEYPORT_THROTTLE_ADDRESS_FAILURES", default_value_t = 50,
          value_parser = clap::value_parser!(i64).range(1..))]
    pub throttle_address_failures: i64,

    /// The throttle's sliding window, in minutes.
    #[arg(long, env = "KEYPORT_THROTTLE_WINDOW_MINUTES", default_value_t = 15,
          value_parser = clap::value_parser!(i64).range(1..=MAX_MINUTES))]
    pub throttle_window_minutes: i64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Vendor tenants (bootstrapping): create one with its first vendor admin.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Customers of a tenant, acting as one of its vendor admins.
    #[command(subcommand)]
    Customer(CustomerCommand),
    /// Licenses of a tenant, acting as one of its vendor admins.
    #[command(subcommand)]
    License(LicenseCommand),
    /// Management API keys of a tenant, acting as one of its vendor admins.
    #[command(subcommand)]
    ApiKey(ApiKeyCommand),
    /// Move a vendor's customers, licenses (with their keys), users and active devices in from
    /// another license server. Safe to run again: what is here already is left as it is.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Serve the portal (the default).
    Serve,
    /// Print what an app built on LicenseSpring's SDK is configured with for a tenant: API key,
    /// shared key, product short codes and the RSA public key (PEM). Made on first use.
    LicensespringKeys {
        /// The tenant's company ID.
        #[arg(long)]
        company: String,
        /// Print `{"api_key", "shared_key", "products", "public_key_pem"}` as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Create a vendor tenant with the demo customer, accounts, license and devices.
    DemoTenant {
        /// The company ID customers type at login.
        #[arg(long)]
        company: String,
        /// Subscriptions Acme Corp bought (5 seats and 10 devices each); one license either way.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(i64).range(1..=1000))]
        subscriptions: i64,
    },
}

/// Who runs an admin command: a vendor admin of the tenant, named by email. Their name goes into
/// the audit log.
#[derive(Debug, clap::Args)]
pub struct Operator {
    /// The tenant's company ID.
    #[arg(long)]
    pub company: String,
    /// Email of the vendor admin the command acts as.
    #[arg(long = "as", value_name = "EMAIL")]
    pub admin: String,
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a vendor tenant and its first vendor admin. The admin's password is read from
    /// KEYPORT_ADMIN_PASSWORD, or from the first line of standard input.
    Create {
        /// The company ID customers type at login (letters, digits, '-' and '_').
        #[arg(long)]
        company: String,
        /// The vendor's name, shown in the portal.
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Make a key for the management API; prints it once (only its hash is kept).
    Create {
        #[command(flatten)]
        operator: Operator,
        /// What the key is for ("Web shop"), shown in lists and the audit log.
        #[arg(long)]
        name: String,
    },
    /// The tenant's keys, newest first: id, prefix, name, last use, revoked or not.
    List {
        #[command(flatten)]
        operator: Operator,
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key by its id: it stops working at once.
    Revoke {
        #[command(flatten)]
        operator: Operator,
        #[arg(long)]
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Create a customer; prints its id.
    Create {
        #[command(flatten)]
        operator: Operator,
        /// The customer's (company) name.
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A LicenseSpring export: the licenses CSV (LicenseSpring's license import columns), and
    /// the users and devices as JSON lines (its management API's field names; README, "Moving
    /// in from LicenseSpring").
    Licensespring(LicensespringImport),
}

#[derive(Debug, clap::Args)]
pub struct LicensespringImport {
    /// The tenant's company ID.
    #[arg(long)]
    pub company: String,
    /// The licenses CSV (`license__license_key`, `product__short_code`, `customer__*`, ...).
    #[arg(long)]
    pub licenses: Option<std::path::PathBuf>,
    /// License users and managers, one JSON object per line.
    #[arg(long)]
    pub users: Option<std::path::PathBuf>,
    /// Active devices, one JSON object per line.
    #[arg(long)]
    pub devices: Option<std::path::PathBuf>,
    /// Check every row and print what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The Keyport type of the imported licenses (organisation types make their owner a manager).
    #[arg(long = "type", default_value = "organisation", value_parser = parse_license_type)]
    pub license_type: licensing::licenses::LicenseType,
    /// The deactivation budget of each imported license (LicenseSpring's files have none).
    #[arg(long, default_value_t = 10,
          value_parser = clap::value_parser!(i64).range(0..=licensing::input::MAX_DEACTIVATIONS))]
    pub deactivations: i64,
    /// After the import, email a set-password invitation to every imported person without a
    /// password and without a usable link (alone, without files: just that).
    #[arg(long, conflicts_with = "dry_run")]
    pub notify: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum LicenseCommand {
    /// Sell a customer subscriptions: creates their license for the product, or raises the one
    /// they have. Prints the license id and, for a new license, its license key (shown once).
    Create {
        #[command(flatten)]
        operator: Operator,
        /// The customer's id (`keyport customer create` prints it).
        #[arg(long)]
        customer: String,
        #[arg(long)]
        product: String,
        /// personal, organisation, offline_organisation or experimental.
        #[arg(long = "type", value_parser = parse_license_type)]
        license_type: licensing::licenses::LicenseType,
        // The bounds are licensing's (`licensing::input`), refused here before anything is read.
        #[arg(long, default_value_t = 1,
              value_parser = clap::value_parser!(i64).range(1..=input::MAX_SUBSCRIPTIONS))]
        subscriptions: i64,
        #[arg(long, default_value_t = 5,
              value_parser = clap::value_parser!(i64).range(1..=input::MAX_SEATS))]
        seats_per_subscription: i64,
        /// Devices the license may be active on, per subscription.
        #[arg(long, default_value_t = 10,
              value_parser = clap::value_parser!(i64).range(0..=input::MAX_DEVICES))]
        devices_per_subscription: i64,
        /// Device resets the customer may do before support must lift the limit.
        #[arg(long, default_value_t = 3,
              value_parser = clap::value_parser!(i64).range(0..=input::MAX_DEACTIVATIONS))]
        deactivations: i64,
        /// How long the license is valid, in days from now.
        #[arg(long, default_value_t = 365,
              value_parser = clap::value_parser!(i64).range(1..=input::MAX_VALID_DAYS))]
        valid_days: i64,
        /// The owner: manager of an Organisation-type license, its one user for Personal. An
        /// unknown email is created with --owner-name and gets a set-password link.
        #[arg(long)]
        owner_email: String,
        #[arg(long)]
        owner_name: Option<String>,
    },
    /// List the tenant's licenses (a table, or JSON with --json).
    List {
        #[command(flatten)]
        operator: Operator,
        /// Only customers or products containing this text.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Lift a customer's deactivation limit: every deactivation is available again.
    ResetDeactivations {
        #[command(flatten)]
        operator: Operator,
        /// The license id (`keyport license list` shows it).
        #[arg(long)]
        license: String,
        /// Why, for the audit log.
        #[arg(long)]
        reason: String,
    },
}

fn parse_license_type(s: &str) -> Result<licensing::licenses::LicenseType, String> {
    licensing::licenses::LicenseType::parse(&s.trim().to_lowercase().replace([' ', '-'], "_"))
        .ok_or_else(|| {
            "expected personal, organisation, offline_organisation or experimental".to_owned()
        })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Cli;

    #[test]
    fn a_webhook_timeout_outside_one_to_thirty_seconds_is_refused() {
        for refused in ["0", "31", "-1", "ten", "99999999999999999999"] {
            let flag = format!("--webhook-timeout-seconds={refused}");
            let error = Cli::try_parse_from(["keyport", flag.as_str()]).expect_err(refused);
            assert!(
                error.to_string().contains("--webhook-timeout-seconds"),
                "{refused}: {error}"
            );
        }
        let longest = Cli::try_parse_from(["keyport", "--webhook-timeout-seconds", "30"]).unwrap();
        assert_eq!(longest.serve.webhook_timeout_seconds, 30);
    }
}
