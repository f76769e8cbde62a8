CREATE TABLE "job_file_contents" (
	"station_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"variant" text NOT NULL,
	"content_type" text NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "job_file_contents_station_id_file_id_variant_pk" PRIMARY KEY("station_id","file_id","variant"),
	CONSTRAINT "job_file_contents_variant" CHECK ("job_file_contents"."variant" IN ('full', 'thumbnail'))
);
--> statement-breakpoint
CREATE TABLE "job_file_pieces" (
	"station_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"byte_offset" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "job_file_pieces_station_id_file_id_byte_offset_pk" PRIMARY KEY("station_id","file_id","byte_offset"),
	CONSTRAINT "job_file_pieces_offset" CHECK ("job_file_pieces"."byte_offset" >= 0)
);
--> statement-breakpoint
CREATE TABLE "job_files" (
	"station_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"width" integer,
	"height" integer,
	"taken_at" timestamp with time zone NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"received_bytes" integer DEFAULT 0 NOT NULL,
	"stored_at" timestamp with time zone,
	CONSTRAINT "job_files_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "job_files_kind" CHECK ("job_files"."kind" IN ('before', 'after', 'part', 'other', 'signature')),
	CONSTRAINT "job_files_content_type" CHECK ("job_files"."content_type" IN ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "job_files_byte_size" CHECK ("job_files"."byte_size" BETWEEN 1 AND 5242880),
	CONSTRAINT "job_files_sha256" CHECK ("job_files"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "job_files_received" CHECK ("job_files"."received_bytes" BETWEEN 0 AND "job_files"."byte_size"
				AND ("job_files"."stored_at" IS NULL OR "job_files"."received_bytes" = "job_files"."byte_size")),
	CONSTRAINT "job_files_dimensions" CHECK (("job_files"."width" IS NULL OR "job_files"."width" > 0) AND ("job_files"."height" IS NULL OR "job_files"."height" > 0))
);
--> statement-breakpoint
ALTER TABLE "stations" ALTER COLUMN "kpi_settings" SET DEFAULT '{"thresholds":{"repair_success_rate":{"pass":0.9,"excellent":0.95},"avg_response_hours":{"pass":24,"excellent":12},"duration_index":{"pass":1.2,"excellent":1},"csat":{"pass":0.85,"excellent":0.9},"follow_up_rate":{"pass":0.8,"excellent":0.9},"record_accuracy":{"pass":0.95,"excellent":0.98},"parts_cost_per_job":null},"weights":{"repair_success_rate":0.3,"avg_response_hours":0.15,"duration_index":0.15,"csat":0.2,"follow_up_rate":0.1,"record_accuracy":0.1,"parts_cost_per_job":0},"minimums":{"repair_success_rate":5,"avg_response_hours":5,"duration_index":5,"csat":5,"follow_up_rate":5,"record_accuracy":5,"parts_cost_per_job":5}}'::jsonb;--> statement-breakpoint
ALTER TABLE "job_step_entries" ADD COLUMN "position" text;--> statement-breakpoint
ALTER TABLE "job_step_entries" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "job_step_entries" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "job_step_entries" ADD COLUMN "position_accuracy_m" double precision;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "record_positions" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "job_file_contents" ADD CONSTRAINT "job_file_contents_file_fk" FOREIGN KEY ("station_id","file_id") REFERENCES "public"."job_files"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_file_pieces" ADD CONSTRAINT "job_file_pieces_file_fk" FOREIGN KEY ("station_id","file_id") REFERENCES "public"."job_files"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_files" ADD CONSTRAINT "job_files_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_files_job_idx" ON "job_files" USING btree ("station_id","job_id");--> statement-breakpoint
ALTER TABLE "job_step_entries" ADD CONSTRAINT "job_step_entries_position" CHECK ("job_step_entries"."position" IS NULL OR "job_step_entries"."position" IN ('recorded', 'denied', 'unavailable'));--> statement-breakpoint
ALTER TABLE "job_step_entries" ADD CONSTRAINT "job_step_entries_position_fix" CHECK (("job_step_entries"."position" IS NOT DISTINCT FROM 'recorded') = ("job_step_entries"."latitude" IS NOT NULL AND "job_step_entries"."longitude" IS NOT NULL AND "job_step_entries"."position_accuracy_m" IS NOT NULL)
				AND ("job_step_entries"."latitude" IS NULL OR "job_step_entries"."latitude" BETWEEN -90 AND 90)
				AND ("job_step_entries"."longitude" IS NULL OR "job_step_entries"."longitude" BETWEEN -180 AND 180)
				AND ("job_step_entries"."position_accuracy_m" IS NULL OR "job_step_entries"."position_accuracy_m" >= 0));