-- A license moved from another license server keeps the id that server gave it (LicenseSpring's
-- numeric license id, as text), so the import finds it again when run twice and its devices and
-- users files can name it. Keyport's own licenses have none.
ALTER TABLE licenses ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX licenses_external_id ON licenses(tenant_id, external_id);
