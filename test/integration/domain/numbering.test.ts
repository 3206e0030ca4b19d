// Document numbers: three digits up to 999, as many as needed after; bulk numbers consecutive and never reused.
import { describe, expect, it } from "vitest";
import { dailySequences } from "../../../src/db/schema/index.ts";
import { nextNumber, nextNumbers } from "../../../src/domain/numbering.ts";
import { useTestDatabase } from "../../helpers/database.ts";

const context = useTestDatabase();
const TZ = "Asia/Shanghai";
/** 26 November in Shanghai, still the 25th in UTC. */
const AT = new Date("2026-11-25T17:30:00Z");

describe("document numbers", () => {
  it("numbers by the business day, three digits first, consecutive in bulk", async () => {
    const { db } = context.database;
    expect(await nextNumber(db, "O", AT, TZ)).toBe("O-20261126-001");
    expect(await nextNumbers(db, "A", 3, AT, TZ)).toEqual([
      "A-20261126-001",
      "A-20261126-002",
      "A-20261126-003",
    ]);
    expect(await nextNumber(db, "O", AT, TZ)).toBe("O-20261126-002");
    expect(await nextNumbers(db, "A", 0, AT, TZ)).toEqual([]);
  });

  it("goes past 999 with as many digits as the counter needs", async () => {
    const { db } = context.database;
    await db.insert(dailySequences).values({ prefix: "C", day: "2026-11-26", last: 998 });
    expect(await nextNumbers(db, "C", 3, AT, TZ)).toEqual([
      "C-20261126-999",
      "C-20261126-1000",
      "C-20261126-1001",
    ]);
    expect(await nextNumber(db, "C", AT, TZ)).toBe("C-20261126-1002");
  });
});
