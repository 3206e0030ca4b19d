// The Node platform clients' fetch: answers as fetch gives them, over one kept-alive connection per origin.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPooledFetch } from "../../../src/entry/node/pooled-fetch.ts";

let server: Server;
let base: string;
const connections: unknown[] = [];
const seen: { method: string; url: string; type: string | undefined; body: string }[] = [];

const bodyOf = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

beforeAll(async () => {
  server = createServer(async (request, response) => {
    seen.push({
      method: request.method ?? "",
      url: request.url ?? "",
      type: request.headers["content-type"],
      body: await bodyOf(request),
    });
    if (request.url === "/empty") {
      response.writeHead(204).end();
      return;
    }
    response
      .writeHead(429, { "content-type": "application/json", "x-ogw-ratelimit-reset": "2" })
      .end(JSON.stringify({ code: 99991400, msg: "请求过于频繁" }));
  });
  server.on("connection", (socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("createPooledFetch", () => {
  it("sends method, headers and body, gives status, headers and body back, and reuses its connection", async () => {
    const pooled = createPooledFetch();
    try {
      for (const n of [1, 2, 3]) {
        const response = await pooled.fetch(`${base}/open-apis/im/v1/messages?n=${n}`, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body: JSON.stringify({ text: `第${n}条` }),
        });
        expect(response.status).toBe(429);
        expect(response.headers.get("x-ogw-ratelimit-reset")).toBe("2");
        expect(await response.json()).toEqual({ code: 99991400, msg: "请求过于频繁" });
      }
      const empty = await pooled.fetch(new URL(`${base}/empty`));
      expect(empty.status).toBe(204);
      expect(await empty.text()).toBe("");
    } finally {
      pooled.close();
    }
    expect(seen).toEqual([
      ...[1, 2, 3].map((n) => ({
        method: "POST",
        url: `/open-apis/im/v1/messages?n=${n}`,
        type: "application/json; charset=utf-8",
        body: JSON.stringify({ text: `第${n}条` }),
      })),
      { method: "GET", url: "/empty", type: undefined, body: "" },
    ]);
    expect(connections).toHaveLength(1);
  });

  it("fails as fetch does when nobody answers, and when aborted", async () => {
    const pooled = createPooledFetch();
    try {
      await expect(pooled.fetch("http://127.0.0.1:1/", { method: "POST", body: "{}" })).rejects.toThrow();
      await expect(
        pooled.fetch(`${base}/empty`, { signal: AbortSignal.abort(new Error("gave up")) }),
      ).rejects.toThrow();
    } finally {
      pooled.close();
    }
  });
});
