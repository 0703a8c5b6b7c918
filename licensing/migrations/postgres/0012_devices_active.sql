-- Each license keeps its count of active devices on its own row, so a check-in, an activation and
-- every license page read one column instead of counting the license's devices (a license with
-- thousands of machines made that count the largest cost of an activation, under the write lock).
-- A trigger keeps it, so every write to `devices` counts, whichever code (or hand) makes it. Every
-- write that changes a device's standing already holds its license's row lock.
ALTER TABLE licenses ADD COLUMN devices_active BIGINT NOT NULL DEFAULT 0;

UPDATE licenses l SET devices_active =
    (SELECT COUNT(*) FROM devices d WHERE d.license_id = l.id AND d.deactivated_at IS NULL);

CREATE FUNCTION keep_devices_active() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.deactivated_at IS NULL THEN
            UPDATE licenses SET devices_active = devices_active - 1 WHERE id = OLD.license_id;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.deactivated_at IS NULL THEN
            UPDATE licenses SET devices_active = devices_active + 1 WHERE id = NEW.license_id;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER devices_active_on_insert AFTER INSERT ON devices
    FOR EACH ROW EXECUTE FUNCTION keep_devices_active();

-- Only a change of standing or of license: a check-in's `last_seen_at` never gets here.
CREATE TRIGGER devices_active_on_update AFTER UPDATE OF deactivated_at, license_id ON devices
    FOR EACH ROW
    WHEN (OLD.deactivated_at IS DISTINCT FROM NEW.deactivated_at OR OLD.license_id IS DISTINCT FROM NEW.license_id)
    EXECUTE FUNCTION keep_devices_active();

CREATE TRIGGER devices_active_on_delete AFTER DELETE ON devices
    FOR EACH ROW EXECUTE FUNCTION keep_devices_active();
