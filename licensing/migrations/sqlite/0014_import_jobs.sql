-- Imports uploaded in the vendor console, run in the background. The uploaded files are kept in
-- the row (not on one server's disk) so that any server process sharing the database can run the
-- job, and one that takes over after a crash or restart finds them; they are dropped when the job
-- ends, and the report is kept. A process runs a job under a lease it renews while it works (with
-- its progress); a job whose lease ran out was interrupted, and the next process to look runs it
-- again: an import run twice changes nothing the first run wrote, so the second run resumes.
CREATE TABLE import_jobs (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    created_by        TEXT NOT NULL REFERENCES accounts(id),
    dry_run           INTEGER NOT NULL,                    -- 1: checks everything, writes nothing
    license_type      TEXT NOT NULL,                       -- the Keyport type of every license
    max_deactivations INTEGER NOT NULL,
    licenses_name     TEXT,                                -- each file: the name it was uploaded
    licenses_file     BLOB,                                -- with, and its bytes until the end
    users_name        TEXT,
    users_file        BLOB,
    devices_name      TEXT,
    devices_file      BLOB,
    status            TEXT NOT NULL,                       -- queued | running | done | failed
    runs              INTEGER NOT NULL,                    -- more than 1: resumed after a stop
    rows_done         INTEGER NOT NULL,
    rows_total        INTEGER NOT NULL,
    claimed_by        TEXT,                                -- the process running it
    claimed_until     INTEGER,                             -- its lease's end
    created_at        INTEGER NOT NULL,
    started_at        INTEGER,                             -- the start of the latest run
    finished_at       INTEGER,
    report            TEXT                                 -- licensing::import::ImportReport, JSON
) STRICT;

CREATE INDEX import_jobs_of_tenant ON import_jobs (tenant_id, created_at);
CREATE INDEX import_jobs_waiting ON import_jobs (status, claimed_until);
