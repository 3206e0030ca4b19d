// src/domain/calendar also runs on Workers: no node:* imports, no process globals, no wall clock.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../../src/domain/calendar");

function sources(): Map<string, string> {
  const files = readdirSync(ROOT).filter((name) => name.endsWith(".ts"));
  // Comments may mention what the code avoids; only code counts.
  return new Map(
    files.map((name) => [name, readFileSync(join(ROOT, name), "utf8").replace(/\/\/.*$/gm, "")]),
  );
}

const FORBIDDEN = [
  /from\s*["']node:/,
  /\bprocess\./,
  /\bBuffer\b/,
  /\bDate\.now\(/,
  /new Date\(\)/,
  // Local-zone Date methods would read the server's zone instead of OPS_TIMEZONE.
  /\.(get|set)(FullYear|Month|Date|Day|Hours|Minutes|Seconds|TimezoneOffset)\(/,
];

describe("src/domain/calendar is Workers-safe and zone-pure", () => {
  it("the patterns catch what they look for", () => {
    const samples = [
      'import { x } from "node:fs";',
      "process.env.TZ",
      "Buffer.from('')",
      "Date.now()",
      "new Date()",
      "d.getHours()",
      "d.setDate(1)",
    ];
    expect(samples.filter((sample) => FORBIDDEN.some((pattern) => pattern.test(sample)))).toEqual(samples);
    expect(FORBIDDEN.some((pattern) => pattern.test("d.getUTCDay(); new Date(ms)"))).toBe(false);
  });

  it("has no file using node:*, process, Buffer, the wall clock or local-zone Date methods", () => {
    const files = sources();
    expect(files.size).toBeGreaterThanOrEqual(4);
    const offenders = [...files].flatMap(([name, code]) =>
      FORBIDDEN.filter((pattern) => pattern.test(code)).map((pattern) => `${name}: ${pattern}`),
    );
    expect(offenders).toEqual([]);
  });
});
