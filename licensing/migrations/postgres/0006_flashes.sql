-- One-time notes for a page: what a change did, a set-password link, a new license key. They used
-- to travel in the address of the page a form redirected to, and so landed in browser history,
-- proxy logs and Referer headers. Now they wait here for the session that made the change and the
-- page it was sent to, are taken (deleted) by the first render of that page, and are useless after
-- a few minutes. Ending the session (logout) deletes them with it.
CREATE TABLE flashes (
    token_hash TEXT NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
    path       TEXT NOT NULL,                  -- the page the note is for, e.g. /licenses/{id}/users
    body       TEXT NOT NULL,                  -- licensing::flash::Flash as JSON
    created_at BIGINT NOT NULL,
    PRIMARY KEY (token_hash, path)
);
CREATE INDEX flashes_created ON flashes(created_at);
