-- What email needs to speak to each person in their language and to let them reply to the vendor.

-- The language the person last chose in the portal (the switcher, while logged in; or at login
-- from the language cookie): the language of the email they receive. NULL until they choose.
ALTER TABLE accounts ADD COLUMN language TEXT;

-- The vendor's default language for people who never chose one, and the support address email
-- gives as Reply-To (NULL: replies go to the sender address).
ALTER TABLE tenants ADD COLUMN default_language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE tenants ADD COLUMN support_email TEXT;
