-- What email needs to speak to each person in their language and to let them reply to the vendor.

-- The language the person last chose in the portal (the switcher, while logged in; or at login
-- from the language cookie): the language of the email they receive. NULL until they choose.
ALTER TABLE accounts ADD COLUMN language TEXT;

-- The vendor's default language for people who never chose one, and the support address email
-- gives as Reply-To (NULL: replies go to the sender address).
ALTER TABLE tenants ADD COLUMN default_language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE tenants ADD COLUMN support_email TEXT;

-- 0 while nobody has chosen the account's password: an account made for an invitation or for a
-- license's owner holds a random one until its set-password link is used. A sale emails such an
-- owner their credentials, anyone else a receipt; the Users tab offers to resend the invitation.
ALTER TABLE accounts ADD COLUMN password_set BIGINT NOT NULL DEFAULT 1;

-- What a set-password link is for: an invitation or a sale's credentials (7 days), or a
-- forgotten password (1 hour). A reset link's use is a password change, told to the account.
ALTER TABLE password_links ADD COLUMN purpose TEXT NOT NULL DEFAULT 'invitation';
