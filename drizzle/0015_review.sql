CREATE TABLE "meetings" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"topic" text NOT NULL,
	"order_number" text,
	"starts_at" timestamp with time zone NOT NULL,
	"attendees" jsonb NOT NULL,
	"decision" text,
	"new_due_date" date,
	"minutes_at" timestamp with time zone,
	"minutes_by" integer,
	"platform" text NOT NULL,
	"chat_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "meetings_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "practice_sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"scenario" jsonb NOT NULL,
	"step" integer DEFAULT 0 NOT NULL,
	"answers" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"score" integer,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_records" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_id" integer NOT NULL,
	"course" text NOT NULL,
	"day" date NOT NULL,
	"source" text NOT NULL,
	"score" integer,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_minutes_by_people_id_fk" FOREIGN KEY ("minutes_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_sessions" ADD CONSTRAINT "practice_sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_records" ADD CONSTRAINT "training_records_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meetings_order_idx" ON "meetings" USING btree ("order_number");--> statement-breakpoint
CREATE UNIQUE INDEX "practice_sessions_open_uq" ON "practice_sessions" USING btree ("person_id") WHERE finished_at is null;--> statement-breakpoint
CREATE INDEX "training_records_person_day_idx" ON "training_records" USING btree ("person_id","day");