CREATE TABLE "job_kpi_daily" (
	"station_id" uuid NOT NULL,
	"day" date NOT NULL,
	"technician_id" uuid NOT NULL,
	"jobs_completed" integer NOT NULL,
	"successes" integer NOT NULL,
	"repair_count" integer NOT NULL,
	"repair_seconds_sum" numeric NOT NULL,
	"timed_standard_minutes" bigint NOT NULL,
	"repair_minutes" double precision[] NOT NULL,
	"response_count" integer NOT NULL,
	"response_seconds_sum" numeric NOT NULL,
	"parts_cost_sum" numeric NOT NULL,
	"rated_count" integer NOT NULL,
	"rated_sum" integer NOT NULL,
	"satisfied_count" integer NOT NULL,
	"followed_up_count" integer NOT NULL,
	"accurate_count" integer NOT NULL,
	CONSTRAINT "job_kpi_daily_station_id_day_technician_id_pk" PRIMARY KEY("station_id","day","technician_id")
);
--> statement-breakpoint
CREATE TABLE "job_kpi_facts" (
	"station_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"job_no" text NOT NULL,
	"technician_id" uuid NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"day" date NOT NULL,
	"standard_minutes" integer NOT NULL,
	"repair_seconds" numeric,
	"response_seconds" numeric,
	"parts_cost" numeric NOT NULL,
	"latest_satisfaction" smallint,
	"has_follow_up" boolean NOT NULL,
	"reworked_by" text[] NOT NULL,
	"failure_reasons" text[] NOT NULL,
	"flags" text[] NOT NULL,
	CONSTRAINT "job_kpi_facts_station_id_job_id_pk" PRIMARY KEY("station_id","job_id")
);
--> statement-breakpoint
CREATE TABLE "job_kpi_stale" (
	"station_id" uuid NOT NULL,
	"job_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "job_kpi_daily" ADD CONSTRAINT "job_kpi_daily_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_kpi_facts" ADD CONSTRAINT "job_kpi_facts_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_kpi_facts_completed_idx" ON "job_kpi_facts" USING btree ("station_id","completed_at");--> statement-breakpoint
CREATE INDEX "job_kpi_facts_day_idx" ON "job_kpi_facts" USING btree ("station_id","day","technician_id");--> statement-breakpoint
CREATE INDEX "job_kpi_facts_technician_completed_idx" ON "job_kpi_facts" USING btree ("station_id","technician_id","completed_at");--> statement-breakpoint
CREATE INDEX "job_kpi_stale_station_idx" ON "job_kpi_stale" USING btree ("station_id");--> statement-breakpoint
CREATE INDEX "jobs_station_serial_completed_idx" ON "jobs" USING btree ("station_id","device_serial_key","completed_at") WHERE "jobs"."device_serial_key" <> '' AND "jobs"."status" = 'completed';