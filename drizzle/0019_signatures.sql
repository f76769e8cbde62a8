CREATE TABLE "job_signatures" (
	"station_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"signer_name" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"strokes" jsonb NOT NULL,
	"recorded_by" uuid NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_signatures_station_id_job_id_pk" PRIMARY KEY("station_id","job_id"),
	CONSTRAINT "job_signatures_signer_name" CHECK (char_length("job_signatures"."signer_name") BETWEEN 1 AND 40),
	CONSTRAINT "job_signatures_strokes" CHECK (jsonb_typeof("job_signatures"."strokes") = 'array' AND jsonb_array_length("job_signatures"."strokes") BETWEEN 1 AND 60)
);
--> statement-breakpoint
ALTER TABLE "job_files" DROP CONSTRAINT "job_files_kind";--> statement-breakpoint
-- A signature is no longer a file (it travels with the completion as strokes); any uploaded as one is kept as a photo.
UPDATE "job_files" SET "kind" = 'other' WHERE "kind" = 'signature';--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "completion_requires_signature" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "job_signatures" ADD CONSTRAINT "job_signatures_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_files" ADD CONSTRAINT "job_files_kind" CHECK ("job_files"."kind" IN ('before', 'after', 'part', 'other'));