// The console in a real browser: order → Confirm → card updated; complaint → sweep → alert, on the real server.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS } from "../../src/domain/calendar/local-time.ts";
import { type ConsoleServer, startConsoleServer } from "../helpers/console-server.ts";
import { clockFrom, dateAfter, testInstant, workingDayAt } from "../helpers/test-instant.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `console-browser: skipped, no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`,
  );

/** 10:00 in Shanghai on a working day, from the chosen test instant; the server's clock runs on from there. */
const START = workingDayAt(testInstant(), 10 * HOUR_MS);
/** How the bot numbers the day's first order and complaint: O-20261125-001. */
const DAY_NUMBER = `${dateAfter(START, 0).replaceAll("-", "")}-001`;
/** A working day two days on, 10:00: the complaint's 24-hour response clock has run out. */
const SWEEP_DAY = dateAfter(workingDayAt(new Date(START.getTime() + 2 * DAY_MS), 10 * HOUR_MS), 0);

// A loaded CI machine (every test file in parallel on two cores) can take a while to run the sweep.
describe.skipIf(!hasChromium)("console in Chromium", { timeout: 60_000 }, () => {
  let server: ConsoleServer;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // Process-level test: the server's clock starts at START and moves with the monotonic clock.
    server = await startConsoleServer({ now: clockFrom(START) });
    profile = await mkdtemp(join(tmpdir(), "opsbot-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      timezoneId: "Asia/Shanghai",
      locale: "zh-CN",
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Below the test timeout, so a missing element fails with Playwright's account of what it waited for.
    page.setDefaultTimeout(45_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("dialog", (dialog) => dialog.accept());
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const card = (title: string | RegExp) => page.getByRole("article", { name: title, exact: true });

  async function send(text: string) {
    const box = page.getByRole("textbox", { name: "消息" });
    await box.fill(text);
    await box.press("Enter");
  }

  it("opens with the platforms, groups and people to choose from", async () => {
    await page.goto(`${server.url}/console`);
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    await page.getByRole("radio", { name: "飞书" }).check();
    await page.getByLabel("群").selectOption("ops");
    await page.getByLabel("我是").selectOption("admin");
    expect(await page.getByRole("radio", { name: "钉钉" }).isEnabled()).toBe(true);
  });

  it("creates an order and confirms it with the button; the card updates in place", async () => {
    await send(`/order new 华东五金 M8 100 ${dateAfter(START, 30)}`);
    const draft = card(`Confirm order O-${DAY_NUMBER}`);
    await draft.getByRole("button", { name: "Confirm" }).click();
    const confirmed = card(`Order O-${DAY_NUMBER}`);
    await confirmed.waitFor();
    expect(await confirmed.getAttribute("class")).toContain("color-green");
    expect(await confirmed.textContent()).toContain("confirmed");
    expect(await draft.count()).toBe(0);
    expect(await page.getByRole("article").count()).toBe(1);
  });

  it("opens a complaint, runs the sweep two days on, and shows the alert in the group", async () => {
    await page.getByLabel("我是").selectOption("cs");
    await send("/complaint new 华东五金 发货延迟");
    await card(`Complaint C-${DAY_NUMBER}`).waitFor();

    await page.getByLabel("巡查时间（留空为现在）").fill(`${SWEEP_DAY}T10:00`);
    await page.getByRole("button", { name: "立即运行超期巡查" }).click();
    const alert = card(/投诉首次回复已超时/);
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`C-${DAY_NUMBER}`);
    expect(await alert.getAttribute("class")).toContain("color-red");
  });

  it("switches the page to English", async () => {
    await page.getByRole("button", { name: "English" }).click();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.getByRole("textbox", { name: "Message" }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
