CREATE TABLE "send_budgets" (
	"budget" text PRIMARY KEY NOT NULL,
	"starts" double precision[] DEFAULT '{}' NOT NULL,
	"last_start_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "send_budgets_last_start_idx" ON "send_budgets" USING btree ("last_start_at");