-- job_history has no foreign keys (0009: checking them for every changed value was the
-- largest cost of a sync push's updates), so a deleted job's history is deleted here, as the
-- cascade did before: once per statement, however many jobs it deletes (a station removed,
-- say).
CREATE FUNCTION job_history_delete_with_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM job_history h
	USING old_rows o
	WHERE h.station_id = o.station_id AND h.job_id = o.id;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_history_delete AFTER DELETE ON jobs
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_history_delete_with_jobs();
