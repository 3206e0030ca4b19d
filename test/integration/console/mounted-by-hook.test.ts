// The Node server serves the console only when its start mounts it (console/start.ts does, for `npm start`).
import { afterEach, describe, expect, it } from "vitest";
import { type ConsoleServer, startConsoleServer } from "../../helpers/console-server.ts";

let server: ConsoleServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const startupLine = (logLines: string[]) =>
  JSON.parse(logLines.find((line) => line.includes('"event":"server.started"')) ?? "{}") as Record<
    string,
    unknown
  >;

describe("the console hook of the Node server", () => {
  it("with the console mounted and no platform configured: /console, and the start-up line says where", async () => {
    server = await startConsoleServer();
    const port = new URL(server.url).port;
    expect(startupLine(server.logLines)).toMatchObject({
      url: `http://localhost:${port}`,
      platforms: "none",
      console: `http://localhost:${port}/console`,
      consolePlatforms: ["lark", "dingtalk", "wecom"],
    });
    expect((await fetch(`${server.url}/console`)).status).toBe(200);
  });

  it("without it: no console routes and no console fields, while the product routes answer", async () => {
    server = await startConsoleServer({ console: false });
    const line = startupLine(server.logLines);
    expect(line).toMatchObject({ platforms: "none" });
    expect(line).not.toHaveProperty("console");
    expect(line).not.toHaveProperty("consolePlatforms");
    expect((await fetch(`${server.url}/console`)).status).toBe(404);
    expect(
      (
        await fetch(`${server.url}/console/platform/lark/open-apis/auth/v3/tenant_access_token/internal`, {
          method: "POST",
        })
      ).status,
    ).toBe(404);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok", db: "ok" });
  });
});
