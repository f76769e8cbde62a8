DROP INDEX "jobs_station_serial_idx";--> statement-breakpoint
ALTER TABLE "jobs" drop column "device_serial_key";--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "device_serial_key" text GENERATED ALWAYS AS (lower(btrim(device_serial, E'\u0009\u000a\u000b\u000c\u000d\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'))) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "jobs_station_serial_key_idx" ON "jobs" USING btree ("station_id","device_serial_key","reported_at") WHERE "jobs"."device_serial_key" <> '';