-- Email. Every message is written here in the transaction of the change that causes it (a sale,
-- an invitation, a password reset), so a change is never committed without its message nor a
-- message sent for a change that rolled back. A background sender (server/src/mail.rs) delivers
-- it over SMTP: a process claims due rows with a lease, so with several server processes each
-- message is sent by one; a process killed while holding a lease leaves the row to be claimed
-- again when the lease ends. Without SMTP configured rows stay pending, and the vendor console
-- shows them.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,                 -- also the Message-ID's local part
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    kind            TEXT NOT NULL,                    -- what caused it (licensing::mail::MailKind)
    recipient       TEXT NOT NULL,                    -- one address, checked for header injection
    from_name       TEXT NOT NULL,                    -- the vendor's name, shown as the sender
    reply_to        TEXT,                             -- the vendor's support address, when set
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    status          TEXT NOT NULL,                    -- pending | sent | failed
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,                    -- not before (backoff after a failure)
    claimed_by      TEXT,                             -- the sender holding the lease
    claimed_until   BIGINT,                             -- the lease's end
    last_error      TEXT,                             -- the SMTP server's last refusal
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_of_tenant ON outbox (tenant_id, created_at);
