-- The inbox and the outbox take an insert and one or two updates for every event and every send, and a send
-- budget is rewritten at every send: dead row versions pile up fast, and a claim has to step over each one.
-- Autovacuum's default waits for a fifth of a table to be dead (200,000 rows in an inbox of a million); these
-- tables are vacuumed after a fixed number of dead rows instead, whatever their size.
ALTER TABLE "inbox" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);--> statement-breakpoint
ALTER TABLE "outbox" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);--> statement-breakpoint
ALTER TABLE "send_budgets" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, toast.autovacuum_vacuum_scale_factor = 0, toast.autovacuum_vacuum_threshold = 1000);
