//! Configuration from flags and environment variables (`keyport --help` lists them).

use std::net::SocketAddr;

use clap::{Parser, Subcommand};

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

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub serve: ServeArgs,
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

    /// Minutes of inactivity after which a portal session ends.
    #[arg(long, env = "KEYPORT_SESSION_IDLE_MINUTES", default_value_t = 120)]
    pub session_idle_minutes: i64,

    /// Hours after login at which a portal session ends, used or not.
    #[arg(long, env = "KEYPORT_SESSION_HOURS", default_value_t = 24)]
    pub session_hours: i64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (the default).
    Serve,
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
