CREATE TYPE "public"."follow_up_call_outcome" AS ENUM('reached', 'no_answer', 'refused', 'wrong_number');--> statement-breakpoint
CREATE TYPE "public"."job_origin" AS ENUM('technician', 'desk', 'import');--> statement-breakpoint
CREATE TYPE "public"."job_urgency" AS ENUM('normal', 'urgent');--> statement-breakpoint
ALTER TYPE "public"."user_role" ADD VALUE 'dispatcher';--> statement-breakpoint
CREATE TABLE "follow_up_calls" (
	"station_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"called_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" "follow_up_call_outcome" NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"follow_up_id" uuid,
	CONSTRAINT "follow_up_calls_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "follow_up_calls_follow_up_only_when_reached" CHECK ("follow_up_calls"."follow_up_id" IS NULL OR "follow_up_calls"."outcome" = 'reached')
);
--> statement-breakpoint
CREATE TABLE "follow_up_closures" (
	"station_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"closed_by" uuid NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "follow_up_closures_station_id_job_id_pk" PRIMARY KEY("station_id","job_id"),
	CONSTRAINT "follow_up_closures_reason_not_blank" CHECK (btrim("follow_up_closures"."reason") <> '')
);
--> statement-breakpoint
CREATE TABLE "job_overlaps" (
	"station_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"technician_id" uuid NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolution" text,
	CONSTRAINT "job_overlaps_station_id_job_id_technician_id_pk" PRIMARY KEY("station_id","job_id","technician_id"),
	CONSTRAINT "job_overlaps_resolution" CHECK (("job_overlaps"."resolution" IS NULL) = ("job_overlaps"."resolved_at" IS NULL) AND ("job_overlaps"."resolution" IS NULL OR "job_overlaps"."resolution" IN ('returned', 'kept')))
);
--> statement-breakpoint
ALTER TABLE "account_audit" DROP CONSTRAINT "account_audit_action";--> statement-breakpoint
ALTER TABLE "jobs" ALTER COLUMN "technician_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "origin" "job_origin" DEFAULT 'technician' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "reported_by" uuid;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "urgency" "job_urgency" DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "follow_up_calls" ADD CONSTRAINT "follow_up_calls_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_calls" ADD CONSTRAINT "follow_up_calls_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_calls" ADD CONSTRAINT "follow_up_calls_user_fk" FOREIGN KEY ("station_id","user_id") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_calls" ADD CONSTRAINT "follow_up_calls_follow_up_fk" FOREIGN KEY ("station_id","follow_up_id") REFERENCES "public"."follow_ups"("station_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_closures" ADD CONSTRAINT "follow_up_closures_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_closures" ADD CONSTRAINT "follow_up_closures_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_closures" ADD CONSTRAINT "follow_up_closures_closed_by_fk" FOREIGN KEY ("station_id","closed_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_overlaps" ADD CONSTRAINT "job_overlaps_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_overlaps" ADD CONSTRAINT "job_overlaps_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_overlaps" ADD CONSTRAINT "job_overlaps_technician_fk" FOREIGN KEY ("station_id","technician_id") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_overlaps" ADD CONSTRAINT "job_overlaps_resolved_by_fk" FOREIGN KEY ("station_id","resolved_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_up_calls_job_idx" ON "follow_up_calls" USING btree ("station_id","job_id","called_at");--> statement-breakpoint
CREATE INDEX "job_overlaps_open_idx" ON "job_overlaps" USING btree ("station_id","detected_at") WHERE "job_overlaps"."resolved_at" IS NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_reported_by_fk" FOREIGN KEY ("station_id","reported_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_station_phone_prefix_idx" ON "jobs" USING btree ("station_id","customer_phone" text_pattern_ops) WHERE "jobs"."customer_phone" <> '';--> statement-breakpoint
CREATE INDEX "jobs_station_serial_prefix_idx" ON "jobs" USING btree ("station_id","device_serial_key" text_pattern_ops) WHERE "jobs"."device_serial_key" <> '';--> statement-breakpoint
CREATE INDEX "jobs_station_open_idx" ON "jobs" USING btree ("station_id","reported_at") WHERE "jobs"."status" IN ('open', 'in_progress');--> statement-breakpoint
ALTER TABLE "account_audit" ADD CONSTRAINT "account_audit_action" CHECK ("account_audit"."action" IN ('create', 'deactivate', 'activate', 'password_reset', 'password_change', 'role_change', 'rename'));--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_assigned_unless_open" CHECK ("jobs"."technician_id" IS NOT NULL OR "jobs"."status" IN ('open', 'cancelled'));