-- Secrets of the installation as a whole (not of a tenant), made on first use so that every
-- server process sharing the database holds the same: the key that authenticates the error a
-- failed no-JavaScript form post carries back to its page.
CREATE TABLE installation_secrets (
    name   TEXT PRIMARY KEY,
    secret TEXT NOT NULL                   -- 256 random bits, hex
) STRICT;
