-- KPI staleness (docs/kpi.md, "Materialised per-job facts"): which jobs' KPI facts a write may
-- have changed, written to job_kpi_stale. Statement-level triggers with transition tables, so
-- an import or a sync batch of many rows marks its jobs in one INSERT … SELECT. The facts
-- themselves are computed by the application (src/lib/server/kpi/job-facts.ts), so their rules
-- are written once: by the write's own request and a background worker, never by a read
-- (src/lib/server/kpi/fact-refresh.ts); each mark carries when it was made (marked_at).
--
-- A job J's facts depend on: J's own row; jobs linked to J (previous_job_id = J); jobs with J's
-- serial reported within the rework window after J's completion; J's follow-ups and parts;
-- J's category's standard minutes; the station's rework window and time zone (J's local day,
-- by which job_kpi_daily groups). Marking too much is harmless (a refresh recomputes the same
-- facts); marking too little is a wrong number, so job-facts.test.ts checks the facts against
-- a fresh computation after every kind of write.

-- The jobs a (version of a) job row may change the facts of: itself, the job it links to, and
-- the completed jobs with its serial whose rework window contains its report time.
CREATE OR REPLACE FUNCTION job_kpi_affected_by_job(
	p_station_id uuid, p_job_id uuid, p_previous_job_id uuid, p_serial_key text, p_reported_at timestamptz
) RETURNS TABLE (station_id uuid, job_id uuid) LANGUAGE sql STABLE AS $$
	SELECT p_station_id, p_job_id
	UNION ALL
	SELECT p_station_id, p_previous_job_id WHERE p_previous_job_id IS NOT NULL
	UNION ALL
	SELECT j.station_id, j.id
	FROM stations s
	JOIN jobs j
		ON j.station_id = s.id
		-- Repeated from the WHERE so the planner can use the partial serial index.
		AND j.device_serial_key <> ''
		AND j.device_serial_key = p_serial_key
		AND j.status = 'completed'
		AND j.completed_at >= p_reported_at - s.rework_window_days * interval '24 hours'
		AND j.completed_at < p_reported_at
	WHERE s.id = p_station_id AND p_serial_key <> ''
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION job_kpi_mark_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO job_kpi_stale (station_id, job_id)
		SELECT a.station_id, a.job_id
		FROM new_rows r
		CROSS JOIN LATERAL job_kpi_affected_by_job(
			r.station_id, r.id, r.previous_job_id, r.device_serial_key, r.reported_at
		) a;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		-- Not for a station being deleted with its jobs: nothing of it will be read again.
		INSERT INTO job_kpi_stale (station_id, job_id)
		SELECT a.station_id, a.job_id
		FROM old_rows r
		CROSS JOIN LATERAL job_kpi_affected_by_job(
			r.station_id, r.id, r.previous_job_id, r.device_serial_key, r.reported_at
		) a
		WHERE EXISTS (SELECT 1 FROM stations s WHERE s.id = r.station_id);
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER jobs_kpi_stale_insert AFTER INSERT ON jobs
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_jobs();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER jobs_kpi_stale_update AFTER UPDATE ON jobs
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_jobs();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER jobs_kpi_stale_delete AFTER DELETE ON jobs
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_jobs();
--> statement-breakpoint

-- Follow-ups, part lines and step entries change the facts of their job (old and new, should one
-- move). One mark per job a statement touched, however many of its rows: an import's 600,000
-- step entries of 200,000 jobs queue 200,000 marks, not 600,000.
CREATE OR REPLACE FUNCTION job_kpi_mark_job_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO job_kpi_stale (station_id, job_id)
		SELECT DISTINCT r.station_id, r.job_id FROM new_rows r;
	ELSIF TG_OP = 'UPDATE' THEN
		INSERT INTO job_kpi_stale (station_id, job_id)
		SELECT r.station_id, r.job_id FROM new_rows r
		UNION
		SELECT r.station_id, r.job_id FROM old_rows r
		WHERE EXISTS (SELECT 1 FROM stations s WHERE s.id = r.station_id);
	ELSE
		-- Not for a station being deleted with its jobs: nothing of it will be read again.
		INSERT INTO job_kpi_stale (station_id, job_id)
		SELECT DISTINCT r.station_id, r.job_id FROM old_rows r
		WHERE EXISTS (SELECT 1 FROM stations s WHERE s.id = r.station_id);
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER follow_ups_kpi_stale_insert AFTER INSERT ON follow_ups
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER follow_ups_kpi_stale_update AFTER UPDATE ON follow_ups
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER follow_ups_kpi_stale_delete AFTER DELETE ON follow_ups
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_parts_kpi_stale_insert AFTER INSERT ON job_parts
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_parts_kpi_stale_update AFTER UPDATE ON job_parts
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_parts_kpi_stale_delete AFTER DELETE ON job_parts
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_step_entries_kpi_stale_insert AFTER INSERT ON job_step_entries
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_step_entries_kpi_stale_update AFTER UPDATE ON job_step_entries
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_step_entries_kpi_stale_delete AFTER DELETE ON job_step_entries
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_flag_acceptances_kpi_stale_insert AFTER INSERT ON job_flag_acceptances
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_flag_acceptances_kpi_stale_update AFTER UPDATE ON job_flag_acceptances
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_flag_acceptances_kpi_stale_delete AFTER DELETE ON job_flag_acceptances
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_kpi_exclusions_kpi_stale_insert AFTER INSERT ON job_kpi_exclusions
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_kpi_exclusions_kpi_stale_update AFTER UPDATE ON job_kpi_exclusions
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_kpi_exclusions_kpi_stale_delete AFTER DELETE ON job_kpi_exclusions
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_job_children();
--> statement-breakpoint

-- A category's standard minutes are part of its completed jobs' facts.
CREATE OR REPLACE FUNCTION job_kpi_mark_category_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO job_kpi_stale (station_id, job_id)
	SELECT j.station_id, j.id
	FROM new_rows n
	JOIN old_rows o ON o.station_id = n.station_id AND o.id = n.id
	JOIN jobs j ON j.station_id = n.station_id AND j.fault_category_id = n.id
	WHERE (n.standard_minutes IS DISTINCT FROM o.standard_minutes
			OR n.floor_minutes IS DISTINCT FROM o.floor_minutes)
		AND j.status = 'completed';
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER fault_categories_kpi_stale_update AFTER UPDATE ON fault_categories
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_category_jobs();
--> statement-breakpoint

-- The rework window decides every completed job's reworks; the time zone its local day.
CREATE OR REPLACE FUNCTION job_kpi_mark_station_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO job_kpi_stale (station_id, job_id)
	SELECT j.station_id, j.id
	FROM new_rows n
	JOIN old_rows o ON o.id = n.id
	JOIN jobs j ON j.station_id = n.id
	WHERE (n.rework_window_days IS DISTINCT FROM o.rework_window_days
			OR n.time_zone IS DISTINCT FROM o.time_zone)
		AND j.status = 'completed';
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER stations_kpi_stale_update AFTER UPDATE ON stations
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_station_jobs();
--> statement-breakpoint

-- An effective-dated settings version (rework window) may change the facts of any completed job
-- of its station; versions change rarely, so all of them are refreshed.
CREATE OR REPLACE FUNCTION job_kpi_mark_settings_version_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO job_kpi_stale (station_id, job_id)
	SELECT j.station_id, j.id
	FROM (SELECT DISTINCT station_id FROM changed_rows) c
	JOIN jobs j ON j.station_id = c.station_id
	WHERE j.status = 'completed' AND EXISTS (SELECT 1 FROM stations s WHERE s.id = c.station_id);
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER kpi_settings_versions_kpi_stale_insert AFTER INSERT ON kpi_settings_versions
	REFERENCING NEW TABLE AS changed_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_settings_version_jobs();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER kpi_settings_versions_kpi_stale_update AFTER UPDATE ON kpi_settings_versions
	REFERENCING NEW TABLE AS changed_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_settings_version_jobs();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER kpi_settings_versions_kpi_stale_delete AFTER DELETE ON kpi_settings_versions
	REFERENCING OLD TABLE AS changed_rows
	FOR EACH STATEMENT EXECUTE FUNCTION job_kpi_mark_settings_version_jobs();
--> statement-breakpoint
