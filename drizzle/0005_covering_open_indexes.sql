DROP INDEX "complaints_open_idx";--> statement-breakpoint
DROP INDEX "orders_open_due_idx";--> statement-breakpoint
CREATE INDEX "complaints_open_idx" ON "complaints" USING btree ("received_at","responded_at","number") WHERE status <> 'resolved';--> statement-breakpoint
CREATE INDEX "orders_open_due_idx" ON "orders" USING btree ("due_date","original_due_date","number") WHERE status = 'confirmed';