// The console's guard on a real server: other web pages, DNS-rebinding names, proxies and non-JSON bodies are refused.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleServer, startConsoleServer } from "../../helpers/console-server.ts";

let server: ConsoleServer;
let port: number;
beforeAll(async () => {
  server = await startConsoleServer();
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.close();
});

/** One request with exactly these headers (fetch would not let a test choose Host). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: "127.0.0.1", port, method, path, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    sent.on("error", reject);
    sent.end(body);
  });
}

/** What a hostile page would post: the admin granting admin to someone else. */
const GRANT = JSON.stringify({
  platform: "lark",
  group: "ops",
  person: "admin",
  text: "/role grant ou_x admin",
});
const here = () => ({ host: `127.0.0.1:${port}` });
const withToken = () => ({ ...here(), "content-type": "application/json", "x-console-token": server.token });

async function messagesInOps(): Promise<number> {
  const chat = await raw("GET", "/console/api/chats/lark/ops", withToken());
  return (JSON.parse(chat.text) as { messages: unknown[] }).messages.length;
}

describe("the console's guard", () => {
  it("issues a token in its page, and accepts its own page's calls on every loopback name", async () => {
    expect(server.token).toMatch(/^[\w-]{43}$/);
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) {
      const directory = await raw("GET", "/console/api/directory", {
        ...withToken(),
        host: `${host}:${port}`,
      });
      expect(directory.status).toBe(200);
    }
    const sameOrigin = { ...withToken(), origin: `http://127.0.0.1:${port}` };
    expect((await raw("GET", "/console/api/directory", sameOrigin)).status).toBe(200);
  });

  it("refuses an API call without the token, or with a wrong one, and changes nothing", async () => {
    const before = await messagesInOps();
    const { "x-console-token": _, ...noToken } = withToken();
    expect((await raw("POST", "/console/api/messages", noToken, GRANT)).status).toBe(403);
    // One character off: the token is random, so the last one is swapped for one it is not.
    const last = server.token.endsWith("A") ? "B" : "A";
    const wrong = { ...withToken(), "x-console-token": `${server.token.slice(0, -1)}${last}` };
    expect((await raw("POST", "/console/api/messages", wrong, GRANT)).status).toBe(403);
    expect((await raw("GET", "/console/api/directory", noToken)).status).toBe(403);
    expect(await messagesInOps()).toBe(before);
  });

  it("refuses a text/plain body (a form or simple cross-site POST), even with the token", async () => {
    const before = await messagesInOps();
    const plain = { ...withToken(), "content-type": "text/plain" };
    const refused = await raw("POST", "/console/api/messages", plain, GRANT);
    expect(refused.status).toBe(415);
    expect(await messagesInOps()).toBe(before);
  });

  it("refuses a foreign Origin, even with the token", async () => {
    const before = await messagesInOps();
    for (const origin of ["http://evil.example", `http://127.0.0.1:${port + 1}`, "null"]) {
      const foreign = { ...withToken(), origin };
      expect((await raw("POST", "/console/api/messages", foreign, GRANT)).status).toBe(403);
    }
    expect(await messagesInOps()).toBe(before);
  });

  it("refuses a foreign Host (DNS rebinding): neither the page and its token nor the API answer", async () => {
    const rebound = { ...withToken(), host: `evil.example:${port}` };
    const page = await raw("GET", "/console", rebound);
    expect(page.status).toBe(403);
    expect(page.text).not.toContain(server.token);
    expect((await raw("POST", "/console/api/messages", rebound, GRANT)).status).toBe(403);
    const otherPort = { ...withToken(), host: `127.0.0.1:${port + 1}` };
    expect((await raw("GET", "/console/api/directory", otherPort)).status).toBe(403);
  });

  it.each([
    ["x-forwarded-for", "203.0.113.9"],
    ["x-forwarded-host", "127.0.0.1"],
    ["forwarded", "for=203.0.113.9"],
    ["x-real-ip", "203.0.113.9"],
    ["via", "1.1 proxy"],
  ])("refuses a request a proxy forwarded (%s), the page included", async (name, value) => {
    const before = await messagesInOps();
    const forwarded = { ...withToken(), [name]: value };
    expect((await raw("POST", "/console/api/messages", forwarded, GRANT)).status).toBe(403);
    expect((await raw("GET", "/console", forwarded)).status).toBe(403);
    expect(await messagesInOps()).toBe(before);
  });
});
