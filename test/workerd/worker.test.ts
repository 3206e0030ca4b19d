// The Worker on workerd (`wrangler dev`) against the local Postgres through Hyperdrive's local connection:
// /healthz, a signed Lark message answered through a fake Lark, and a Cron Trigger tick.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jobRuns } from "../../src/db/schema/index.ts";
import { type FakeLark, startFakeLark } from "../fakes/lark.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { larkMessageEvent, signLarkRequest } from "../helpers/lark-signer.ts";

const ROOT = join(import.meta.dirname, "../..");
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function postgresAnswers(url: string): Promise<boolean> {
  const client = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await client`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await client.end({ timeout: 1 });
  }
}

const available = await postgresAnswers(POSTGRES_URL);
if (!available) {
  console.warn(`skipping the workerd tests: no Postgres answers at ${POSTGRES_URL} (set TEST_DATABASE_URL)`);
}

const LARK = {
  appId: "cli_workerd",
  appSecret: "workerd-app-secret",
  token: "workerd-verify-token",
  key: "workerd-key",
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!available)("the Worker on workerd", () => {
  let database: TestDatabase;
  let lark: FakeLark;
  let worker: ChildProcess;
  let base = "";
  let output = "";

  beforeAll(async () => {
    process.env.TEST_DATABASE_URL ??= POSTGRES_URL;
    database = await openTestDatabase();
    lark = await startFakeLark({ appId: LARK.appId, appSecret: LARK.appSecret });
    const port = await freePort();
    // Hyperdrive's local connection string must carry a password; trust auth ignores it.
    const hyperdrive = new URL(database.url as string);
    hyperdrive.password ||= "local";
    const vars = {
      LARK_APP_ID: LARK.appId,
      LARK_APP_SECRET: LARK.appSecret,
      LARK_VERIFICATION_TOKEN: LARK.token,
      LARK_ENCRYPT_KEY: LARK.key,
      LARK_API_BASE: lark.url,
    };
    worker = spawn(
      process.execPath,
      [
        join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--test-scheduled",
        "--show-interactive-dev-session=false",
        ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: "false",
          CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: hyperdrive.toString(),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (/Ready on http/.test(output)) resolve();
      };
      worker.stdout?.on("data", onData);
      worker.stderr?.on("data", onData);
      worker.on("exit", (code) => reject(new Error(`wrangler dev exited (${code}):\n${output}`)));
    });
    base = `http://127.0.0.1:${port}`;
  }, 90_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker.on("exit", resolve));
      worker.kill("SIGTERM");
      await exited;
    }
    await lark?.close();
    await database?.close();
  });

  it("answers /healthz with the database reached through Hyperdrive", async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok" });
  });

  it("verifies a signed Lark message and replies through the Lark API with fetch", async () => {
    const now = Math.floor(Date.now() / 1000); // workerd checks the signature's age against its own clock
    const event = larkMessageEvent({ token: LARK.token, text: "/help", messageId: "om_workerd_1" });
    const signed = signLarkRequest(event, { encryptKey: LARK.key, timestamp: String(now) });
    const response = await fetch(`${base}/webhooks/lark`, {
      method: "POST",
      body: signed.body,
      headers: signed.headers,
    });
    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(lark.delivered).toHaveLength(1), { timeout: 15_000, interval: 50 });
    expect(lark.delivered[0]?.path).toBe("/open-apis/im/v1/messages/om_workerd_1/reply");

    const forged = { ...signed.headers, "x-lark-signature": "f".repeat(64) };
    const refused = await fetch(`${base}/webhooks/lark`, {
      method: "POST",
      body: signed.body,
      headers: forged,
    });
    expect(refused.status).toBe(401);
  });

  it("runs a Cron Trigger tick through the job registry, claimed once", async () => {
    const response = await fetch(`${base}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
    expect(response.status).toBe(200);
    const runs = await database.db.select().from(jobRuns);
    expect(runs.map((run) => [run.job, run.trigger, run.status]).sort()).toEqual([
      ["inbox-sweep", "schedule", "done"],
      ["kpi-digest", "schedule", "done"],
      ["outbox-drain", "schedule", "done"],
      ["production-schedule", "schedule", "done"],
      ["system-probe", "schedule", "done"],
    ]);
  });
});
