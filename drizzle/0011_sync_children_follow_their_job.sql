-- A job's lines and follow-ups follow their job on the device (docs/sync.md): the device drops
-- them with the job's tombstone, and a pull sends them whenever it sends their job. Before,
-- the triggers tried to name each child in a tombstone and bumped the children's versions on
-- a reassignment; both read the children in the writer's snapshot, so a line committed by a
-- concurrent writer (an import) in between was never removed from the old technician's
-- device nor sent to the new one, and a line deleted concurrently with a reassignment had its
-- tombstone addressed to the technician who no longer held the job.

-- A job that leaves a technician's devices, deleted or reassigned to someone else: one
-- tombstone, addressed to that technician; the devices drop its children with it. A reassigned
-- job reaches the new technician's devices through its version, which moved, and with it every
-- line and follow-up it has at that moment. (BEFORE DELETE returns the row to delete; an AFTER
-- trigger's result is ignored.)
CREATE FUNCTION sync_job_left_device() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id)
	VALUES (OLD.station_id, 'jobs', OLD.id, OLD.technician_id);
	RETURN OLD;
END
$$;
--> statement-breakpoint
DROP TRIGGER jobs_sync_tombstone ON jobs;
--> statement-breakpoint
CREATE TRIGGER jobs_sync_tombstone BEFORE DELETE ON jobs
	FOR EACH ROW EXECUTE FUNCTION sync_job_left_device();
--> statement-breakpoint
DROP TRIGGER jobs_sync_reassigned ON jobs;
--> statement-breakpoint
CREATE TRIGGER jobs_sync_reassigned AFTER UPDATE OF technician_id ON jobs
	FOR EACH ROW WHEN (OLD.technician_id IS DISTINCT FROM NEW.technician_id)
	EXECUTE FUNCTION sync_job_left_device();
--> statement-breakpoint
DROP FUNCTION sync_job_deleted();
--> statement-breakpoint
DROP FUNCTION sync_job_reassigned();
--> statement-breakpoint

-- A line or follow-up deleted on its own (part.remove, an import replacing a job's lines) is
-- addressed to the whole station: whoever holds its job when the tombstone is read must get
-- it, and that is not known while a reassignment may be running concurrently. Deleted with its
-- job (the job is gone in this transaction), the job's tombstone already covers it.
CREATE OR REPLACE FUNCTION sync_job_child_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM jobs j WHERE j.station_id = OLD.station_id AND j.id = OLD.job_id) THEN
		INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id)
		VALUES (OLD.station_id, TG_TABLE_NAME, OLD.id, NULL);
	END IF;
	RETURN NULL;
END
$$;
