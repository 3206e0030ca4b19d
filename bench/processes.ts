// Child servers for the bench (started from their entry, url from the start-up line) and /proc readings.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
/** Keep this much of a child's output for error messages; the rest is only counted. */
const OUTPUT_TAIL_CHARS = 16_000;

export interface ChildServer {
  readonly pid: number;
  /** Loopback URL of the server, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Log lines seen so far, by level ("info", "warn", "error", "other"). */
  readonly lines: Record<string, number>;
  /** The last part of what the child printed. */
  output(): string;
  /** SIGTERM, then wait for the exit; resolves with the exit code or signal name. */
  stop(): Promise<number | string>;
  /** Resolves with the exit code or signal name once the process is gone. */
  readonly exited: Promise<number | string>;
}

/**
 * Runs `entry` under the tsx loader in its own process and resolves once it printed a JSON line with
 * `"event":"server.started"` and a url.
 */
export function startChildServer(
  entry: string,
  env: Record<string, string>,
  nodeOptions: string[] = [],
  /** Sees every complete line the child prints (stdout and stderr), e.g. to scan it. */
  onOutputLine: (line: string) => void = () => {},
): Promise<ChildServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeOptions, "--import", "tsx", join(ROOT, entry)],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: Record<string, number> = {};
  let tail = "";
  let pending = "";
  let url: string | undefined;
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );

  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      onOutputLine(line);
      const level = /"level":"(\w+)"/.exec(line)?.[1] ?? "other";
      lines[level] = (lines[level] ?? 0) + 1;
      if (url || !line.includes('"event":"server.started"')) return;
      const announced = /"url":"([^"]+)"/.exec(line)?.[1];
      if (!announced) return;
      // Loopback only, and IPv4: "localhost" may resolve to ::1 where the server is not listening.
      const loopback = new URL(announced);
      loopback.hostname = "127.0.0.1";
      url = loopback.origin;
      resolve({
        pid: child.pid as number,
        url,
        lines,
        output: () => tail,
        exited,
        stop: () => {
          child.kill("SIGTERM");
          return exited;
        },
      });
    };
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      tail = (tail + text).slice(-OUTPUT_TAIL_CHARS);
      pending += text;
      const complete = pending.split("\n");
      pending = complete.pop() ?? "";
      for (const line of complete) if (line) onLine(line);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => {
      if (!url) reject(new Error(`${entry} exited (${code}) before it started:\n${tail}`));
    });
  });
}

/** Resident set size of a process in bytes (VmRSS), or NaN once it is gone. */
export function readRss(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of one process, in CPU seconds (0 once it is gone). */
function cpuSecondsOf(pid: number | string): { comm: string; seconds: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may hold spaces; the fields after it are space-separated.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // After comm: state is field 3, utime 14 and stime 15 (1-based), i.e. indexes 11 and 12 here.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { comm, seconds: ticks / CLOCK_TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

export function processCpuSeconds(pid: number): number {
  return cpuSecondsOf(pid)?.seconds ?? 0;
}

/** CPU seconds of a process and every live descendant (its own children's included once they are reaped). */
export function processTreeCpuSeconds(root: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // After comm, the fields are: state, ppid, …
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended while the list was read.
    }
  }
  const inTree = (pid: number): boolean => {
    for (
      let current: number | undefined = pid;
      current !== undefined && current > 1;
      current = parents.get(current)
    ) {
      if (current === root) return true;
    }
    return false;
  };
  let total = 0;
  for (const pid of parents.keys())
    if (inTree(pid)) total += processCpuSeconds(pid) + reapedChildrenCpuSeconds(pid);
  return total;
}

/** cutime + cstime: CPU of children a process has waited for. */
function reapedChildrenCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of the Postgres processes that work for `database`: its client backends and the server's own
 * (postmaster, WAL writer, checkpointer…), not other databases' backends. Backends that exit between two
 * readings take their time with them, so a delta is a lower bound; the servers keep their pools open.
 */
export function postgresCpuSeconds(database: string): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const reading = cpuSecondsOf(entry);
    if (reading?.comm !== "postgres") continue;
    let title: string;
    try {
      title = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
    } catch {
      continue;
    }
    // A client backend's title is "postgres: <cluster>: <user> <database> <host>(<port>) <state>".
    const client = /: \S+ (\S+) [^\s(]+\(\d+\)/.exec(title);
    if (!client || client[1] === database) total += reading.seconds;
  }
  return total;
}

/**
 * Busy CPU seconds of the whole machine (every core, every process: /proc/stat minus idle and iowait), to see
 * what else ran during a phase.
 */
export function machineBusyCpuSeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return (total - idle) / CLOCK_TICKS_PER_SECOND;
}
