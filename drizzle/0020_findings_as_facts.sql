-- Findings are facts now (filled in by the previous migration): the words they were stored with go.
ALTER TABLE "findings" ALTER COLUMN "item_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" ALTER COLUMN "value" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" DROP COLUMN "description";