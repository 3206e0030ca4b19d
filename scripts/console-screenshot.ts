// Takes the README's console screenshot: a throwaway server with the console, a few commands, one PNG.
// Usage: npm run console:screenshot [-- <output.png>]   (default docs/console.png; needs Chromium)
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createLocalConsole } from "../console/local-console.ts";
import { parseEnv } from "../src/config/parse-env.ts";
import { startNodeServer } from "../src/entry/node/server.ts";
import { createLogger } from "../src/log.ts";

const output = process.argv[2] ?? "docs/console.png";
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const dataDir = await mkdtemp(join(tmpdir(), "opsbot-screenshot-"));
const server = await startNodeServer({
  config: parseEnv({ PORT: "0", DATA_DIR: dataDir }),
  log: createLogger({ write: () => {} }),
  schedule: false,
  hostname: "127.0.0.1",
  devTools: createLocalConsole,
});
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: "zh-CN" });
  await page.goto(`http://127.0.0.1:${server.port}/console`);
  // English page chrome: readable even where no CJK font is installed (names stay bilingual).
  await page.getByRole("button", { name: "English" }).click();
  const box = page.getByRole("textbox", { name: "Message" });
  const send = async (text: string, answer: RegExp) => {
    await box.fill(text);
    await box.press("Enter");
    await page.getByRole("article", { name: answer }).last().waitFor();
  };
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await send(`/order new Acme M8 100 ${due}`, /^Confirm order/);
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("article", { name: /^Order O-/ }).waitFor();
  await send(`/order new Northwind M12 40 ${due}`, /^Confirm order/);
  await page.getByLabel("I am").selectOption("cs");
  await send("/complaint new Northwind damaged packaging", /^Complaint C-/);
  await page.locator("#toast.visible").waitFor({ state: "detached" });
  await page.screenshot({ path: output });
  console.log(`console screenshot written to ${output}`);
} finally {
  await browser.close();
  await server.shutdown();
  await rm(dataDir, { recursive: true, force: true });
}
