CREATE TABLE "alert_rechecks" (
	"kind" text NOT NULL
);
--> statement-breakpoint
DROP INDEX "alerts_notify_idx";--> statement-breakpoint
CREATE INDEX "alerts_notify_idx" ON "alerts" USING btree ("notify_at") WHERE notify_at is not null and acked_at is null and closed_at is null;--> statement-breakpoint
-- A write to a subject table marks the alert kinds it is the subject of; an inserted alert marks its own kind,
-- so that an alert raised against a subject that changed meanwhile is judged again. Inserts of subjects end no
-- condition, except a reconciliation (its day is reconciled) and a stocktake (a count closes a month).
CREATE FUNCTION "mark_alert_rechecks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "alert_rechecks" ("kind") SELECT unnest(TG_ARGV);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "mark_alert_recheck_of_new_alerts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "alert_rechecks" ("kind") SELECT DISTINCT "kind" FROM "raised";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "alerts_recheck" AFTER INSERT ON "alerts"
  REFERENCING NEW TABLE AS "raised" FOR EACH STATEMENT EXECUTE FUNCTION "mark_alert_recheck_of_new_alerts"();
--> statement-breakpoint
CREATE TRIGGER "complaints_alert_recheck" AFTER UPDATE OR DELETE ON "complaints"
  FOR EACH ROW EXECUTE FUNCTION "mark_alert_rechecks"('response', 'resolution');
--> statement-breakpoint
CREATE TRIGGER "orders_alert_recheck" AFTER UPDATE OR DELETE ON "orders"
  FOR EACH ROW EXECUTE FUNCTION "mark_alert_rechecks"('order');
--> statement-breakpoint
CREATE TRIGGER "tasks_alert_recheck" AFTER UPDATE OR DELETE ON "tasks"
  FOR EACH ROW EXECUTE FUNCTION "mark_alert_rechecks"('task', 'stocktake');
--> statement-breakpoint
CREATE TRIGGER "stock_items_alert_recheck" AFTER UPDATE OR DELETE ON "stock_items"
  FOR EACH ROW EXECUTE FUNCTION "mark_alert_rechecks"('stock');
--> statement-breakpoint
CREATE TRIGGER "equipment_alert_recheck" AFTER UPDATE OR DELETE ON "equipment"
  FOR EACH ROW EXECUTE FUNCTION "mark_alert_rechecks"('maintenance');
--> statement-breakpoint
CREATE TRIGGER "risks_alert_recheck" AFTER UPDATE OR DELETE ON "risks"
  FOR EACH ROW EXECUTE FUNCTION "mark_alert_rechecks"('risk');
--> statement-breakpoint
CREATE TRIGGER "lots_alert_recheck" AFTER UPDATE OR DELETE ON "lots"
  FOR EACH ROW EXECUTE FUNCTION "mark_alert_rechecks"('quality');
--> statement-breakpoint
CREATE TRIGGER "stocktakes_alert_recheck" AFTER INSERT OR UPDATE OR DELETE ON "stocktakes"
  FOR EACH ROW EXECUTE FUNCTION "mark_alert_rechecks"('stocktake', 'stocktake_due');
--> statement-breakpoint
CREATE TRIGGER "expenses_alert_recheck" AFTER UPDATE OR DELETE ON "expenses"
  FOR EACH ROW EXECUTE FUNCTION "mark_alert_rechecks"('expense');
--> statement-breakpoint
CREATE TRIGGER "reconciliations_alert_recheck" AFTER INSERT OR UPDATE OR DELETE ON "reconciliations"
  FOR EACH ROW EXECUTE FUNCTION "mark_alert_rechecks"('reconciliation');
--> statement-breakpoint
-- The alerts open now were judged before these triggers existed: every kind is judged once more.
INSERT INTO "alert_rechecks" ("kind") SELECT DISTINCT "kind" FROM "alerts"
  WHERE "acked_at" IS NULL AND "closed_at" IS NULL;
