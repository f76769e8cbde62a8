-- A row's sync version is the id of the transaction that last wrote it (0002). On insert the
-- column default, pg_current_xact_id(), already gives exactly that, so the trigger is needed
-- for updates only: a PL/pgSQL call per inserted row was a measurable part of a sync push's
-- inserts (new jobs, their lines and follow-ups), most of all on the embedded engine.
DROP TRIGGER jobs_stamp_version ON jobs;
--> statement-breakpoint
CREATE TRIGGER jobs_stamp_version BEFORE UPDATE ON jobs
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
DROP TRIGGER job_parts_stamp_version ON job_parts;
--> statement-breakpoint
CREATE TRIGGER job_parts_stamp_version BEFORE UPDATE ON job_parts
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
DROP TRIGGER follow_ups_stamp_version ON follow_ups;
--> statement-breakpoint
CREATE TRIGGER follow_ups_stamp_version BEFORE UPDATE ON follow_ups
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
DROP TRIGGER parts_stamp_version ON parts;
--> statement-breakpoint
CREATE TRIGGER parts_stamp_version BEFORE UPDATE ON parts
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
--> statement-breakpoint
DROP TRIGGER fault_categories_stamp_version ON fault_categories;
--> statement-breakpoint
CREATE TRIGGER fault_categories_stamp_version BEFORE UPDATE ON fault_categories
	FOR EACH ROW EXECUTE FUNCTION sync_stamp_version();
