-- The log of changes a device's check-in answer could show, by license. Each server process
-- answers busy devices' check-ins from memory, and before each such answer reads this log once
-- for every check-in that arrived meanwhile: a device reset by any process (or by hand) is
-- refused at its very next check-in. See `licensing/src/store/check_ins.rs`.
-- Sequence numbers are not in commit order here, so each row also carries its transaction's id
-- (the one column SQLite's table lacks: its one writer numbers rows in commit order):
-- a reader re-reads the rows of every transaction still running at its last read (`xid` at or
-- above that read's snapshot xmin) and so never misses one that committed late.
-- Triggers write it, so every write counts, whichever code makes it. `last_seen_at` is left out:
-- check-ins write it, and their answer does not show it.
CREATE TABLE check_in_changes (
    seq        BIGSERIAL PRIMARY KEY,
    license_id TEXT NOT NULL,
    xid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at         BIGINT NOT NULL DEFAULT extract(epoch FROM clock_timestamp())::bigint  -- seconds; rows are pruned by age
);
CREATE INDEX check_in_changes_xid ON check_in_changes (xid);
CREATE INDEX check_in_changes_at ON check_in_changes (at);

CREATE FUNCTION log_check_in_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- `licenses` rows are logged by their id, `devices` rows by their license.
    IF TG_TABLE_NAME = 'licenses' THEN
        IF TG_OP = 'DELETE' THEN
            INSERT INTO check_in_changes (license_id) VALUES (OLD.id);
        ELSE
            INSERT INTO check_in_changes (license_id) VALUES (NEW.id);
        END IF;
    ELSE
        IF TG_OP = 'DELETE' THEN
            INSERT INTO check_in_changes (license_id) VALUES (OLD.license_id);
        ELSE
            INSERT INTO check_in_changes (license_id) VALUES (NEW.license_id);
            IF OLD.license_id IS DISTINCT FROM NEW.license_id THEN
                INSERT INTO check_in_changes (license_id) VALUES (OLD.license_id);
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- A license's status, dates, limits and active-device count (kept by 0012's trigger) are in the
-- answer; any change to its row is logged.
CREATE TRIGGER check_in_changes_license AFTER UPDATE OR DELETE ON licenses
    FOR EACH ROW EXECUTE FUNCTION log_check_in_change();

-- Every column of a device but `last_seen_at`.
CREATE TRIGGER check_in_changes_device AFTER UPDATE OF
    license_id, account_id, hardware_id, name, os, first_activated_at, deactivated_at,
    deactivated_by, token_hash, deactivated_reason
ON devices FOR EACH ROW EXECUTE FUNCTION log_check_in_change();

CREATE TRIGGER check_in_changes_device_deleted AFTER DELETE ON devices
    FOR EACH ROW EXECUTE FUNCTION log_check_in_change();
