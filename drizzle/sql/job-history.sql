-- Job history (docs/sync.md, "Job history"): every changed value of a job, old and new, from
-- every writer.

-- Who, from which device, at what device time and for what reason come from transaction-local
-- settings that the writer sets (the change context, change-context.ts); a writer that sets
-- none is recorded with nulls. A sync push applies one kind of change to many jobs in one
-- statement, each job from its own mutation: it sets `repairscore.per_job` to one line per job,
-- "<job id> <mutation id> <device time>\n", and each job's mutation and device time come from
-- its line, else from `repairscore.mutation_id` and `repairscore.device_time`. The line is
-- found with position() (the trigger runs for every changed job, and parsing a JSON map here
-- cost more than the rest of the trigger), and the old row is turned into jsonb once and
-- looked up by key rather than expanded and joined.
CREATE OR REPLACE FUNCTION job_history_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	old_row jsonb := to_jsonb(OLD);
	per_job text := coalesce(current_setting('repairscore.per_job', true), '');
	line_at integer := CASE WHEN per_job = '' THEN 0 ELSE position(NEW.id::text IN per_job) END;
	job_line text[] := CASE WHEN line_at > 0
		THEN string_to_array(split_part(substr(per_job, line_at), E'\n', 1), ' ') END;
BEGIN
	INSERT INTO job_history (
		station_id, job_id, field, old_value, new_value,
		changed_by, device_time, client_id, mutation_id, reason
	)
	SELECT
		NEW.station_id, NEW.id, n.key, old_row -> n.key, n.value,
		nullif(current_setting('repairscore.changed_by', true), '')::uuid,
		coalesce(
			job_line[3]::timestamptz,
			nullif(current_setting('repairscore.device_time', true), '')::timestamptz
		),
		nullif(current_setting('repairscore.client_id', true), '')::uuid,
		coalesce(
			job_line[2]::bigint,
			nullif(current_setting('repairscore.mutation_id', true), '')::bigint
		),
		nullif(current_setting('repairscore.reason', true), '')
	FROM jsonb_each(to_jsonb(NEW)) n
	WHERE n.value IS DISTINCT FROM old_row -> n.key
		AND n.key NOT IN ('version', 'updated_at', 'created_at', 'device_serial_key');
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER jobs_record_history AFTER UPDATE ON jobs
	FOR EACH ROW EXECUTE FUNCTION job_history_record();
--> statement-breakpoint

-- job_history has no foreign keys (checking them for every changed value was the largest cost
-- of a sync push's updates), so a deleted job's history is deleted here, as a cascade would:
-- once per statement, however many jobs it deletes (a station removed, say).
CREATE OR REPLACE FUNCTION job_history_delete_with_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM job_history h
	USING old_rows o
	WHERE h.station_id = o.station_id AND h.job_id = o.id;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER jobs_history_delete AFTER DELETE ON jobs
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_history_delete_with_jobs();
