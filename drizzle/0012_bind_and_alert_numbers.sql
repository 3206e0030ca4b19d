CREATE TABLE "bind_codes" (
	"id" serial PRIMARY KEY NOT NULL,
	"code_hash" text NOT NULL,
	"person_id" integer NOT NULL,
	"platform" text NOT NULL,
	"platform_user_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"claimed_platform" text,
	"claimed_user_id" text,
	"claimed_at" timestamp with time zone,
	"used_at" timestamp with time zone,
	CONSTRAINT "bind_codes_code_hash_unique" UNIQUE("code_hash")
);
--> statement-breakpoint
CREATE TABLE "bind_failures" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"platform_user_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "number" text;--> statement-breakpoint
-- Existing alerts get their numbers by the day they were raised, in the default business timezone (Asia/Shanghai),
-- in id order; the day counters move past them so that new alerts never take a number twice.
WITH numbered AS (
	SELECT "id", to_char("raised_at" AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') AS "day",
		row_number() OVER (PARTITION BY ("raised_at" AT TIME ZONE 'Asia/Shanghai')::date ORDER BY "id") AS "seq"
	FROM "alerts"
)
UPDATE "alerts" SET "number" = 'A-' || numbered."day" || '-' || lpad(numbered."seq"::text, 3, '0')
FROM numbered WHERE "alerts"."id" = numbered."id";--> statement-breakpoint
INSERT INTO "daily_sequences" ("prefix", "day", "last")
SELECT 'A', ("raised_at" AT TIME ZONE 'Asia/Shanghai')::date, count(*) FROM "alerts"
GROUP BY ("raised_at" AT TIME ZONE 'Asia/Shanghai')::date
ON CONFLICT ("prefix", "day") DO UPDATE SET "last" = greatest("daily_sequences"."last", excluded."last");--> statement-breakpoint
ALTER TABLE "bind_codes" ADD CONSTRAINT "bind_codes_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bind_codes_asker_idx" ON "bind_codes" USING btree ("platform","platform_user_id");--> statement-breakpoint
CREATE INDEX "bind_failures_account_idx" ON "bind_failures" USING btree ("platform","platform_user_id","at");--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_number_unique" UNIQUE("number");