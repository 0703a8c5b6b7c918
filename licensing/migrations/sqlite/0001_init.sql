-- Keyport schema for SQLite. Times are UTC milliseconds since the epoch; ids are random UUIDs.
CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    company_key TEXT NOT NULL UNIQUE,      -- lowercased company ID, matched case-insensitively at login
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE customers (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX customers_tenant ON customers(tenant_id);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    customer_id   TEXT REFERENCES customers(id),   -- NULL for vendor staff
    kind          TEXT NOT NULL CHECK (kind IN ('customer', 'vendor_admin')),
    email         TEXT NOT NULL,                   -- lowercased
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (tenant_id, email)
) STRICT;

CREATE TABLE licenses (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants(id),
    customer_id        TEXT NOT NULL REFERENCES customers(id),
    product            TEXT NOT NULL,
    license_type       TEXT NOT NULL CHECK (license_type IN ('personal', 'organisation', 'offline_organisation', 'experimental')),
    status             TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    subscriptions      INTEGER NOT NULL CHECK (subscriptions > 0),
    max_users          INTEGER NOT NULL CHECK (max_users >= 0),
    max_activations    INTEGER NOT NULL CHECK (max_activations >= 0),
    max_deactivations  INTEGER NOT NULL CHECK (max_deactivations >= 0),
    deactivations_used INTEGER NOT NULL DEFAULT 0 CHECK (deactivations_used >= 0),
    valid_from         INTEGER NOT NULL,
    valid_until        INTEGER NOT NULL,
    created_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX licenses_customer ON licenses(customer_id);

CREATE TABLE license_users (
    license_id  TEXT NOT NULL REFERENCES licenses(id),
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    role        TEXT NOT NULL CHECK (role IN ('manager', 'user')),
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (license_id, account_id)
) STRICT;
CREATE INDEX license_users_account ON license_users(account_id);

CREATE TABLE devices (
    id                 TEXT PRIMARY KEY,
    license_id         TEXT NOT NULL REFERENCES licenses(id),
    account_id         TEXT REFERENCES accounts(id),  -- who activated it; NULL for a license-key activation
    hardware_id        TEXT NOT NULL,
    name               TEXT NOT NULL,
    os                 TEXT NOT NULL,
    first_activated_at INTEGER NOT NULL,
    last_seen_at       INTEGER NOT NULL,
    deactivated_at     INTEGER,
    deactivated_by     TEXT REFERENCES accounts(id)
) STRICT;
-- A hardware id holds at most one active slot per license.
CREATE UNIQUE INDEX devices_active_hardware ON devices(license_id, hardware_id) WHERE deactivated_at IS NULL;
CREATE INDEX devices_license ON devices(license_id);

CREATE TABLE audit_events (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    license_id TEXT REFERENCES licenses(id),
    actor_id   TEXT REFERENCES accounts(id),
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    ip         TEXT,
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_events_license ON audit_events(license_id, at);
CREATE INDEX audit_events_tenant ON audit_events(tenant_id, at);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,             -- SHA-256 of the cookie value; the value itself is never stored
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_account ON sessions(account_id);
