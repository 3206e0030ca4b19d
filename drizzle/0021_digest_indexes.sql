DROP INDEX "orders_completed_idx";--> statement-breakpoint
CREATE INDEX "sales_entries_at_idx" ON "sales_entries" USING btree ("at","kind","status");--> statement-breakpoint
CREATE INDEX "orders_completed_idx" ON "orders" USING btree ("completed_at","id");