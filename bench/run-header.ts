// The lines that open a benchmark section: when, at which commit, on what machine and how busy it was.
import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";

function git(...args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: join(import.meta.dirname, ".."), encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/**
 * The commit, marked when the tree differs from it: a result belongs to the code that produced it. RESULTS.md itself
 * does not count, since each benchmark of a run writes its section before the next one starts.
 */
export function commitLabel(): string {
  const changed = git("status", "--porcelain", "--", ".", ":(exclude)bench/RESULTS.md");
  return `${git("rev-parse", "--short", "HEAD")}${changed ? " (with uncommitted changes)" : ""}`;
}

export function runHeader(startedAt: Date, postgresVersion: string): string[] {
  const [one, five, fifteen] = loadavg().map((value) => value.toFixed(2));
  return [
    `- Run ${startedAt.toISOString()} at commit ${commitLabel()}; ${availableParallelism()} × ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, Postgres ${postgresVersion} on loopback; load average at start ${one}, ${five}, ${fifteen}.`,
  ];
}
