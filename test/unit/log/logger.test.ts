import { describe, expect, it } from "vitest";
import { causeText, createLogger } from "../../../src/log.ts";

function capture(secrets: string[]) {
  const lines: string[] = [];
  const log = createLogger({
    secrets,
    write: (line) => lines.push(line),
    now: () => new Date("2026-11-26T01:00:00Z"),
  });
  return { log, lines };
}

describe("logger", () => {
  it("writes one JSON line per event with time, level and fields", () => {
    const { log, lines } = capture([]);
    log.info("server.started", { url: "http://localhost:8787" });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({
      time: "2026-11-26T01:00:00.000Z",
      level: "info",
      event: "server.started",
      url: "http://localhost:8787",
    });
  });

  it("masks every configured secret wherever it appears, including inside errors and nested values", () => {
    const { log, lines } = capture(["app-secret-123", 'quo"ted\\secret']);
    log.error("send.failed", {
      error: new Error("token app-secret-123 refused"),
      request: { url: "https://x/?secret=app-secret-123", body: 'quo"ted\\secret' },
    });
    expect(lines[0]).not.toContain("app-secret-123");
    expect(lines[0]).not.toContain('quo\\"ted\\\\secret');
    expect(lines[0]?.match(/\[redacted\]/g)).toHaveLength(3);
  });

  it("prints the cause chain of an error: name, message and code of each cause", () => {
    const { log, lines } = capture([]);
    const network = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const fetchFailed = new TypeError("fetch failed", { cause: network });
    log.error("send.failed", { error: new Error("Lark send: network error", { cause: fetchFailed }) });
    expect(JSON.parse(lines[0] as string).error).toEqual({
      name: "Error",
      message: "Lark send: network error",
      cause: {
        name: "TypeError",
        message: "fetch failed",
        cause: { name: "Error", message: "connect ECONNREFUSED 127.0.0.1:9", code: "ECONNREFUSED" },
      },
    });
  });

  it("never prints a payload from a cause: a non-Error shows its type, a JSON error loses the quoted input", () => {
    const { log, lines } = capture([]);
    let parseError: unknown;
    try {
      JSON.parse('{"customer":"Acme Holdings" oops}');
    } catch (error) {
      parseError = error;
    }
    log.warn("webhook.rejected", {
      error: new Error("body is not JSON", { cause: parseError }),
      other: new Error("refused", { cause: { text: "/order new Acme Holdings" } }),
    });
    expect(lines[0]).not.toContain("Acme");
    const line = JSON.parse(lines[0] as string);
    expect(line.error.cause.name).toBe("SyntaxError");
    expect(line.error.cause.message).toMatch(/JSON/);
    expect(line.other.cause).toEqual({ name: "NotAnError", type: "object" });
  });

  it("states the causes under an error on one line for text written by hand", () => {
    const cause = new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    expect(causeText(new Error("network error", { cause }))).toBe(
      " ← TypeError: fetch failed ← Error: connect ECONNREFUSED 127.0.0.1:9",
    );
    expect(causeText(new Error("alone"))).toBe("");
    expect(causeText("not an error")).toBe("");
  });

  it("ends a cause chain that loops instead of following it for ever", () => {
    const { log, lines } = capture([]);
    const first = new Error("first");
    const second = new Error("second", { cause: first });
    Object.assign(first, { cause: second });
    log.error("loop", { error: first });
    expect(lines[0]).toContain("CauseChainTooDeep");
  });

  it("drops lines below the minimum level", () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line), minLevel: "warn" });
    log.info("ignored");
    log.warn("kept");
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(["kept"]);
  });
});
