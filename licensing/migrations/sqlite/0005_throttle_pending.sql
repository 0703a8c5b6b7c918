-- Credential checks in flight: an admitted check books a pending row (pending = 1) that becomes a
-- failure (pending = 0) when the password was wrong and goes away when it was right. Only settled
-- failures count against a limit; pending rows bound how many checks of one account run at once.
ALTER TABLE auth_failures ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
