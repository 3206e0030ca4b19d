CREATE TABLE "system_probes" (
	"id" serial PRIMARY KEY NOT NULL,
	"day" text NOT NULL,
	"system" text NOT NULL,
	"probed_at" timestamp with time zone NOT NULL,
	"status" integer,
	"latency_ms" integer NOT NULL,
	"reachable" boolean NOT NULL,
	"failure" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "system_probes_day_system_uq" ON "system_probes" USING btree ("day","system");