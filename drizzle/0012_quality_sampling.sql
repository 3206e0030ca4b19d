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
ALTER TABLE "lot_samples" ADD CONSTRAINT "lot_samples_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_samples" ADD CONSTRAINT "lot_samples_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_decided_by_people_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lot_samples_lot_idx" ON "lot_samples" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "lots_order_idx" ON "lots" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "lots_decided_idx" ON "lots" USING btree ("decided_at");--> statement-breakpoint
CREATE INDEX "lots_rejected_idx" ON "lots" USING btree ("number") WHERE status = 'rejected';