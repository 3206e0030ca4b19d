CREATE TABLE "roster_posts" (
	"day" date NOT NULL,
	"post" text NOT NULL,
	"need" integer NOT NULL,
	"assigned" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "roster_posts_day_post_pk" PRIMARY KEY("day","post")
);
--> statement-breakpoint
CREATE TABLE "targets" (
	"id" serial PRIMARY KEY NOT NULL,
	"metric" text NOT NULL,
	"period" text NOT NULL,
	"department" text NOT NULL,
	"value" numeric NOT NULL,
	"owner_name" text,
	"set_by" integer,
	"set_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_set_by_people_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "targets_metric_period_department_idx" ON "targets" USING btree ("metric","period","department");