CREATE TYPE "public"."sync_mutation_status" AS ENUM('applied', 'rejected');--> statement-breakpoint
CREATE TABLE "job_history" (
	"station_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "job_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"job_id" uuid NOT NULL,
	"field" text NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"device_time" timestamp with time zone,
	"client_id" uuid,
	"mutation_id" bigint,
	"reason" text,
	CONSTRAINT "job_history_station_id_id_pk" PRIMARY KEY("station_id","id")
);
--> statement-breakpoint
CREATE TABLE "sync_clients" (
	"station_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"last_mutation_id" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_clients_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "sync_clients_last_mutation_id_nonnegative" CHECK ("sync_clients"."last_mutation_id" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sync_mutations" (
	"station_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"mutation_id" bigint NOT NULL,
	"name" text NOT NULL,
	"args" jsonb,
	"made_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" "sync_mutation_status" NOT NULL,
	"error" jsonb,
	CONSTRAINT "sync_mutations_station_id_client_id_mutation_id_pk" PRIMARY KEY("station_id","client_id","mutation_id")
);
--> statement-breakpoint
CREATE TABLE "sync_retention" (
	"station_id" uuid PRIMARY KEY NOT NULL,
	"pruned_through" "xid8" NOT NULL,
	"pruned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_tombstones" (
	"station_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "sync_tombstones_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"audience_user_id" uuid,
	"version" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_tombstones_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "sync_tombstones_table_name" CHECK ("sync_tombstones"."table_name" IN ('jobs', 'job_parts', 'follow_ups'))
);
--> statement-breakpoint
ALTER TABLE "fault_categories" ADD COLUMN "version" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "version" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "job_parts" ADD COLUMN "version" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "version" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "parts" ADD COLUMN "version" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "job_history" ADD CONSTRAINT "job_history_job_fk" FOREIGN KEY ("station_id","job_id") REFERENCES "public"."jobs"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_history" ADD CONSTRAINT "job_history_changed_by_fk" FOREIGN KEY ("station_id","changed_by") REFERENCES "public"."users"("station_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_mutations" ADD CONSTRAINT "sync_mutations_client_fk" FOREIGN KEY ("station_id","client_id") REFERENCES "public"."sync_clients"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_history_job_idx" ON "job_history" USING btree ("station_id","job_id","changed_at");--> statement-breakpoint
CREATE INDEX "sync_tombstones_version_idx" ON "sync_tombstones" USING btree ("station_id","version");--> statement-breakpoint
CREATE INDEX "sync_tombstones_row_idx" ON "sync_tombstones" USING btree ("station_id","row_id");--> statement-breakpoint
CREATE INDEX "sync_tombstones_deleted_at_idx" ON "sync_tombstones" USING btree ("station_id","deleted_at");--> statement-breakpoint
CREATE INDEX "fault_categories_version_idx" ON "fault_categories" USING btree ("station_id","version");--> statement-breakpoint
CREATE INDEX "follow_ups_version_idx" ON "follow_ups" USING btree ("station_id","version");--> statement-breakpoint
CREATE INDEX "job_parts_version_idx" ON "job_parts" USING btree ("station_id","version");--> statement-breakpoint
CREATE INDEX "jobs_version_idx" ON "jobs" USING btree ("station_id","version");--> statement-breakpoint
CREATE INDEX "parts_version_idx" ON "parts" USING btree ("station_id","version");