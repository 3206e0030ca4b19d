// Runs the real entry points as child processes, and waits on what they print instead of sleeping.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../..");

export interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

function launch(entry: string, args: string[], env: Record<string, string>) {
  // The tsx loader in the same process (not the tsx CLI, which forks): signals reach the entry itself.
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return { child, output: () => output, exited };
}

/** Starts `npm start`'s entry and resolves once it printed its start-up line (or rejects when it exits). */
export function startServer(env: Record<string, string>): Promise<Started> {
  const launched = launch("console/start.ts", [], { PORT: "0", ...env });
  return new Promise((resolve, reject) => {
    const onData = () => {
      const match = /"event":"server\.started","url":"([^"]+)"/.exec(launched.output());
      if (match?.[1]) {
        launched.child.stdout?.off("data", onData);
        resolve({ ...launched, url: match[1] });
      }
    };
    launched.child.stdout?.on("data", onData);
    void launched.exited.then((code) =>
      reject(new Error(`server exited (${code}) before it started:\n${launched.output()}`)),
    );
  });
}

/** Runs a command-line entry (job, migrate) to the end. */
export async function runEntry(
  entry: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | string; output: string }> {
  const launched = launch(entry, args, env);
  const code = await launched.exited;
  return { code, output: launched.output() };
}
