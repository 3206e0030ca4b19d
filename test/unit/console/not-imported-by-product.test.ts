// The console is a development tool the Node start mounts through a hook: no file under src/ may import it.
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { importSpecifiers, typeScriptFiles } from "../../helpers/source-imports.ts";

const REPO = join(import.meta.dirname, "../../..");
const SRC = join(REPO, "src");
const CONSOLE = join(REPO, "console");

/** The specifiers in `source` (a file at `file`) that lead into console/. */
function consoleImports(file: string, source: string): string[] {
  return importSpecifiers(source).filter((specifier) => {
    if (!specifier.startsWith(".")) return false;
    const target = resolve(dirname(file), specifier);
    return target === CONSOLE || target.startsWith(CONSOLE + sep);
  });
}

describe("src/ does not import the console", () => {
  it("finds the imports it looks for", () => {
    const file = join(SRC, "entry/node/server.ts");
    expect(
      consoleImports(
        file,
        [
          'import { createLocalConsole } from "../../../console/local-console.ts";',
          'export type { ConsoleDriver } from "../../../console/driver.ts";',
          'const page = await import("../../../console/page-routes.ts");',
          'import { createAdminRoutes } from "./admin-routes.ts";',
          'import { consolePlatforms } from "../../console-mode.ts";',
          'import { Hono } from "hono";',
        ].join("\n"),
      ),
    ).toEqual([
      "../../../console/local-console.ts",
      "../../../console/driver.ts",
      "../../../console/page-routes.ts",
    ]);
  });

  it("has no file under src/ importing anything from console/", () => {
    const files = typeScriptFiles(SRC);
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap((file) =>
      consoleImports(file, readFileSync(file, "utf8")).map(
        (specifier) => `${relative(REPO, file)}: ${specifier}`,
      ),
    );
    expect(offenders).toEqual([]);
  });
});
