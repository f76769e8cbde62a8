ALTER TYPE "public"."user_role" ADD VALUE 'region_manager';--> statement-breakpoint
CREATE TABLE "region_stations" (
	"station_id" uuid NOT NULL,
	"user_station_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "region_stations_station_id_user_station_id_user_id_pk" PRIMARY KEY("station_id","user_station_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "account_audit" DROP CONSTRAINT "account_audit_action";--> statement-breakpoint
ALTER TABLE "region_stations" ADD CONSTRAINT "region_stations_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_stations" ADD CONSTRAINT "region_stations_user_fk" FOREIGN KEY ("user_station_id","user_id") REFERENCES "public"."users"("station_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "region_stations_user_idx" ON "region_stations" USING btree ("user_station_id","user_id");--> statement-breakpoint
ALTER TABLE "account_audit" ADD CONSTRAINT "account_audit_action" CHECK ("account_audit"."action" IN ('create', 'deactivate', 'activate', 'password_reset', 'password_change', 'role_change', 'rename', 'region_change'));