// Where a server's CPU went: a V8 CPU profile (node --cpu-prof) summarised as self time per category, over a
// window of the run. Categories: opsbot's code by top-level area (src/inbox, src/outbox, …), packages by name,
// node's internals by kind (net/stream, http, crypto) with the package or area that called them, and V8's own
// "(garbage collector)" and "(program)" (native code outside JavaScript: libuv, bindings, the compiler).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The parts of a `.cpuprofile` the summary reads; times are microseconds of the monotonic clock. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CategoryTime {
  category: string;
  selfMicros: number;
  /** Of the busy time: every sample but "(idle)". */
  share: number;
}

export interface ProfileSummary {
  /** Sampled time the thread was not idle, within the window. */
  busyMicros: number;
  idleMicros: number;
  /** Largest first. */
  categories: CategoryTime[];
}

/** A window of the run in the profile's clock: `process.hrtime` in microseconds, shared by every process. */
export interface ProfileWindow {
  fromMicros: number;
  toMicros: number;
}

const IDLE = "(idle)";
/** V8's own frames: counted as themselves, never as their caller. */
const V8_FRAMES = new Set(["(garbage collector)", "(program)", IDLE, "(root)"]);

/** node's internals by what they do; the first matching prefix of the module name wins. */
const NODE_KINDS: [prefix: string, kind: string][] = [
  ["internal/deps/undici", "undici"],
  ["internal/stream_base_commons", "net/stream"],
  ["internal/streams", "net/stream"],
  ["stream", "net/stream"],
  ["net", "net/stream"],
  ["internal/http", "http"],
  ["_http", "http"],
  ["http", "http"],
  ["internal/crypto", "crypto"],
  ["crypto", "crypto"],
  ["internal/process/task_queues", "promises and ticks"],
  ["internal/timers", "timers"],
  ["timers", "timers"],
  ["events", "events"],
  ["internal/url", "url"],
  ["url", "url"],
  ["internal/modules", "module loading"],
  ["internal/worker", "module loading"],
];

type Owner = { kind: "node"; name: string } | { kind: "code"; name: string } | { kind: "native" };

/** What a frame belongs to: node internals, a package or area of the project (by path), or native code. */
function ownerOf(frame: CallFrame, projectRoot: string): Owner {
  if (frame.url.startsWith("node:")) {
    const module = frame.url.slice("node:".length);
    const kind = NODE_KINDS.find(([prefix]) => module.startsWith(prefix))?.[1] ?? "other";
    // undici ships inside node, but it is a library of its own: its callers are what matters.
    return kind === "undici" ? { kind: "code", name: "undici" } : { kind: "node", name: kind };
  }
  if (!frame.url) return { kind: "native" };
  const path = frame.url.replace(/^file:\/\//, "");
  const inPackage = path.lastIndexOf("/node_modules/");
  if (inPackage >= 0) {
    const [scope, name] = path.slice(inPackage + "/node_modules/".length).split("/");
    return { kind: "code", name: scope?.startsWith("@") ? `${scope}/${name}` : (scope ?? path) };
  }
  if (path.startsWith(projectRoot)) {
    const parts = path.slice(projectRoot.length).replace(/^\//, "").split("/");
    const area = parts[0] === "src" && parts.length > 2 ? `src/${parts[1]}` : (parts[0] ?? path);
    return { kind: "code", name: area.replace(/\.[cm]?[jt]s$/, "") };
  }
  return { kind: "code", name: path };
}

/**
 * The category of every node of the call tree. Native frames take their caller's category (a socket write is
 * the work of whoever wrote); node internals name the nearest package or area above them ("net/stream ←
 * postgres"), so that a socket write for Postgres and one for an HTTP answer are told apart.
 */
function categorise(profile: CpuProfile, projectRoot: string): Map<number, string> {
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const categories = new Map<number, string>();
  /** The nearest package or project area at or above `id`, if any. */
  const codeAbove = (id: number | undefined): string | undefined => {
    for (let current = id; current !== undefined; current = parents.get(current)) {
      const node = byId.get(current);
      if (!node || V8_FRAMES.has(node.callFrame.functionName)) return undefined;
      const owner = ownerOf(node.callFrame, projectRoot);
      if (owner.kind === "code") return owner.name;
    }
    return undefined;
  };
  const categoryOf = (id: number): string => {
    const known = categories.get(id);
    if (known) return known;
    const node = byId.get(id);
    const frame = node?.callFrame ?? { functionName: "(root)", url: "" };
    let category: string;
    if (V8_FRAMES.has(frame.functionName)) category = frame.functionName;
    else {
      const owner = ownerOf(frame, projectRoot);
      const parent = parents.get(id);
      if (owner.kind === "native") category = parent === undefined ? "(native)" : categoryOf(parent);
      else if (owner.kind === "code") category = owner.name;
      else {
        const caller = codeAbove(parent);
        category = caller ? `node ${owner.name} ← ${caller}` : `node ${owner.name}`;
      }
    }
    categories.set(id, category);
    return category;
  };
  for (const node of profile.nodes) categoryOf(node.id);
  return categories;
}

/**
 * Self time per category within `windows` (the whole profile without them). A sample stands for the time until
 * the next one, as in Chrome's DevTools.
 */
export function summariseCpuProfile(
  profile: CpuProfile,
  projectRoot: string,
  windows: ProfileWindow[] = [{ fromMicros: profile.startTime, toMicros: profile.endTime }],
): ProfileSummary {
  const categories = categorise(profile, projectRoot);
  const self = new Map<string, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const until = i + 1 < profile.samples.length ? at + (profile.timeDeltas[i + 1] ?? 0) : profile.endTime;
    const from = at;
    const inWindow = windows.reduce(
      (sum, window) =>
        sum + Math.max(0, Math.min(until, window.toMicros) - Math.max(from, window.fromMicros)),
      0,
    );
    if (inWindow === 0) continue;
    const category = categories.get(profile.samples[i] ?? -1) ?? "(root)";
    self.set(category, (self.get(category) ?? 0) + inWindow);
  }
  const idleMicros = self.get(IDLE) ?? 0;
  self.delete(IDLE);
  return summaryOf(self, idleMicros);
}

/** Busy time, and each category's share of it, largest first. */
function summaryOf(self: Map<string, number>, idleMicros: number): ProfileSummary {
  const busyMicros = [...self.values()].reduce((sum, micros) => sum + micros, 0);
  return {
    busyMicros,
    idleMicros,
    categories: [...self]
      .map(([category, selfMicros]) => ({
        category,
        selfMicros,
        share: busyMicros > 0 ? selfMicros / busyMicros : 0,
      }))
      .sort((a, b) => b.selfMicros - a.selfMicros),
  };
}

/** Now, in the clock of every profile on this machine (V8's ticks are the monotonic clock in microseconds). */
export function profileClockMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Several threads' summaries as one: their busy and idle time, and each category's, added up. */
export function mergeSummaries(summaries: ProfileSummary[]): ProfileSummary {
  const self = new Map<string, number>();
  for (const summary of summaries)
    for (const { category, selfMicros } of summary.categories)
      self.set(category, (self.get(category) ?? 0) + selfMicros);
  return summaryOf(
    self,
    summaries.reduce((sum, summary) => sum + summary.idleMicros, 0),
  );
}

/** The `.cpuprofile` files node wrote into `dir` when the process exited: one per thread (the main one, loaders). */
export function readCpuProfiles(dir: string): CpuProfile[] {
  const files = readdirSync(dir).filter((file) => file.endsWith(".cpuprofile"));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return files.map((file) => JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile);
}
