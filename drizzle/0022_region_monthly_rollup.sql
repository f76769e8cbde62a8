CREATE TABLE "job_kpi_monthly" (
	"station_id" uuid NOT NULL,
	"month" date NOT NULL,
	"technician_id" uuid NOT NULL,
	"jobs_completed" integer NOT NULL,
	"success_jobs" integer NOT NULL,
	"successes" integer NOT NULL,
	"repair_count" integer NOT NULL,
	"repair_seconds_sum" numeric NOT NULL,
	"timed_standard_minutes" bigint NOT NULL,
	"response_count" integer NOT NULL,
	"response_seconds_sum" numeric NOT NULL,
	"parts_cost_sum" numeric NOT NULL,
	"rated_count" integer NOT NULL,
	"rated_sum" integer NOT NULL,
	"satisfied_count" integer NOT NULL,
	"followed_up_count" integer NOT NULL,
	"accuracy_jobs" integer NOT NULL,
	"accurate_count" integer NOT NULL,
	"repair_minutes" double precision[] NOT NULL,
	CONSTRAINT "job_kpi_monthly_station_id_month_technician_id_pk" PRIMARY KEY("station_id","month","technician_id")
);
--> statement-breakpoint
CREATE TABLE "job_kpi_monthly_station" (
	"station_id" uuid NOT NULL,
	"month" date NOT NULL,
	"jobs_completed" integer NOT NULL,
	"success_jobs" integer NOT NULL,
	"successes" integer NOT NULL,
	"repair_count" integer NOT NULL,
	"repair_seconds_sum" numeric NOT NULL,
	"timed_standard_minutes" bigint NOT NULL,
	"response_count" integer NOT NULL,
	"response_seconds_sum" numeric NOT NULL,
	"parts_cost_sum" numeric NOT NULL,
	"rated_count" integer NOT NULL,
	"rated_sum" integer NOT NULL,
	"satisfied_count" integer NOT NULL,
	"followed_up_count" integer NOT NULL,
	"accuracy_jobs" integer NOT NULL,
	"accurate_count" integer NOT NULL,
	"repair_minute_marks" double precision[] NOT NULL,
	CONSTRAINT "job_kpi_monthly_station_station_id_month_pk" PRIMARY KEY("station_id","month")
);
--> statement-breakpoint
ALTER TABLE "job_kpi_monthly" ADD CONSTRAINT "job_kpi_monthly_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_kpi_monthly_station" ADD CONSTRAINT "job_kpi_monthly_station_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every station's months from its daily rows, as kpi/monthly-rollup.ts rewrites them.
INSERT INTO "job_kpi_monthly" ("station_id", "month", "technician_id", "jobs_completed", "success_jobs", "successes", "repair_count", "repair_seconds_sum", "timed_standard_minutes", "response_count", "response_seconds_sum", "parts_cost_sum", "rated_count", "rated_sum", "satisfied_count", "followed_up_count", "accuracy_jobs", "accurate_count", "repair_minutes")
SELECT s.*, coalesce(m.repair_minutes, ARRAY[]::float8[])
FROM (
	SELECT d.station_id, date_trunc('month', d.day)::date AS month, d.technician_id,
		sum(d.jobs_completed), sum(d.success_jobs), sum(d.successes), sum(d.repair_count),
		sum(d.repair_seconds_sum), sum(d.timed_standard_minutes), sum(d.response_count),
		sum(d.response_seconds_sum), sum(d.parts_cost_sum), sum(d.rated_count), sum(d.rated_sum),
		sum(d.satisfied_count), sum(d.followed_up_count), sum(d.accuracy_jobs), sum(d.accurate_count)
	FROM "job_kpi_daily" d
	GROUP BY d.station_id, date_trunc('month', d.day)::date, d.technician_id
) s
LEFT JOIN (
	SELECT d.station_id, date_trunc('month', d.day)::date AS month, d.technician_id,
		array_agg(v.minutes ORDER BY v.minutes) AS repair_minutes
	FROM "job_kpi_daily" d
	CROSS JOIN LATERAL unnest(d.repair_minutes) AS v(minutes)
	GROUP BY d.station_id, date_trunc('month', d.day)::date, d.technician_id
) m ON m.station_id = s.station_id AND m.month = s.month AND m.technician_id = s.technician_id;
--> statement-breakpoint
-- Each station's months from its technicians', every 64th of the month's ordered repair minutes
-- kept as a mark (REPAIR_MARK_STRIDE).
INSERT INTO "job_kpi_monthly_station" ("station_id", "month", "jobs_completed", "success_jobs", "successes", "repair_count", "repair_seconds_sum", "timed_standard_minutes", "response_count", "response_seconds_sum", "parts_cost_sum", "rated_count", "rated_sum", "satisfied_count", "followed_up_count", "accuracy_jobs", "accurate_count", "repair_minute_marks")
SELECT s.*, coalesce(k.marks, ARRAY[]::float8[])
FROM (
	SELECT m.station_id, m.month,
		sum(m.jobs_completed), sum(m.success_jobs), sum(m.successes), sum(m.repair_count),
		sum(m.repair_seconds_sum), sum(m.timed_standard_minutes), sum(m.response_count),
		sum(m.response_seconds_sum), sum(m.parts_cost_sum), sum(m.rated_count), sum(m.rated_sum),
		sum(m.satisfied_count), sum(m.followed_up_count), sum(m.accuracy_jobs), sum(m.accurate_count)
	FROM "job_kpi_monthly" m
	GROUP BY m.station_id, m.month
) s
LEFT JOIN (
	SELECT o.station_id, o.month, array_agg(o.minutes ORDER BY o.minutes) AS marks
	FROM (
		SELECT m.station_id, m.month, v.minutes,
			row_number() OVER (PARTITION BY m.station_id, m.month ORDER BY v.minutes) AS position
		FROM "job_kpi_monthly" m
		CROSS JOIN LATERAL unnest(m.repair_minutes) AS v(minutes)
	) o
	WHERE o.position % 64 = 0
	GROUP BY o.station_id, o.month
) k ON k.station_id = s.station_id AND k.month = s.month;
