-- Each license keeps its count of active devices on its own row, so a check-in, an activation and
-- every license page read one column instead of counting the license's devices (a license with
-- thousands of machines made that count the largest cost of an activation, under the write lock).
-- Triggers keep it, so every write to `devices` counts, whichever code (or hand) makes it.
ALTER TABLE licenses ADD COLUMN devices_active INTEGER NOT NULL DEFAULT 0;

UPDATE licenses SET devices_active =
    (SELECT COUNT(*) FROM devices d WHERE d.license_id = licenses.id AND d.deactivated_at IS NULL);

CREATE TRIGGER devices_active_on_insert AFTER INSERT ON devices
WHEN NEW.deactivated_at IS NULL
BEGIN
    UPDATE licenses SET devices_active = devices_active + 1 WHERE id = NEW.license_id;
END;

-- Only a change of standing or of license: a check-in's `last_seen_at` never gets here.
CREATE TRIGGER devices_active_on_update AFTER UPDATE OF deactivated_at, license_id ON devices
WHEN OLD.deactivated_at IS NOT NEW.deactivated_at OR OLD.license_id IS NOT NEW.license_id
BEGIN
    UPDATE licenses SET devices_active = devices_active - 1
        WHERE id = OLD.license_id AND OLD.deactivated_at IS NULL;
    UPDATE licenses SET devices_active = devices_active + 1
        WHERE id = NEW.license_id AND NEW.deactivated_at IS NULL;
END;

CREATE TRIGGER devices_active_on_delete AFTER DELETE ON devices
WHEN OLD.deactivated_at IS NULL
BEGIN
    UPDATE licenses SET devices_active = devices_active - 1 WHERE id = OLD.license_id;
END;
