// RESULTS.md is shared by the benchmarks: each writes only its own marked section and leaves the others as they are.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** The sections of RESULTS.md, one per benchmark, in the order a new file gets them. */
export type ResultsSection = "lark" | "ingress" | "command-cost" | "scheduler" | "schedule" | "reliability";

const HEADER = [
  "# opsbot benchmark",
  "",
  "Written by `npm run bench` (bench/run.ts); do not edit by hand, run it again. Each benchmark rewrites only its",
  "own section (`BENCH_ONLY=lark`, `BENCH_ONLY=scheduler`, …) and leaves the others as they were.",
  "",
].join("\n");

const markers = (name: ResultsSection) => ({
  start: `<!-- ${name}:start -->`,
  end: `<!-- ${name}:end -->`,
});

/** Replaces the `name` section of `existing` (or appends it), leaving the rest of the text as it is. */
function spliceSection(existing: string, name: ResultsSection, section: string): string {
  const { start, end } = markers(name);
  const block = `${start}\n${section.replace(/\n*$/, "\n")}${end}\n`;
  const from = existing.indexOf(start);
  const to = existing.indexOf(end);
  if (from >= 0 && to > from) {
    return existing.slice(0, from) + block + existing.slice(to + end.length).replace(/^\n/, "");
  }
  return `${existing.replace(/\n*$/, "\n\n")}${block}`;
}

/** Writes one benchmark's section of the results file, creating the file with its header if need be. */
export function writeResultsSection(path: string, name: ResultsSection, section: string): void {
  const existing = existsSync(path) ? readFileSync(path, "utf8") : HEADER;
  writeFileSync(path, spliceSection(existing, name, section));
}
