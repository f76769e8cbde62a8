CREATE TYPE "public"."follow_up_source" AS ENUM('technician', 'desk', 'supervisor', 'survey', 'import');--> statement-breakpoint
CREATE TABLE "job_appeals" (
	"station_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"technician_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"flag" text,
	"reason" text NOT NULL,
	"evidence" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	CONSTRAINT "job_appeals_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "job_appeals_subject" CHECK ("job_appeals"."subject" IN ('rework', 'flag')),
	CONSTRAINT "job_appeals_status" CHECK ("job_appeals"."status" IN ('pending', 'accepted', 'rejected')),
	CONSTRAINT "job_appeals_flag_when_flag" CHECK (("job_appeals"."subject" = 'flag') = ("job_appeals"."flag" IS NOT NULL)),
	CONSTRAINT "job_appeals_reason_not_blank" CHECK (btrim("job_appeals"."reason") <> ''),
	CONSTRAINT "job_appeals_decided" CHECK (("job_appeals"."status" = 'pending') = ("job_appeals"."decided_at" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "job_flag_acceptances" (
	"station_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"flag" text NOT NULL,
	"reason" text NOT NULL,
	"accepted_by" uuid NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"appeal_id" uuid,
	CONSTRAINT "job_flag_acceptances_station_id_job_id_flag_pk" PRIMARY KEY("station_id","job_id","flag"),
	CONSTRAINT "job_flag_acceptances_reason_not_blank" CHECK (btrim("job_flag_acceptances"."reason") <> '')
);
--> statement-breakpoint
CREATE TABLE "job_kpi_exclusions" (
	"station_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"kpi" text NOT NULL,
	"reason" text NOT NULL,
	"appeal_id" uuid,
	"decided_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_kpi_exclusions_station_id_job_id_kpi_pk" PRIMARY KEY("station_id","job_id","kpi"),
	CONSTRAINT "job_kpi_exclusions_kpi" CHECK ("job_kpi_exclusions"."kpi" IN ('repair_success_rate', 'record_accuracy'))
);
--> statement-breakpoint
CREATE TABLE "job_step_entries" (
	"station_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"step" text NOT NULL,
	"entry" text NOT NULL,
	"noted_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid,
	CONSTRAINT "job_step_entries_station_id_job_id_step_pk" PRIMARY KEY("station_id","job_id","step"),
	CONSTRAINT "job_step_entries_step" CHECK ("job_step_entries"."step" IN ('arrived', 'started', 'completed')),
	CONSTRAINT "job_step_entries_entry" CHECK ("job_step_entries"."entry" IN ('tap', 'typed', 'import'))
);
--> statement-breakpoint
CREATE TABLE "kpi_settings_versions" (
	"station_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"kpi_settings" jsonb NOT NULL,
	"rework_window_days" integer NOT NULL,
	"min_jobs_for_ranking" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_settings_versions_station_id_effective_from_pk" PRIMARY KEY("station_id","effective_from")
);
--> statement-breakpoint
CREATE TABLE "period_closures" (
	"station_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"closed_by" uuid NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"scorecard" jsonb NOT NULL,
	"settings" jsonb NOT NULL,
	"reopened_by" uuid,
	"reopened_at" timestamp with time zone,
	"reopen_reason" text,
	CONSTRAINT "period_closures_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "period_closures_range" CHECK ("period_closures"."period_from" < "period_closures"."period_to"),
	CONSTRAINT "period_closures_reopen_complete" CHECK (("period_closures"."reopened_at" IS NULL) = ("period_closures"."reopened_by" IS NULL)
				AND ("period_closures"."reopened_at" IS NULL) = ("period_closures"."reopen_reason" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "survey_answers" (
	"station_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"satisfaction" smallint NOT NULL,
	"issue_resolved" boolean,
	"comment" text DEFAULT '' NOT NULL,
	"follow_up_id" uuid NOT NULL,
	CONSTRAINT "survey_answers_station_id_job_id_pk" PRIMARY KEY("station_id","job_id"),
	CONSTRAINT "survey_answers_satisfaction_range" CHECK ("survey_answers"."satisfaction" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "survey_throttle" (
	"address" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fault_categories" ADD COLUMN "floor_minutes" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "source" "follow_up_source" DEFAULT 'technician' NOT NULL;--> statement-breakpoint
ALTER TABLE "job_kpi_daily" ADD COLUMN "success_jobs" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "job_kpi_daily" ADD COLUMN "accuracy_jobs" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "job_kpi_facts" ADD COLUMN "accepted_flags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "job_kpi_facts" ADD COLUMN "excluded_kpis" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "job_appeals" ADD CONSTRAINT "job_appeals_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_appeals" ADD CONSTRAINT "job_appeals_technician_fk" FOREIGN KEY ("station_id","technician_id") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_appeals" ADD CONSTRAINT "job_appeals_decided_by_fk" FOREIGN KEY ("station_id","decided_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_flag_acceptances" ADD CONSTRAINT "job_flag_acceptances_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_flag_acceptances" ADD CONSTRAINT "job_flag_acceptances_user_fk" FOREIGN KEY ("station_id","accepted_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_kpi_exclusions" ADD CONSTRAINT "job_kpi_exclusions_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_kpi_exclusions" ADD CONSTRAINT "job_kpi_exclusions_decided_by_fk" FOREIGN KEY ("station_id","decided_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_step_entries" ADD CONSTRAINT "job_step_entries_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_settings_versions" ADD CONSTRAINT "kpi_settings_versions_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_closures" ADD CONSTRAINT "period_closures_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_closures" ADD CONSTRAINT "period_closures_closed_by_fk" FOREIGN KEY ("station_id","closed_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_closures" ADD CONSTRAINT "period_closures_reopened_by_fk" FOREIGN KEY ("station_id","reopened_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_follow_up_fk" FOREIGN KEY ("station_id","follow_up_id") REFERENCES "public"."follow_ups"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "job_appeals_one_pending_idx" ON "job_appeals" USING btree ("station_id","job_id","subject",coalesce("flag", '')) WHERE "job_appeals"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "job_appeals_station_status_idx" ON "job_appeals" USING btree ("station_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "period_closures_in_force_idx" ON "period_closures" USING btree ("station_id","period_from","period_to") WHERE "period_closures"."reopened_at" IS NULL;--> statement-breakpoint
-- Follow-ups recorded before their source was kept: by who recorded them. Imported ones have no
-- user; the desk's calls were the desk's; a supervisor's or an admin's were theirs.
UPDATE "follow_ups" f SET "source" = CASE
		WHEN f."user_id" IS NULL THEN 'import'
		WHEN u."role"::text = 'technician' THEN 'technician'
		WHEN u."role"::text = 'dispatcher' THEN 'desk'
		ELSE 'supervisor'
	END::"follow_up_source"
FROM "follow_ups" f2
LEFT JOIN "users" u ON u."station_id" = f2."station_id" AND u."id" = f2."user_id"
WHERE f2."station_id" = f."station_id" AND f2."id" = f."id";
--> statement-breakpoint
-- Each station's settings so far, in force from the beginning.
INSERT INTO "kpi_settings_versions" ("station_id", "effective_from", "kpi_settings", "rework_window_days", "min_jobs_for_ranking")
SELECT "id", '-infinity'::date, "kpi_settings", "rework_window_days", "min_jobs_for_ranking" FROM "stations";
--> statement-breakpoint
-- The facts now leave out technicians' own follow-ups and carry the new flags: refresh them all.
INSERT INTO "job_kpi_stale" ("station_id", "job_id")
SELECT "station_id", "id" FROM "jobs" WHERE "status" = 'completed';
--> statement-breakpoint
-- Until the refresh above rewrites them, the daily rows count every job for both rates, as before.
UPDATE "job_kpi_daily" SET "success_jobs" = "jobs_completed", "accuracy_jobs" = "jobs_completed";
