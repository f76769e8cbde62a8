ALTER TABLE "sync_tombstones" ADD COLUMN "job_id" uuid;--> statement-breakpoint

-- A line or follow-up deleted on its own names its job, and a technician's pull sends it only
-- while that job is theirs (pull.ts). Addressed to the whole station, as before: who holds the
-- job is decided when the tombstone is read, not when it is written (migration 0011).
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

-- Tombstones written before this migration do not know their job, and sending them to every
-- technician is the leak this closes. They are pruned as retention prunes, so a device whose
-- cursor is not past them starts again from a full snapshot instead (retention.ts).
WITH pruned AS (
	DELETE FROM sync_tombstones
	WHERE table_name IN ('job_parts', 'follow_ups') AND job_id IS NULL
	RETURNING station_id, version
)
INSERT INTO sync_retention (station_id, pruned_through)
SELECT station_id, max(version) FROM pruned GROUP BY station_id
ON CONFLICT (station_id) DO UPDATE
SET pruned_through = greatest(sync_retention.pruned_through, excluded.pruned_through),
	pruned_at = now();
