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
