-- Sync tombstones (docs/sync.md, "Deletes"): a row deleted by any writer (sync, tRPC, the CSV
-- importer, the demo reset) leaves a row in sync_tombstones, so devices drop it too.

-- A job that leaves a technician's devices, deleted or reassigned to someone else: one
-- tombstone, addressed to that technician; the devices drop its lines and follow-ups with it.
-- A reassigned job reaches the new technician's devices through its version, which moved, and
-- with it every line and follow-up it has at that moment: naming each child here would read
-- the children in this writer's snapshot and miss one a concurrent writer commits meanwhile.
-- (BEFORE DELETE returns the row to delete; the AFTER UPDATE trigger's result is ignored.)
CREATE OR REPLACE FUNCTION sync_job_left_device() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id)
	VALUES (OLD.station_id, 'jobs', OLD.id, OLD.technician_id);
	RETURN OLD;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER jobs_sync_tombstone BEFORE DELETE ON jobs
	FOR EACH ROW EXECUTE FUNCTION sync_job_left_device();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER jobs_sync_reassigned AFTER UPDATE OF technician_id ON jobs
	FOR EACH ROW WHEN (OLD.technician_id IS DISTINCT FROM NEW.technician_id)
	EXECUTE FUNCTION sync_job_left_device();
--> statement-breakpoint

-- A line or follow-up deleted on its own (part.remove, an import replacing a job's lines)
-- names its job, and a technician's pull sends it only while that job is theirs (pull.ts).
-- It is addressed to the whole station: who holds the job is decided when the tombstone is
-- read, not when it is written, since a reassignment may be running concurrently. Deleted
-- with its job (the job is gone in this transaction), the job's tombstone already covers it.
CREATE OR REPLACE FUNCTION sync_job_child_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM jobs j WHERE j.station_id = OLD.station_id AND j.id = OLD.job_id) THEN
		INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id, job_id)
		VALUES (OLD.station_id, TG_TABLE_NAME, OLD.id, NULL, OLD.job_id);
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_parts_sync_tombstone AFTER DELETE ON job_parts
	FOR EACH ROW EXECUTE FUNCTION sync_job_child_deleted();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER follow_ups_sync_tombstone AFTER DELETE ON follow_ups
	FOR EACH ROW EXECUTE FUNCTION sync_job_child_deleted();
--> statement-breakpoint

-- A deleted part or fault category is gone for every device of its station. Catalog entries
-- are normally deactivated, not deleted; a delete happens when a whole station is removed or
-- rebuilt, or an unused entry is cleaned up.
CREATE OR REPLACE FUNCTION sync_catalog_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id)
	VALUES (OLD.station_id, TG_TABLE_NAME, OLD.id, NULL);
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER parts_sync_tombstone AFTER DELETE ON parts
	FOR EACH ROW EXECUTE FUNCTION sync_catalog_deleted();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER fault_categories_sync_tombstone AFTER DELETE ON fault_categories
	FOR EACH ROW EXECUTE FUNCTION sync_catalog_deleted();
