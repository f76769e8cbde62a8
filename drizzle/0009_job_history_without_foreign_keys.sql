ALTER TABLE "job_history" DROP CONSTRAINT "job_history_job_fk";
--> statement-breakpoint
ALTER TABLE "job_history" DROP CONSTRAINT "job_history_changed_by_fk";
