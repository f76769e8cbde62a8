-- Offline sync (docs/sync.md): versions, tombstones and job history kept by triggers, so that
-- every writer (sync push, tRPC, CSV import, demo reset) is seen by devices and by the history.

-- A row's version is the id of the transaction that last wrote it. A pull takes the rows with
-- cursor <= version < xmin of its snapshot; see src/lib/server/sync/pull.ts.
CREATE FUNCTION sync_stamp_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.version := pg_current_xact_id();
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_stamp_version BEFORE INSERT OR UPDATE ON jobs
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
CREATE TRIGGER job_parts_stamp_version BEFORE INSERT OR UPDATE ON job_parts
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
CREATE TRIGGER follow_ups_stamp_version BEFORE INSERT OR UPDATE ON follow_ups
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
CREATE TRIGGER parts_stamp_version BEFORE INSERT OR UPDATE ON parts
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
CREATE TRIGGER fault_categories_stamp_version BEFORE INSERT OR UPDATE ON fault_categories
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint

-- A deleted job leaves a tombstone for itself and for its part lines and follow-ups, addressed
-- to its technician (supervisors receive every tombstone of their station). BEFORE DELETE,
-- because the children still exist then: the foreign keys cascade to them afterwards.
CREATE FUNCTION sync_job_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id)
	SELECT OLD.station_id, 'jobs', OLD.id, OLD.technician_id
	UNION ALL
	SELECT jp.station_id, 'job_parts', jp.id, OLD.technician_id
	FROM job_parts jp
	WHERE jp.station_id = OLD.station_id AND jp.job_id = OLD.id
	UNION ALL
	SELECT f.station_id, 'follow_ups', f.id, OLD.technician_id
	FROM follow_ups f
	WHERE f.station_id = OLD.station_id AND f.job_id = OLD.id;
	RETURN OLD;
END
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_sync_tombstone BEFORE DELETE ON jobs
	FOR EACH ROW EXECUTE FUNCTION sync_job_deleted();
--> statement-breakpoint

-- A part line or follow-up deleted on its own (part.remove, an import replacing a job's lines)
-- is addressed to its job's technician. When its job is deleted in the same transaction, the
-- job is no longer visible here: either the job's trigger already wrote this tombstone (the
-- child still existed then), or the child went first (a station delete cascades to every
-- table at once) and takes the audience of the job's tombstone.
CREATE FUNCTION sync_job_child_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	owner uuid;
BEGIN
	SELECT j.technician_id INTO owner
	FROM jobs j
	WHERE j.station_id = OLD.station_id AND j.id = OLD.job_id;
	IF NOT FOUND THEN
		SELECT t.audience_user_id INTO owner
		FROM sync_tombstones t
		WHERE t.station_id = OLD.station_id AND t.row_id = OLD.job_id AND t.table_name = 'jobs'
			AND t.version = pg_current_xact_id()
		ORDER BY t.id DESC
		LIMIT 1;
		IF EXISTS (
			SELECT 1
			FROM sync_tombstones t
			WHERE t.station_id = OLD.station_id AND t.row_id = OLD.id AND t.table_name = TG_TABLE_NAME
				AND t.version = pg_current_xact_id()
				AND t.audience_user_id IS NOT DISTINCT FROM owner
		) THEN
			RETURN NULL;
		END IF;
	END IF;
	INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id)
	VALUES (OLD.station_id, TG_TABLE_NAME, OLD.id, owner);
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER job_parts_sync_tombstone AFTER DELETE ON job_parts
	FOR EACH ROW EXECUTE FUNCTION sync_job_child_deleted();
--> statement-breakpoint
CREATE TRIGGER follow_ups_sync_tombstone AFTER DELETE ON follow_ups
	FOR EACH ROW EXECUTE FUNCTION sync_job_child_deleted();
--> statement-breakpoint

-- A job reassigned away from a technician is gone from that technician's devices (with its
-- children); the new technician must receive the job AND its existing children, so their
-- versions move to this transaction.
CREATE FUNCTION sync_job_reassigned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id)
	SELECT OLD.station_id, 'jobs', OLD.id, OLD.technician_id
	UNION ALL
	SELECT jp.station_id, 'job_parts', jp.id, OLD.technician_id
	FROM job_parts jp
	WHERE jp.station_id = OLD.station_id AND jp.job_id = OLD.id
	UNION ALL
	SELECT f.station_id, 'follow_ups', f.id, OLD.technician_id
	FROM follow_ups f
	WHERE f.station_id = OLD.station_id AND f.job_id = OLD.id;
	UPDATE job_parts SET version = pg_current_xact_id()
	WHERE station_id = NEW.station_id AND job_id = NEW.id;
	UPDATE follow_ups SET version = pg_current_xact_id()
	WHERE station_id = NEW.station_id AND job_id = NEW.id;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_sync_reassigned AFTER UPDATE OF technician_id ON jobs
	FOR EACH ROW WHEN (OLD.technician_id IS DISTINCT FROM NEW.technician_id)
	EXECUTE FUNCTION sync_job_reassigned();
--> statement-breakpoint

-- Every changed value of a job, old and new. Who, from which device and mutation, at what
-- device time and for what reason come from transaction-local settings that the writer sets
-- (src/lib/server/sync/change-context.ts); a writer that sets none is recorded with nulls.
CREATE FUNCTION job_history_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO job_history (
		station_id, job_id, field, old_value, new_value,
		changed_by, device_time, client_id, mutation_id, reason
	)
	SELECT
		NEW.station_id, NEW.id, n.key, o.value, n.value,
		nullif(current_setting('repairscore.changed_by', true), '')::uuid,
		nullif(current_setting('repairscore.device_time', true), '')::timestamptz,
		nullif(current_setting('repairscore.client_id', true), '')::uuid,
		nullif(current_setting('repairscore.mutation_id', true), '')::bigint,
		nullif(current_setting('repairscore.reason', true), '')
	FROM jsonb_each(to_jsonb(NEW)) n
	JOIN jsonb_each(to_jsonb(OLD)) o ON o.key = n.key
	WHERE n.value IS DISTINCT FROM o.value
		AND n.key NOT IN ('version', 'updated_at', 'created_at', 'device_serial_key');
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_record_history AFTER UPDATE ON jobs
	FOR EACH ROW EXECUTE FUNCTION job_history_record();
