import { describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log.ts";

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

  it("drops lines below the minimum level", () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line), minLevel: "warn" });
    log.info("ignored");
    log.warn("kept");
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(["kept"]);
  });
});
