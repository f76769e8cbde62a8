-- A job's lines and follow-ups follow their job on the device (docs/sync.md): the device drops
-- them with the job's tombstone, and a pull sends them whenever it sends their job. Before,
-- the triggers tried to name each child in a tombstone and bumped the children's versions on
-- a reassignment; both read the children in the writer's snapshot, so a line committed by a
-- concurrent writer (an import) in between was never removed from the old technician's
-- device nor sent to the new one, and a line deleted concurrently with a reassignment had its
-- tombstone addressed to the technician who no longer held the job.

-- A deleted job: one tombstone, addressed to its technician; its children go with it.
CREATE OR REPLACE FUNCTION sync_job_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id)
	VALUES (OLD.station_id, 'jobs', OLD.id, OLD.technician_id);
	RETURN OLD;
END
$$;
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
--> statement-breakpoint

-- A job reassigned away from a technician: one tombstone for the old technician's devices,
-- which drop its children with it. The new technician's pull sends the job, whose version
-- moved, and with it every line and follow-up it has at that moment.
CREATE OR REPLACE FUNCTION sync_job_reassigned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id)
	VALUES (OLD.station_id, 'jobs', OLD.id, OLD.technician_id);
	RETURN NULL;
END
$$;
