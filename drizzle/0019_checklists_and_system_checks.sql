-- Checklists managers edit: versioned items (a change ends a row and adds its successor), area kinds (inspection
-- or system), the version each inspection used, findings kept as facts, the probes of the morning system check,
-- and the language each subscription chose.
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
DROP INDEX "inspection_items_area_code_uq";--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "item_code" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "value" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "range_min" numeric;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "range_max" numeric;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "unit" text;--> statement-breakpoint
-- The facts of the findings recorded so far: the item and range they were held against, the value entered.
UPDATE "findings" f SET
  "item_code" = i."code",
  "value" = COALESCE(
    (SELECT r."value" FROM "inspection_results" r WHERE r."inspection_id" = f."inspection_id" AND r."item_id" = f."item_id"),
    'fail'
  ),
  "range_min" = i."min",
  "range_max" = i."max",
  "unit" = i."unit"
FROM "inspection_items" i
WHERE i."id" = f."item_id";--> statement-breakpoint
ALTER TABLE "inspection_areas" ADD COLUMN "kind" text DEFAULT 'inspection' NOT NULL;--> statement-breakpoint
ALTER TABLE "inspection_areas" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "inspection_items" ADD COLUMN "since_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "inspection_items" ADD COLUMN "until_version" integer;--> statement-breakpoint
ALTER TABLE "inspections" ADD COLUMN "checklist_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "language" text DEFAULT 'zh' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "system_probes_day_system_uq" ON "system_probes" USING btree ("day","system");--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_items_area_code_current_uq" ON "inspection_items" USING btree ("area_id","code") WHERE "inspection_items"."until_version" is null;