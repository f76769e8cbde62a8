-- A sync push applies one kind of change to many jobs in one statement, each job from its own
-- mutation (src/lib/server/sync/rounds.ts). It sets `repairscore.per_job` to a JSON object
-- keyed by job id, {"<job id>": {"mutationId": 7, "deviceTime": "..."}}, and the history
-- records each job's own mutation and device time from it; otherwise they come from
-- `repairscore.mutation_id` and `repairscore.device_time` as before.
-- The old row is turned into jsonb once and looked up by key, rather than both rows being
-- expanded and joined: the trigger runs for every changed job.
CREATE OR REPLACE FUNCTION job_history_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	old_row jsonb := to_jsonb(OLD);
	job_context jsonb := nullif(current_setting('repairscore.per_job', true), '')::jsonb -> NEW.id::text;
BEGIN
	INSERT INTO job_history (
		station_id, job_id, field, old_value, new_value,
		changed_by, device_time, client_id, mutation_id, reason
	)
	SELECT
		NEW.station_id, NEW.id, n.key, old_row -> n.key, n.value,
		nullif(current_setting('repairscore.changed_by', true), '')::uuid,
		coalesce(
			(job_context ->> 'deviceTime')::timestamptz,
			nullif(current_setting('repairscore.device_time', true), '')::timestamptz
		),
		nullif(current_setting('repairscore.client_id', true), '')::uuid,
		coalesce(
			(job_context ->> 'mutationId')::bigint,
			nullif(current_setting('repairscore.mutation_id', true), '')::bigint
		),
		nullif(current_setting('repairscore.reason', true), '')
	FROM jsonb_each(to_jsonb(NEW)) n
	WHERE n.value IS DISTINCT FROM old_row -> n.key
		AND n.key NOT IN ('version', 'updated_at', 'created_at', 'device_serial_key');
	RETURN NULL;
END
$$;
