CREATE TYPE "public"."follow_up_channel" AS ENUM('phone', 'onsite', 'sms', 'other');--> statement-breakpoint
CREATE TYPE "public"."job_outcome" AS ENUM('fixed', 'not_fixed');--> statement-breakpoint
CREATE TYPE "public"."job_status" AS ENUM('open', 'in_progress', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('technician', 'supervisor', 'admin');--> statement-breakpoint
CREATE TABLE "fault_categories" (
	"station_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"standard_minutes" integer DEFAULT 60 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fault_categories_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "fault_categories_station_code" UNIQUE("station_id","code"),
	CONSTRAINT "fault_categories_standard_minutes_positive" CHECK ("fault_categories"."standard_minutes" > 0)
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"station_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"user_id" uuid,
	"visited_at" timestamp with time zone NOT NULL,
	"channel" "follow_up_channel" DEFAULT 'phone' NOT NULL,
	"satisfaction" smallint,
	"issue_resolved" boolean,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_ups_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "follow_ups_satisfaction_range" CHECK ("follow_ups"."satisfaction" IS NULL OR "follow_ups"."satisfaction" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "job_parts" (
	"station_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"part_id" uuid NOT NULL,
	"qty" numeric(12, 3) NOT NULL,
	"unit_cost" numeric(12, 2) NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_parts_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "job_parts_qty_positive" CHECK ("job_parts"."qty" > 0),
	CONSTRAINT "job_parts_unit_cost_nonnegative" CHECK ("job_parts"."unit_cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"station_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"job_no" text NOT NULL,
	"technician_id" uuid NOT NULL,
	"customer_name" text DEFAULT '' NOT NULL,
	"customer_phone" text DEFAULT '' NOT NULL,
	"customer_address" text DEFAULT '' NOT NULL,
	"product_model" text DEFAULT '' NOT NULL,
	"device_serial" text DEFAULT '' NOT NULL,
	"device_serial_key" text GENERATED ALWAYS AS (lower(btrim(device_serial))) STORED NOT NULL,
	"fault_category_id" uuid,
	"fault_description" text DEFAULT '' NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"arrived_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"status" "job_status" DEFAULT 'open' NOT NULL,
	"outcome" "job_outcome",
	"previous_job_id" uuid,
	"notes" text DEFAULT '' NOT NULL,
	"verified_at" timestamp with time zone,
	"verified_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jobs_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "jobs_station_job_no" UNIQUE("station_id","job_no"),
	CONSTRAINT "jobs_job_no_not_blank" CHECK (btrim("jobs"."job_no") <> ''),
	CONSTRAINT "jobs_completed_has_time_and_outcome" CHECK ("jobs"."status" <> 'completed' OR ("jobs"."completed_at" IS NOT NULL AND "jobs"."outcome" IS NOT NULL)),
	CONSTRAINT "jobs_outcome_only_when_completed" CHECK ("jobs"."outcome" IS NULL OR "jobs"."status" = 'completed'),
	CONSTRAINT "jobs_not_own_previous" CHECK ("jobs"."previous_job_id" IS NULL OR "jobs"."previous_job_id" <> "jobs"."id")
);
--> statement-breakpoint
CREATE TABLE "parts" (
	"station_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"unit_cost" numeric(12, 2) NOT NULL,
	"unit" text DEFAULT '个' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parts_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "parts_station_sku" UNIQUE("station_id","sku"),
	CONSTRAINT "parts_unit_cost_nonnegative" CHECK ("parts"."unit_cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "settings_audit" (
	"station_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"subject" text NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	CONSTRAINT "settings_audit_station_id_id_pk" PRIMARY KEY("station_id","id")
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"rework_window_days" integer DEFAULT 30 NOT NULL,
	"min_jobs_for_ranking" integer DEFAULT 5 NOT NULL,
	"kpi_settings" jsonb DEFAULT '{"thresholds":{"repair_success_rate":{"pass":0.9,"excellent":0.95},"avg_response_hours":{"pass":24,"excellent":12},"duration_index":{"pass":1.2,"excellent":1},"csat":{"pass":0.85,"excellent":0.9},"follow_up_rate":{"pass":0.8,"excellent":0.9},"record_accuracy":{"pass":0.95,"excellent":0.98},"parts_cost_per_job":null},"weights":{"repair_success_rate":0.3,"avg_response_hours":0.15,"duration_index":0.15,"csat":0.2,"follow_up_rate":0.1,"record_accuracy":0.1,"parts_cost_per_job":0}}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stations_code_unique" UNIQUE("code"),
	CONSTRAINT "stations_code_format" CHECK ("stations"."code" ~ '^[A-Z0-9_-]{1,32}$'),
	CONSTRAINT "stations_rework_window_positive" CHECK ("stations"."rework_window_days" > 0),
	CONSTRAINT "stations_min_jobs_nonnegative" CHECK ("stations"."min_jobs_for_ranking" >= 0)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"station_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"login" text NOT NULL,
	"name" text NOT NULL,
	"role" "user_role" DEFAULT 'technician' NOT NULL,
	"password_hash" text,
	"active" boolean DEFAULT true NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"last_failed_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "users_station_login" UNIQUE("station_id","login"),
	CONSTRAINT "users_login_format" CHECK ("users"."login" ~ '^[A-Za-z0-9._-]{1,64}$')
);
--> statement-breakpoint
ALTER TABLE "fault_categories" ADD CONSTRAINT "fault_categories_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_user_fk" FOREIGN KEY ("station_id","user_id") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_parts" ADD CONSTRAINT "job_parts_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_parts" ADD CONSTRAINT "job_parts_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_parts" ADD CONSTRAINT "job_parts_part_fk" FOREIGN KEY ("station_id","part_id") REFERENCES "public"."parts"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_parts" ADD CONSTRAINT "job_parts_created_by_fk" FOREIGN KEY ("station_id","created_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_technician_fk" FOREIGN KEY ("station_id","technician_id") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_verified_by_fk" FOREIGN KEY ("station_id","verified_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_fault_category_fk" FOREIGN KEY ("station_id","fault_category_id") REFERENCES "public"."fault_categories"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_previous_job_fk" FOREIGN KEY ("station_id","previous_job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_fk" FOREIGN KEY ("station_id","user_id") REFERENCES "public"."users"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings_audit" ADD CONSTRAINT "settings_audit_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings_audit" ADD CONSTRAINT "settings_audit_user_fk" FOREIGN KEY ("station_id","user_id") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_ups_job_idx" ON "follow_ups" USING btree ("station_id","job_id","visited_at");--> statement-breakpoint
CREATE INDEX "job_parts_job_idx" ON "job_parts" USING btree ("station_id","job_id");--> statement-breakpoint
CREATE INDEX "jobs_station_completed_idx" ON "jobs" USING btree ("station_id","completed_at") WHERE "jobs"."status" = 'completed';--> statement-breakpoint
CREATE INDEX "jobs_station_technician_completed_idx" ON "jobs" USING btree ("station_id","technician_id","completed_at");--> statement-breakpoint
CREATE INDEX "jobs_station_serial_idx" ON "jobs" USING btree ("station_id","device_serial_key","reported_at") WHERE "jobs"."device_serial_key" <> '';--> statement-breakpoint
CREATE INDEX "jobs_station_previous_idx" ON "jobs" USING btree ("station_id","previous_job_id") WHERE "jobs"."previous_job_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("station_id","user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "settings_audit_station_time_idx" ON "settings_audit" USING btree ("station_id","changed_at");