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
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,                            -- touched at most once a minute
    revoked_at   BIGINT                             -- a revoked key answers 401 like an unknown one
);
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
    claimed_until    BIGINT NOT NULL,
    customer_id      TEXT REFERENCES customers(id),   -- found or created for the order
    owner_account_id TEXT REFERENCES accounts(id),
    license_id       TEXT REFERENCES licenses(id),    -- set by the sale
    license_created  BIGINT,                         -- 1 when the sale created the license
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, order_id)
);
