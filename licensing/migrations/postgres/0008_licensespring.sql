-- The LicenseSpring-compatible client API (/api/v4), for apps built on LicenseSpring's SDK.

-- Each tenant's credentials for it, made on first use like the Ed25519 signing key. The SDK proves
-- it holds the shared key by an HMAC over the Date header, so the server must hold the key
-- itself, not a hash of it; the RSA key signs responses, because the SDK verifies RSA only.
CREATE TABLE licensespring_credentials (
    tenant_id         TEXT PRIMARY KEY REFERENCES tenants(id),
    api_key           TEXT NOT NULL UNIQUE,          -- public: names the tenant on every request
    shared_key        TEXT NOT NULL,                 -- the HMAC key, as the SDK is configured with it; never logged
    shared_key_set_at BIGINT NOT NULL,             -- when it was made or last rotated
    rsa_public_key    TEXT NOT NULL,                 -- base64 of the SubjectPublicKeyInfo DER
    rsa_private_key   TEXT NOT NULL,                 -- base64 of the PKCS#8 DER (2048-bit); never logged
    created_at        BIGINT NOT NULL
);

-- A tenant's products, named by the short code the SDK sends as `product`. Licenses name their
-- product by `name` (licenses.product), so no license row changes; the code is unique within
-- the tenant only (the API key names the tenant first).
CREATE TABLE products (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    short_code TEXT NOT NULL,                        -- lowercase letters, digits and '-'
    name       TEXT NOT NULL,                        -- as licenses.product spells it
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, short_code),
    UNIQUE (tenant_id, name)
);
