CREATE TABLE "lot_samples" (
	"id" serial PRIMARY KEY NOT NULL,
	"lot_id" integer NOT NULL,
	"sampled" integer NOT NULL,
	"defects" integer NOT NULL,
	"note" text,
	"at" timestamp with time zone NOT NULL,
	"person_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"order_id" integer NOT NULL,
	"size" integer NOT NULL,
	"required_sample" integer NOT NULL,
	"sampled" integer DEFAULT 0 NOT NULL,
	"defects" integer DEFAULT 0 NOT NULL,
	"sample_met_at" timestamp with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" integer,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" integer NOT NULL,
	CONSTRAINT "lots_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "stocktake_lines" (
	"id" serial PRIMARY KEY NOT NULL,
	"stocktake_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"book" numeric(18, 3) NOT NULL,
	"counted" numeric(18, 3),
	"counted_at" timestamp with time zone,
	"counted_by" integer
);
--> statement-breakpoint
CREATE TABLE "stocktakes" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"warehouse" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"started_by" integer NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" integer,
	"closed_on" date,
	"book_total" numeric(18, 3),
	"difference_total" numeric(18, 3),
	"over_limit" boolean DEFAULT false NOT NULL,
	CONSTRAINT "stocktakes_number_unique" UNIQUE("number")
);
--> statement-breakpoint
ALTER TABLE "stock_items" ADD COLUMN "warehouse" text DEFAULT 'MAIN' NOT NULL;--> statement-breakpoint
ALTER TABLE "lot_samples" ADD CONSTRAINT "lot_samples_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_samples" ADD CONSTRAINT "lot_samples_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_decided_by_people_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stocktake_lines" ADD CONSTRAINT "stocktake_lines_stocktake_id_stocktakes_id_fk" FOREIGN KEY ("stocktake_id") REFERENCES "public"."stocktakes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stocktake_lines" ADD CONSTRAINT "stocktake_lines_item_id_stock_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."stock_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stocktake_lines" ADD CONSTRAINT "stocktake_lines_counted_by_people_id_fk" FOREIGN KEY ("counted_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stocktakes" ADD CONSTRAINT "stocktakes_started_by_people_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stocktakes" ADD CONSTRAINT "stocktakes_closed_by_people_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lot_samples_lot_idx" ON "lot_samples" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "lots_order_idx" ON "lots" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "lots_decided_idx" ON "lots" USING btree ("decided_at");--> statement-breakpoint
CREATE INDEX "lots_rejected_idx" ON "lots" USING btree ("number") WHERE status = 'rejected';--> statement-breakpoint
CREATE UNIQUE INDEX "stocktake_lines_session_item_idx" ON "stocktake_lines" USING btree ("stocktake_id","item_id");--> statement-breakpoint
CREATE INDEX "stocktake_lines_item_idx" ON "stocktake_lines" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stocktakes_open_warehouse_idx" ON "stocktakes" USING btree ("warehouse") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "stocktakes_closed_idx" ON "stocktakes" USING btree ("closed_at");--> statement-breakpoint
CREATE INDEX "stocktakes_warehouse_closed_on_idx" ON "stocktakes" USING btree ("warehouse","closed_on");