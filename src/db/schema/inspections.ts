// Inspection areas with their checklists, submitted inspections, their results and the findings they raise.
import { boolean, index, integer, numeric, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { people } from "./shared.ts";

export const inspectionAreas = pgTable("inspection_areas", {
  id: serial("id").primaryKey(),
  /** What users type: /inspect warehouse. */
  code: text("code").notNull().unique(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  /** Local time (HH:MM in OPS_TIMEZONE) by which the day's inspection is due on working days. */
  cutoff: text("cutoff").notNull().default("10:00"),
  active: boolean("active").notNull().default(true),
});

export const inspectionItems = pgTable(
  "inspection_items",
  {
    id: serial("id").primaryKey(),
    areaId: integer("area_id")
      .notNull()
      .references(() => inspectionAreas.id),
    position: integer("position").notNull(),
    /** Form input name, e.g. "temperature". */
    code: text("code").notNull(),
    labelZh: text("label_zh").notNull(),
    labelEn: text("label_en").notNull(),
    /** "reading" (a number within min..max) or "check" (pass / fail). */
    kind: text("kind").notNull(),
    unit: text("unit"),
    min: numeric("min", { mode: "number" }),
    max: numeric("max", { mode: "number" }),
    /** A failed check or out-of-range reading of a safety item goes out even in quiet hours. */
    safety: boolean("safety").notNull().default(false),
  },
  (t) => [uniqueIndex("inspection_items_area_code_uq").on(t.areaId, t.code)],
);

export const inspections = pgTable(
  "inspections",
  {
    id: serial("id").primaryKey(),
    /** I-YYYYMMDD-NNN, the day in OPS_TIMEZONE. */
    number: text("number").notNull().unique(),
    areaId: integer("area_id")
      .notNull()
      .references(() => inspectionAreas.id),
    submittedBy: integer("submitted_by")
      .notNull()
      .references(() => people.id),
    submittedAt: timestamptz("submitted_at").notNull(),
    findingCount: integer("finding_count").notNull().default(0),
    platform: text("platform").notNull(),
    chatId: text("chat_id").notNull(),
  },
  (t) => [
    index("inspections_submitted_idx").on(t.submittedAt),
    index("inspections_area_idx").on(t.areaId, t.submittedAt),
  ],
);

export const inspectionResults = pgTable(
  "inspection_results",
  {
    id: serial("id").primaryKey(),
    inspectionId: integer("inspection_id")
      .notNull()
      .references(() => inspections.id),
    itemId: integer("item_id")
      .notNull()
      .references(() => inspectionItems.id),
    /** The reading as entered, or "pass" / "fail". */
    value: text("value").notNull(),
    passed: boolean("passed").notNull(),
  },
  (t) => [uniqueIndex("inspection_results_item_uq").on(t.inspectionId, t.itemId)],
);

export const findings = pgTable(
  "findings",
  {
    id: serial("id").primaryKey(),
    inspectionId: integer("inspection_id")
      .notNull()
      .references(() => inspections.id),
    itemId: integer("item_id")
      .notNull()
      .references(() => inspectionItems.id),
    description: text("description").notNull(),
    safety: boolean("safety").notNull(),
    createdAt: timestamptz("created_at").notNull(),
  },
  (t) => [index("findings_created_idx").on(t.createdAt)],
);
