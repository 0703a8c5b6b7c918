-- The Users tab: what one more subscription adds to a license, and one-time set-password links.
ALTER TABLE licenses ADD COLUMN seats_per_subscription BIGINT NOT NULL DEFAULT 1 CHECK (seats_per_subscription >= 1);
ALTER TABLE licenses ADD COLUMN activations_per_subscription BIGINT NOT NULL DEFAULT 0 CHECK (activations_per_subscription >= 0);
UPDATE licenses SET seats_per_subscription = GREATEST(1, max_users / subscriptions),
                    activations_per_subscription = max_activations / subscriptions;

CREATE TABLE password_links (
    token_hash TEXT PRIMARY KEY,                     -- SHA-256 of the token in the link; shown once
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX password_links_account ON password_links(account_id);

-- One license per customer and product: more subscriptions raise its limits instead.
CREATE UNIQUE INDEX licenses_customer_product ON licenses(customer_id, product);
