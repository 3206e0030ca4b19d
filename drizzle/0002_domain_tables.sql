CREATE TABLE "complaints" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"customer" text NOT NULL,
	"description" text NOT NULL,
	"status" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"response_due_at" timestamp with time zone NOT NULL,
	"resolution_due_at" timestamp with time zone NOT NULL,
	"resolution_due_provisional" boolean DEFAULT false NOT NULL,
	"owner_id" integer,
	"responded_at" timestamp with time zone,
	"responded_by" integer,
	"response" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" integer,
	"resolution" text,
	"satisfaction" integer,
	"rated_at" timestamp with time zone,
	"rated_by" integer,
	"platform" text NOT NULL,
	"chat_id" text NOT NULL,
	"created_by" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "complaints_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" serial PRIMARY KEY NOT NULL,
	"inspection_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"description" text NOT NULL,
	"safety" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_areas" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"cutoff" text DEFAULT '10:00' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "inspection_areas_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "inspection_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"area_id" integer NOT NULL,
	"position" integer NOT NULL,
	"code" text NOT NULL,
	"label_zh" text NOT NULL,
	"label_en" text NOT NULL,
	"kind" text NOT NULL,
	"unit" text,
	"min" numeric,
	"max" numeric,
	"safety" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_results" (
	"id" serial PRIMARY KEY NOT NULL,
	"inspection_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"value" text NOT NULL,
	"passed" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"area_id" integer NOT NULL,
	"submitted_by" integer NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"finding_count" integer DEFAULT 0 NOT NULL,
	"platform" text NOT NULL,
	"chat_id" text NOT NULL,
	CONSTRAINT "inspections_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "order_delays" (
	"id" serial PRIMARY KEY NOT NULL,
	"order_id" integer NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"reason" text NOT NULL,
	"delayed_by" integer NOT NULL,
	"delayed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"customer" text NOT NULL,
	"model" text NOT NULL,
	"quantity" integer NOT NULL,
	"due_date" date NOT NULL,
	"original_due_date" date NOT NULL,
	"status" text NOT NULL,
	"delay_count" integer DEFAULT 0 NOT NULL,
	"platform" text NOT NULL,
	"chat_id" text NOT NULL,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"confirmed_by" integer,
	"confirmed_at" timestamp with time zone,
	"completed_by" integer,
	"completed_at" timestamp with time zone,
	"cancelled_by" integer,
	"cancelled_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "orders_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "daily_sequences" (
	"prefix" text NOT NULL,
	"day" date NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "daily_sequences_prefix_day_pk" PRIMARY KEY("prefix","day")
);
--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_responded_by_people_id_fk" FOREIGN KEY ("responded_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_resolved_by_people_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_rated_by_people_id_fk" FOREIGN KEY ("rated_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_item_id_inspection_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inspection_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_items" ADD CONSTRAINT "inspection_items_area_id_inspection_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."inspection_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_results" ADD CONSTRAINT "inspection_results_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_results" ADD CONSTRAINT "inspection_results_item_id_inspection_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inspection_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_area_id_inspection_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."inspection_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_submitted_by_people_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_delays" ADD CONSTRAINT "order_delays_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_delays" ADD CONSTRAINT "order_delays_delayed_by_people_id_fk" FOREIGN KEY ("delayed_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_confirmed_by_people_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_completed_by_people_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_cancelled_by_people_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaints_received_idx" ON "complaints" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "complaints_response_due_idx" ON "complaints" USING btree ("response_due_at");--> statement-breakpoint
CREATE INDEX "complaints_resolution_due_idx" ON "complaints" USING btree ("resolution_due_at");--> statement-breakpoint
CREATE INDEX "complaints_rated_idx" ON "complaints" USING btree ("rated_at");--> statement-breakpoint
CREATE INDEX "complaints_open_idx" ON "complaints" USING btree ("status") WHERE status <> 'resolved';--> statement-breakpoint
CREATE INDEX "findings_created_idx" ON "findings" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_items_area_code_uq" ON "inspection_items" USING btree ("area_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_results_item_uq" ON "inspection_results" USING btree ("inspection_id","item_id");--> statement-breakpoint
CREATE INDEX "inspections_submitted_idx" ON "inspections" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "inspections_area_idx" ON "inspections" USING btree ("area_id","submitted_at");--> statement-breakpoint
CREATE INDEX "order_delays_order_idx" ON "order_delays" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "orders_original_due_idx" ON "orders" USING btree ("original_due_date");--> statement-breakpoint
CREATE INDEX "orders_created_idx" ON "orders" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "orders_completed_idx" ON "orders" USING btree ("completed_at");--> statement-breakpoint
CREATE INDEX "orders_open_due_idx" ON "orders" USING btree ("due_date") WHERE status = 'confirmed';--> statement-breakpoint
CREATE INDEX "orders_duplicate_idx" ON "orders" USING btree ("customer","model","quantity","due_date","created_at");