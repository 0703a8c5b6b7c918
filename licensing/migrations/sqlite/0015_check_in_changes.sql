-- The log of changes a device's check-in answer could show, by license, in commit order. Each
-- server process answers busy devices' check-ins from memory, and before each such answer reads
-- this log once for every check-in that arrived meanwhile: a device reset by any process (or by
-- hand) is refused at its very next check-in. See `licensing/src/store/check_ins.rs`.
-- Triggers write it, so every write counts, whichever code makes it. `last_seen_at` is left out:
-- check-ins write it, and their answer does not show it. AUTOINCREMENT, so a number is never
-- used twice, even once the rows before it are pruned.
CREATE TABLE check_in_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    license_id TEXT NOT NULL,
    at         INTEGER NOT NULL DEFAULT (unixepoch())  -- seconds; rows are pruned by age
) STRICT;
CREATE INDEX check_in_changes_at ON check_in_changes(at);

-- A license's status, dates, limits and active-device count (kept by 0012's triggers) are in the
-- answer; any change to its row is logged.
CREATE TRIGGER check_in_changes_license AFTER UPDATE ON licenses
BEGIN
    INSERT INTO check_in_changes (license_id) VALUES (NEW.id);
END;

CREATE TRIGGER check_in_changes_license_deleted AFTER DELETE ON licenses
BEGIN
    INSERT INTO check_in_changes (license_id) VALUES (OLD.id);
END;

-- Every column of a device but `last_seen_at`.
CREATE TRIGGER check_in_changes_device AFTER UPDATE OF
    license_id, account_id, hardware_id, name, os, first_activated_at, deactivated_at,
    deactivated_by, token_hash, deactivated_reason
ON devices
BEGIN
    INSERT INTO check_in_changes (license_id) VALUES (NEW.license_id);
    INSERT INTO check_in_changes (license_id)
        SELECT OLD.license_id WHERE OLD.license_id IS NOT NEW.license_id;
END;

CREATE TRIGGER check_in_changes_device_deleted AFTER DELETE ON devices
BEGIN
    INSERT INTO check_in_changes (license_id) VALUES (OLD.license_id);
END;
