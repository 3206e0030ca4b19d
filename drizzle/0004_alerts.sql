CREATE TABLE "alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"entity" text NOT NULL,
	"level" text NOT NULL,
	"safety" boolean DEFAULT false NOT NULL,
	"facts" jsonb NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"notify_at" timestamp with time zone,
	"sent_count" integer DEFAULT 0 NOT NULL,
	"first_sent_at" timestamp with time zone,
	"escalate_at" timestamp with time zone,
	"acked_at" timestamp with time zone,
	"acked_by" integer,
	"snoozed_until" timestamp with time zone,
	"snoozed_by" integer,
	"closed_at" timestamp with time zone,
	"closed_reason" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acked_by_people_id_fk" FOREIGN KEY ("acked_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_snoozed_by_people_id_fk" FOREIGN KEY ("snoozed_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_kind_entity_level_uq" ON "alerts" USING btree ("kind","entity","level");--> statement-breakpoint
CREATE INDEX "alerts_notify_idx" ON "alerts" USING btree ("notify_at") WHERE notify_at is not null;--> statement-breakpoint
CREATE INDEX "alerts_escalate_idx" ON "alerts" USING btree ("escalate_at") WHERE escalate_at is not null and acked_at is null and closed_at is null;--> statement-breakpoint
CREATE INDEX "alerts_open_idx" ON "alerts" USING btree ("kind","entity") WHERE acked_at is null and closed_at is null;