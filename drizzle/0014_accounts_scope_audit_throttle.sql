-- Issue 10, accounts: the system administrator role (created only from the command line), the
-- audit of every account change, sign-in throttling by source address, and a per-user random
-- secret for encrypting a signed-out user's unsent changes on a shared device. The key's
-- default is volatile, so adding the column gives every existing user a value of its own.
ALTER TYPE "public"."user_role" ADD VALUE 'system_admin';--> statement-breakpoint
CREATE TABLE "account_audit" (
	"station_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid NOT NULL,
	"actor_id" uuid,
	"actor_station_id" uuid,
	"actor_login" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	CONSTRAINT "account_audit_station_id_id_pk" PRIMARY KEY("station_id","id"),
	CONSTRAINT "account_audit_action" CHECK ("account_audit"."action" IN ('create', 'deactivate', 'activate', 'password_reset', 'password_change', 'role_change'))
);
--> statement-breakpoint
CREATE TABLE "sign_in_addresses" (
	"address" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "local_data_key" text DEFAULT encode(sha256((gen_random_uuid()::text || gen_random_uuid()::text || clock_timestamp()::text)::bytea), 'hex') NOT NULL;--> statement-breakpoint
ALTER TABLE "account_audit" ADD CONSTRAINT "account_audit_user_fk" FOREIGN KEY ("station_id","user_id") REFERENCES "public"."users"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_audit_station_time_idx" ON "account_audit" USING btree ("station_id","changed_at");--> statement-breakpoint
CREATE INDEX "account_audit_user_idx" ON "account_audit" USING btree ("station_id","user_id");--> statement-breakpoint
CREATE INDEX "sign_in_addresses_last_failure_idx" ON "sign_in_addresses" USING btree ("last_failure_at");