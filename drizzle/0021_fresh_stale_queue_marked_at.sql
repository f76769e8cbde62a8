DROP INDEX "job_kpi_stale_station_idx";--> statement-breakpoint
ALTER TABLE "job_kpi_stale" ADD COLUMN "marked_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "job_kpi_stale_station_marked_idx" ON "job_kpi_stale" USING btree ("station_id","marked_at");--> statement-breakpoint
CREATE INDEX "job_kpi_stale_station_job_idx" ON "job_kpi_stale" USING btree ("station_id","job_id");