// The real `npm start` process on the embedded database: start-up, hand-off of jobs, crash and clean stop.
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../src/db/migrations-folder.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { jobRuns } from "../../src/db/schema/index.ts";
import { KEEP_ALIVE_TIMEOUT_MS } from "../../src/entry/node/server.ts";
import { JOBS } from "../../src/jobs/registry.ts";
import { runEntry, startServer } from "../helpers/node-process.ts";

const dataDir = mkdtempSync(join(tmpdir(), "opsbot-process-"));
const env = { DATA_DIR: dataDir };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm start on the embedded database", () => {
  it("serves, hands jobs over, refuses a second owner, survives SIGKILL and stops cleanly on SIGTERM", async () => {
    const first = await startServer(env);
    expect(first.output()).toMatch(/"database":"embedded PGlite in [^"]+","platforms":"none"/);
    const health = await fetch(`${first.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", db: "ok" });

    // `npm run job` while the server owns the database: the server runs it.
    const job = await runEntry(
      "src/entry/node/job.ts",
      ["housekeeping", "--at", "2026-11-26T03:00:00+08:00"],
      env,
    );
    expect(job.output).toContain("housekeeping (run by the server");
    expect(job.code).toBe(0);

    // A second server on the same directory is refused with a clear message, not a corrupted database.
    const second = await runEntry("console/start.ts", [], { ...env, PORT: "0" });
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/in use by process \d+ .*stop it, or point DATA_DIR elsewhere/);

    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");

    const restarted = await startServer(env);
    expect((await fetch(`${restarted.url}/healthz`)).status).toBe(200);
    restarted.child.kill("SIGTERM");
    expect(await restarted.exited).toBe(0);
    expect(restarted.output()).toContain('"event":"server.stopped"');

    // The run recorded before the crash is still there.
    const database = await openPglite(join(dataDir, "pglite"), MIGRATIONS_FOLDER);
    try {
      const runs = await database.db.select().from(jobRuns);
      expect(runs.map((run) => [run.job, run.trigger, run.tick.toISOString()])).toContainEqual([
        "housekeeping",
        "manual",
        "2026-11-25T19:00:00.000Z",
      ]);
    } finally {
      await database.close();
    }
  }, 120_000);

  it("rejects bad arguments to npm run job with the usage", async () => {
    const unknown = await runEntry("src/entry/node/job.ts", ["no-such-job"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('unknown job "no-such-job"');
    expect(unknown.output).toContain(`jobs: ${JOBS.map((job) => job.name).join(", ")}`);
    expect(unknown.output).toMatch(/jobs: .*kpi-digest.*overdue-sweep/);
    const badAt = await runEntry("src/entry/node/job.ts", ["housekeeping", "--at", "yesterday"], env);
    expect(badAt.code).toBe(2);
    expect(badAt.output).toContain("--at must be an ISO 8601 time");
  });

  it("refuses to start with a bad configuration, naming the variable", async () => {
    const result = await runEntry("console/start.ts", [], {
      ...env,
      PORT: "http",
      OPS_TIMEZONE: "Moon/Base",
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/PORT: must be a port number.*OPS_TIMEZONE: not an IANA time zone/);
  });
});

describe("connections and request time on the Node server", () => {
  it("keeps an idle connection past a platform client's idle pool, and cuts a request whose body never finishes instead of holding it for Node's default 300 s", async () => {
    const server = await startServer({ DATA_DIR: mkdtempSync(join(tmpdir(), "opsbot-slow-")) });
    try {
      // Node closes an idle keep-alive connection after 5 s unless told otherwise, and says so in this header;
      // a client that reuses its pooled connection (Go keeps them 90 s) just then gets a reset.
      const health = await fetch(`${server.url}/healthz`);
      expect(health.headers.get("keep-alive")).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
      expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(90_000);

      const { hostname, port } = new URL(server.url);
      const socket = connect(Number(port), hostname);
      const answer = new Promise<string>((resolve) => {
        let received = "";
        socket.on("data", (chunk) => {
          received += chunk.toString();
        });
        socket.on("close", () => resolve(received));
      });
      // Headers promise 100 bytes; only 10 come, and then nothing.
      socket.write(
        'POST /webhooks/lark HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":1234',
      );
      expect(await answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  }, 40_000);
});
