// The embedded database belongs to one process: a lock file in DATA_DIR names the owner and its admin port.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface LockOwner {
  pid: number;
  /** Loopback port of the owner's admin route, once it listens; 0 before. */
  port: number;
  /** Bearer token the admin route accepts; the file is readable by its owner only. */
  token: string;
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(`the embedded database in ${dataDir} is in use by process ${owner.pid}`);
    this.name = "DataDirBusyError";
  }
}

export interface DataDirLock {
  readonly token: string;
  /** Records the port the owner's admin route listens on. */
  setPort(port: number): Promise<void>;
  release(): Promise<void>;
}

const lockPath = (dataDir: string) => join(dataDir, "opsbot.lock");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; only ESRCH means it is gone.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live owner of the data directory, or undefined when it is free (no lock, or a dead owner's). */
export async function readLockOwner(dataDir: string): Promise<LockOwner | undefined> {
  let text: string;
  try {
    text = await readFile(lockPath(dataDir), "utf8");
  } catch {
    return undefined;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return Number.isInteger(owner.pid) && owner.pid !== process.pid && isAlive(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the data directory for this process; throws DataDirBusyError when a live process holds it. */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const owner: LockOwner = { pid: process.pid, port: 0, token: randomBytes(24).toString("base64url") };
  const write = () => writeFile(path, JSON.stringify(owner), { mode: 0o600, flag: "wx" });
  try {
    await write();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const current = await readLockOwner(dataDir);
    if (current) throw new DataDirBusyError(dataDir, current);
    // Left by a process that died (SIGKILL, power loss): take it over.
    await unlink(path).catch(() => {});
    await write();
  }
  return {
    token: owner.token,
    async setPort(port) {
      owner.port = port;
      await writeFile(path, JSON.stringify(owner), { mode: 0o600 });
    },
    async release() {
      await unlink(path).catch(() => {});
    },
  };
}
