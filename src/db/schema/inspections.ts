// Inspection areas with their checklists, submitted inspections, their results and the findings they raise.
import { sql } from "drizzle-orm";
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
  /** "inspection" (a place walked through, /inspect) or "system" (a core system, the morning /check). */
  kind: text("kind").notNull().default("inspection"),
  /** The checklist's version: each change of its items makes a new one; a record keeps the one it used. */
  version: integer("version").notNull().default(1),
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
    /**
     * The checklist versions this row is part of: [since, until). A change or retirement never edits a row a
     * record may point at: it ends the row (until = the new version) and, for a change, adds its successor.
     */
    sinceVersion: integer("since_version").notNull().default(1),
    untilVersion: integer("until_version"),
  },
  (t) => [
    uniqueIndex("inspection_items_area_code_current_uq")
      .on(t.areaId, t.code)
      .where(sql`${t.untilVersion} is null`),
  ],
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
    /** The version of the area's checklist it was filled in against. */
    checklistVersion: integer("checklist_version").notNull().default(1),
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
    /** The facts of the finding as recorded; words are the reader's (commands/). */
    itemCode: text("item_code").notNull(),
    /** The reading as a plain decimal, or "fail". */
    value: text("value").notNull(),
    /** The range the reading was held against (null for a check, or an open end). */
    rangeMin: numeric("range_min", { mode: "number" }),
    rangeMax: numeric("range_max", { mode: "number" }),
    unit: text("unit"),
    safety: boolean("safety").notNull(),
    createdAt: timestamptz("created_at").notNull(),
  },
  (t) => [index("findings_created_idx").on(t.createdAt)],
);
