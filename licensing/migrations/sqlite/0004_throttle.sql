-- Failed credential checks (portal login, device API activation), counted per account and per
-- client address over a sliding window. Kept in the database so every server process sees the
-- same counts; rows older than the window are deleted as new attempts come in.
CREATE TABLE auth_failures (
    id           TEXT PRIMARY KEY,
    throttle_key TEXT NOT NULL,                  -- 'account:{company}:{email}' or 'address:{ip}'
    at           INTEGER NOT NULL
) STRICT;
CREATE INDEX auth_failures_key ON auth_failures(throttle_key, at);
CREATE INDEX auth_failures_at ON auth_failures(at);
