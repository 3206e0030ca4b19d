// Everything under src/platforms must run on Workers: no node:* imports, no bare "crypto" or "buffer",
// no Buffer global and no process.env (configuration comes in through the adapter factories).
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { importSpecifiers, typeScriptFiles } from "../../helpers/source-imports.ts";

const ROOT = join(import.meta.dirname, "../../../src/platforms");
const FORBIDDEN = /^(node:.*|crypto|buffer)$/;
function forbiddenImports(source: string): string[] {
  return importSpecifiers(source).filter((s) => FORBIDDEN.test(s));
}

describe("src/platforms uses Web standards only", () => {
  it("finds the forbidden forms it looks for", () => {
    expect(
      forbiddenImports(
        [
          'import { createHash } from "node:crypto";',
          "import crypto from 'crypto';",
          'export { Buffer } from "buffer";',
          'const fs = await import("node:fs");',
          'const b = require("buffer");',
          'import "node:process";',
          'import { z } from "zod";',
          'import { sha256 } from "../shared/web-crypto.ts";',
        ].join("\n"),
      ),
    ).toEqual(["node:crypto", "crypto", "buffer", "node:fs", "buffer", "node:process"]);
  });

  it("has no file under src/platforms importing node:*, crypto or buffer", () => {
    const files = typeScriptFiles(ROOT);
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap((file) =>
      forbiddenImports(readFileSync(file, "utf8")).map(
        (specifier) => `${relative(ROOT, file)}: ${specifier}`,
      ),
    );
    expect(offenders).toEqual([]);
  });

  it("has no file under src/platforms using the Buffer or process globals", () => {
    const offenders = typeScriptFiles(ROOT).filter((file) =>
      /\bBuffer\b|\bprocess\.(env|exit)\b/.test(readFileSync(file, "utf8").replace(/\/\/.*$/gm, "")),
    );
    expect(offenders.map((file) => relative(ROOT, file))).toEqual([]);
  });
});
