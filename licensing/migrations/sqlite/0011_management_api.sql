-- Management API keys: a vendor's systems (a web shop, a CRM) act for its tenant with one. The key
-- is shown once; only its SHA-256 is kept, with its first characters to recognise it by.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,                      -- the key's first 12 characters, shown in lists
    key_hash     TEXT NOT NULL UNIQUE,               -- SHA-256 of the key
    -- What the key acts as: an account of its own (vendor staff, named "API key NAME", no usable
    -- password, never found by a login), so every guard and audit event treats it as the console's.
    account_id   TEXT NOT NULL UNIQUE REFERENCES accounts(id),
    created_by   TEXT REFERENCES accounts(id),       -- NULL when made by an admin command's operator
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,                            -- touched at most once a minute
    revoked_at   INTEGER                             -- a revoked key answers 401 like an unknown one
) STRICT;
CREATE INDEX api_keys_of_tenant ON api_keys(tenant_id, created_at);

-- A customer as the vendor's own systems know it (a shop's customer number): an order finds the
-- customer by it. Unique per tenant; customers made in the console have none.
ALTER TABLE customers ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX customers_external_id ON customers(tenant_id, external_id);

-- Orders of the management API, one per (tenant, order_id): the same order sent again is answered
-- from here instead of selling twice. The claim (claim_token, claimed_until) lets a retry take over
-- an order whose process died before selling; `license_id` is written in the sale's transaction,
-- so an order is sold at most once, and its answer is made from this row.
CREATE TABLE orders (
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    order_id         TEXT NOT NULL,
    request_hash     TEXT NOT NULL,                   -- SHA-256 of the order's JSON
    claim_token      TEXT NOT NULL,
    claimed_until    INTEGER NOT NULL,
    customer_id      TEXT REFERENCES customers(id),   -- found or created for the order
    owner_account_id TEXT REFERENCES accounts(id),
    license_id       TEXT REFERENCES licenses(id),    -- set by the sale
    license_created  INTEGER,                         -- 1 when the sale created the license
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, order_id)
) STRICT;

-- Webhook endpoints a vendor registered: where its tenant's events are posted, signed with the
-- endpoint's secret. The secret must be kept (it signs); it is stored encrypted with a key of the
-- installation (`installation_secrets`), so a copy of this table alone signs nothing.
CREATE TABLE webhook_endpoints (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    url              TEXT NOT NULL,
    event_types      TEXT NOT NULL,                   -- space-separated, e.g. "device.activated license.created"
    secret_encrypted TEXT NOT NULL,                   -- hex
    created_by       TEXT REFERENCES accounts(id),
    created_at       INTEGER NOT NULL,
    deleted_at       INTEGER                          -- no new deliveries once deleted; the history stays
) STRICT;
CREATE INDEX webhook_endpoints_of_tenant ON webhook_endpoints(tenant_id);

-- One event for one endpoint, written in the transaction of the change; delivered at least once,
-- in `seq` order per (endpoint, license), retried with backoff for a day. The claim (claimed_by,
-- claimed_until) is the email outbox's: one sender at a time, a dead sender's lease runs out.
CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    seq             TEXT NOT NULL,                    -- sortable: when it was written, then its order in the process
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id),
    event_id        TEXT NOT NULL,                    -- the body's `id`: the same for every endpoint and attempt
    event_type      TEXT NOT NULL,
    license_id      TEXT,                             -- what the order is kept per; '' for none
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,                    -- pending | delivered | failed
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    claimed_by      TEXT,
    claimed_until   INTEGER,
    last_status     INTEGER,                          -- the endpoint's HTTP status of the last attempt
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries(endpoint_id, license_id, status, seq);
CREATE INDEX webhook_deliveries_of_tenant ON webhook_deliveries(tenant_id, seq);

-- Every attempt of a delivery: when, the HTTP status (none when the endpoint was not reached),
-- and what went wrong.
CREATE TABLE webhook_attempts (
    id          TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
    at          INTEGER NOT NULL,
    status      INTEGER,
    error       TEXT,
    duration_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_attempts_of_delivery ON webhook_attempts(delivery_id, at);
