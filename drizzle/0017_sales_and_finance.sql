CREATE TABLE "expenses" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"amount" numeric(15, 2) NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_by" integer NOT NULL,
	"sign_due_at" timestamp with time zone NOT NULL,
	"sign_due_provisional" boolean DEFAULT false NOT NULL,
	"platform" text NOT NULL,
	"chat_id" text NOT NULL,
	"chat_kind" text NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" integer,
	"reject_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "expenses_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "reconciliations" (
	"day" date PRIMARY KEY NOT NULL,
	"income" numeric(15, 2) NOT NULL,
	"expense" numeric(15, 2) NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"number" text,
	"customer" text NOT NULL,
	"customer_key" text NOT NULL,
	"text" text NOT NULL,
	"status" text,
	"order_number" text,
	"complaint_number" text,
	"settled_at" timestamp with time zone,
	"settled_by" integer,
	"at" timestamp with time zone NOT NULL,
	"created_by" integer NOT NULL,
	"platform" text NOT NULL,
	"chat_id" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "sales_entries_number_unique" UNIQUE("number")
);
--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_requested_by_people_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_decided_by_people_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliations" ADD CONSTRAINT "reconciliations_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_entries" ADD CONSTRAINT "sales_entries_settled_by_people_id_fk" FOREIGN KEY ("settled_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_entries" ADD CONSTRAINT "sales_entries_created_by_people_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expenses_pending_idx" ON "expenses" USING btree ("sign_due_at","number") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "sales_entries_kind_at_idx" ON "sales_entries" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "sales_entries_customer_idx" ON "sales_entries" USING btree ("customer_key","kind","at");