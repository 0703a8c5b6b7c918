-- Management API keys: a vendor's systems (a web shop, a CRM) act for its tenant with one. The key
-- is shown once; only its SHA-256 is kept, with its first characters to recognise it by.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,                      -- the key's first 12 characters, shown in lists
    key_hash     TEXT NOT NULL UNIQUE,               -- SHA-256 of the key
    created_by   TEXT REFERENCES accounts(id),       -- NULL when made by an admin command's operator
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,                            -- touched at most once a minute
    revoked_at   BIGINT                             -- a revoked key answers 401 like an unknown one
);
CREATE INDEX api_keys_of_tenant ON api_keys(tenant_id, created_at);
