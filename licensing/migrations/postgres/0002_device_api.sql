-- The desktop app's device API: license keys, device tokens, per-tenant signing keys.
ALTER TABLE licenses ADD COLUMN license_key_hash TEXT;      -- SHA-256 of the license key; the key is shown once
CREATE UNIQUE INDEX licenses_key ON licenses(license_key_hash);
ALTER TABLE devices ADD COLUMN token_hash TEXT;             -- SHA-256 of the device token the app holds
CREATE UNIQUE INDEX devices_token ON devices(token_hash);
ALTER TABLE devices ADD COLUMN deactivated_reason TEXT;     -- reset | app | license_reset | unassigned

CREATE TABLE signing_keys (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    public_key TEXT NOT NULL,                               -- base64 of the 32-byte Ed25519 public key
    secret_key TEXT NOT NULL,                               -- base64 of the 32-byte seed; never logged
    created_at BIGINT NOT NULL
);
