CREATE TABLE "risks" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"description" text NOT NULL,
	"likelihood" integer NOT NULL,
	"impact" integer NOT NULL,
	"score" integer GENERATED ALWAYS AS (likelihood * impact) STORED NOT NULL,
	"status" text NOT NULL,
	"plan" text,
	"plan_owner_id" integer,
	"plan_due" date,
	"plan_task" text,
	"planned_at" timestamp with time zone,
	"planned_by" integer,
	"raised_at" timestamp with time zone NOT NULL,
	"raised_by" integer NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" integer,
	"platform" text,
	"chat_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "risks_number_unique" UNIQUE("number")
);
--> statement-breakpoint
ALTER TABLE "risks" ADD CONSTRAINT "risks_plan_owner_id_people_id_fk" FOREIGN KEY ("plan_owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risks" ADD CONSTRAINT "risks_planned_by_people_id_fk" FOREIGN KEY ("planned_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risks" ADD CONSTRAINT "risks_raised_by_people_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risks" ADD CONSTRAINT "risks_closed_by_people_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "risks_open_score_idx" ON "risks" USING btree ("score","id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "risks_unplanned_idx" ON "risks" USING btree ("raised_at") WHERE status = 'open' and plan_owner_id is null;