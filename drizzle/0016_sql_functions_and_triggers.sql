-- Written by `npm run db:sql` from src/lib/server/db/sql/ (see README.md there): the
-- current functions and triggers. Edit those files, not this copy.

-- src/lib/server/db/sql/job-history.sql
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
--> statement-breakpoint

-- src/lib/server/db/sql/kpi-staleness.sql
-- KPI staleness (docs/kpi.md, "Materialised per-job facts"): which jobs' KPI facts a write may
-- have changed, written to job_kpi_stale. Statement-level triggers with transition tables, so
-- an import or a sync batch of many rows marks its jobs in one INSERT … SELECT. The facts
-- themselves are computed by the application (src/lib/server/kpi/job-facts.ts) before any
-- read, so their rules are written once.
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

-- Follow-ups and part lines change the facts of their job (old and new, should one move).
CREATE OR REPLACE FUNCTION job_kpi_mark_job_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO job_kpi_stale (station_id, job_id)
		SELECT r.station_id, r.job_id FROM new_rows r;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO job_kpi_stale (station_id, job_id)
		SELECT r.station_id, r.job_id FROM old_rows r
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

-- A category's standard minutes are part of its completed jobs' facts.
CREATE OR REPLACE FUNCTION job_kpi_mark_category_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO job_kpi_stale (station_id, job_id)
	SELECT j.station_id, j.id
	FROM new_rows n
	JOIN old_rows o ON o.station_id = n.station_id AND o.id = n.id
	JOIN jobs j ON j.station_id = n.station_id AND j.fault_category_id = n.id
	WHERE n.standard_minutes IS DISTINCT FROM o.standard_minutes AND j.status = 'completed';
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

-- src/lib/server/db/sql/sync-tombstones.sql
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
--> statement-breakpoint

-- src/lib/server/db/sql/sync-versions.sql
-- Sync versions (docs/sync.md, "Versions"): a row's `version` is the id of the transaction that
-- last wrote it, and a pull takes the rows with cursor <= version < xmin of its snapshot
-- (src/lib/server/sync/pull.ts). On insert the column default, pg_current_xact_id(), gives
-- exactly that, so the trigger stamps updates only: a PL/pgSQL call per inserted row was a
-- measurable part of a sync push's inserts, most of all on the embedded engine.
CREATE OR REPLACE FUNCTION sync_stamp_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.version := pg_current_xact_id();
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER jobs_stamp_version BEFORE UPDATE ON jobs
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER job_parts_stamp_version BEFORE UPDATE ON job_parts
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER follow_ups_stamp_version BEFORE UPDATE ON follow_ups
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER parts_stamp_version BEFORE UPDATE ON parts
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER fault_categories_stamp_version BEFORE UPDATE ON fault_categories
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
