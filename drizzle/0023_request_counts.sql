CREATE TABLE "request_counts" (
	"station_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"requests" integer NOT NULL,
	CONSTRAINT "request_counts_station_id_user_id_pk" PRIMARY KEY("station_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "request_counts" ADD CONSTRAINT "request_counts_user_fk" FOREIGN KEY ("station_id","user_id") REFERENCES "public"."users"("station_id","id") ON DELETE cascade ON UPDATE no action;