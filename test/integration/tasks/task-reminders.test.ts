// Tasks on an injected clock: the reminder the working day before (over a holiday, on a make-up Saturday), the
// overdue alert to the owner and the alert groups, Done and Snooze from the card, and createTask's refusals.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { commandDeps } from "../../../commands/deps.ts";
import { taskReminderCard } from "../../../commands/tasks/cards.ts";
import { createTaskCommands } from "../../../commands/tasks/commands.ts";
import { createBotHandler } from "../../../src/bot/dispatch.ts";
import { createRegistry, createRouter } from "../../../src/bot/index.ts";
import type { InboundAction } from "../../../src/chat/events.ts";
import { parseEnv } from "../../../src/config/parse-env.ts";
import { alerts, auditLog, people, tasks } from "../../../src/db/schema/index.ts";
import type { Actor } from "../../../src/domain/actor.ts";
import { hasAnyRole } from "../../../src/domain/people/role.ts";
import { createTask } from "../../../src/domain/tasks/changes.ts";
import { TaskRefused } from "../../../src/domain/tasks/refusal.ts";
import { sendDueReminders } from "../../../src/domain/tasks/reminders.ts";
import { silentLogger } from "../../../src/log.ts";
import { useAlertArea } from "../../helpers/alert-area.ts";
import { cardOf, keysOf, local, person, TIMEZONE } from "../alerts/support.ts";

const t = useAlertArea({ start: local("2026-09-01", "08:00") });
let owner: number;
let boss: number;

beforeEach(async () => {
  owner = await person(t.database, "ou_wang", "王伟");
  boss = await person(t.database, "ou_boss", "赵总");
});

const actorAt = (at: Date, personId = boss): Actor => ({
  personId,
  name: "赵总",
  roles: [],
  platform: "lark",
  platformMessageId: `om_${at.getTime()}`,
  at,
});

async function newTask(due: string, at: Date, ownerId = owner, title = "完成季度生产计划"): Promise<string> {
  const task = await createTask(t.database.db, actorAt(at), {
    title,
    ownerPersonId: ownerId,
    due,
    source: { type: "plan", id: "P-1" },
    chat: { platform: "lark", chatId: "oc_floor" },
    timezone: TIMEZONE,
  });
  return task.number;
}

/** The reminder job's work at `at`, as the scheduler runs it. */
async function remind(at: Date) {
  t.bot.clock.set(at.toISOString());
  return sendDueReminders(
    {
      db: t.database.db,
      outbox: t.bot.outbox,
      draw: (task) => ({ type: "card", card: taskReminderCard(task) }),
    },
    at,
  );
}

const reminderKeys = () => keysOf(t.sent).filter((key) => key.startsWith("task-reminder:"));

describe("the reminder the working day before", () => {
  it("goes to the owner directly at 09:00 on the working day before, once", async () => {
    const number = await newTask("2026-11-25", local("2026-11-20", "10:00"));
    await remind(local("2026-11-24", "08:55"));
    expect(reminderKeys()).toEqual([]);
    await remind(local("2026-11-24", "09:00"));
    await remind(local("2026-11-24", "09:05"));
    expect(reminderKeys()).toEqual([
      `task-reminder:${number}:${local("2026-11-24", "09:00").toISOString()}:lark:ou_wang`,
    ]);
    const card = cardOf(t.sent.find((item) => item.key.startsWith("task-reminder:"))?.message);
    expect(card.fields).toContainEqual({ label: "事项 / What", value: "完成季度生产计划" });
    expect(card.buttons?.map((button) => button.action)).toEqual(["task.done", "task.snooze"]);
  });

  it("before a task due right after the National Day holiday, comes on the last working day before it", async () => {
    await newTask("2026-10-08", local("2026-09-01", "10:00"));
    await remind(local("2026-09-29", "09:00"));
    await remind(local("2026-09-30", "08:59"));
    expect(reminderKeys()).toEqual([]);
    await remind(local("2026-09-30", "09:00"));
    expect(reminderKeys()).toHaveLength(1);
  });

  it("before a Monday after a make-up Saturday, comes on that Saturday", async () => {
    await newTask("2026-10-12", local("2026-09-01", "10:00"));
    await remind(local("2026-10-09", "09:00"));
    expect(reminderKeys()).toEqual([]);
    await remind(local("2026-10-10", "09:00"));
    expect(reminderKeys()).toHaveLength(1);
  });

  it("goes into the chat the task was created in when the owner has no account to message", async () => {
    const [nobody] = await t.database.db
      .insert(people)
      .values({ displayName: "临时工", createdAt: local("2026-09-01", "08:00") })
      .returning({ id: people.id });
    const number = await newTask("2026-11-25", local("2026-11-20", "10:00"), nobody?.id);
    await remind(local("2026-11-24", "09:00"));
    expect(reminderKeys()).toEqual([
      `task-reminder:${number}:${local("2026-11-24", "09:00").toISOString()}:lark:oc_floor`,
    ]);
  });

  it("for a task created after its reminder moment, comes at once (inside working hours)", async () => {
    await newTask("2026-11-25", local("2026-11-24", "21:00"));
    const [row] = await t.database.db.select().from(tasks);
    expect(row?.remindAt).toEqual(local("2026-11-25", "08:00"));
  });
});

describe("the overdue alert", () => {
  it("goes to the alert groups and the owner the day after the due date, and clears once done", async () => {
    const number = await newTask("2026-11-25", local("2026-11-20", "10:00"));
    await t.bot.sweep(local("2026-11-25", "18:00"));
    expect(keysOf(t.sent).filter((key) => key.startsWith("alert:task"))).toEqual([]);
    await t.bot.sweep(local("2026-11-26", "09:00"));
    expect(keysOf(t.sent).filter((key) => key.startsWith("alert:task"))).toEqual([
      `alert:task:${number}:overdue:0:lark:oc_alerts`,
      `alert:task:${number}:overdue:0:lark:ou_wang`,
    ]);
    const card = cardOf(t.sent.find((item) => item.key.startsWith("alert:task"))?.message);
    expect(card.title).toBe("待办已逾期 / Task overdue");
    expect(card.fields).toContainEqual({ label: "负责人 / Owner", value: "王伟" });

    const result = await clickAs("task.done", number, "ou_wang", local("2026-11-26", "10:00"));
    expect(result.toast?.text).toBe(`${number} done`);
    await t.bot.sweep(local("2026-11-26", "10:05"));
    const [alert] = await t.database.db.select().from(alerts).where(eq(alerts.entity, number));
    expect(alert?.closedReason).toBe("cleared");
  });

  it("raised on a holiday waits for the first working hour after it (quiet hours)", async () => {
    const number = await newTask("2026-09-30", local("2026-09-01", "10:00"));
    await t.bot.sweep(local("2026-10-01", "09:00"));
    await t.bot.sweep(local("2026-10-07", "12:00"));
    expect(keysOf(t.sent).filter((key) => key.startsWith("alert:task"))).toEqual([]);
    await t.bot.sweep(local("2026-10-08", "08:00"));
    expect(keysOf(t.sent).filter((key) => key.startsWith("alert:task"))).toContain(
      `alert:task:${number}:overdue:0:lark:oc_alerts`,
    );
  });
});

/** A click on the task card as the Lark user `userId` at `at`, through the t.bot's router. */
async function clickAs(actionId: string, number: string, userId: string, at: Date) {
  t.bot.clock.set(at.toISOString());
  const config = parseEnv({ OPS_TIMEZONE: TIMEZONE });
  const deps = {
    database: t.database,
    config,
    now: t.bot.clock.now,
    outbox: t.bot.outbox,
    log: silentLogger,
  };
  const router = createRouter({
    registry: createRegistry(createTaskCommands(commandDeps(deps))),
    authorize: hasAnyRole,
  });
  const handler = createBotHandler({
    database: t.database,
    router,
    outbox: t.bot.outbox,
    config,
    now: t.bot.clock.now,
    log: silentLogger,
  });
  const event: InboundAction = {
    kind: "action",
    platform: "lark",
    dedupKey: `lark:card:${actionId}:${number}:${at.getTime()}`,
    actionId,
    value: { id: number, lang: "en" },
    form: {},
    operator: { id: userId, name: userId },
    chat: { id: "ou_direct", kind: "direct" },
    message: { messageId: "om_task" },
  };
  return handler.action(event);
}

describe("the card's buttons", () => {
  it("Snooze pushes the reminder 4 working hours and keeps the due date; the owner is reminded again", async () => {
    const number = await newTask("2026-11-25", local("2026-11-20", "10:00"));
    await remind(local("2026-11-24", "09:00"));
    const snoozed = await clickAs("task.snooze", number, "ou_wang", local("2026-11-24", "17:00"));
    expect(snoozed.toast?.kind).toBe("success");
    const [row] = await t.database.db.select().from(tasks);
    expect(row?.dueDate).toBe("2026-11-25");
    // 17:00–20:00 is 3 working hours, the fourth is 08:00–09:00 the next morning.
    expect(row?.remindAt).toEqual(local("2026-11-25", "09:00"));
    await remind(local("2026-11-25", "09:00"));
    expect(reminderKeys()).toHaveLength(2);
    const actions = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityId, number));
    expect(actions.map((row) => row.action)).toEqual(["task.created", "task.snoozed"]);
  });

  it("Done by someone neither owner, creator, manager nor admin is refused and changes nothing", async () => {
    const number = await newTask("2026-11-25", local("2026-11-20", "10:00"));
    await person(t.database, "ou_li", "李雷");
    const result = await clickAs("task.done", number, "ou_li", local("2026-11-21", "10:00"));
    expect(result.toast?.text).toMatch(/only the owner, the creator, a manager or an admin/);
    const [row] = await t.database.db.select().from(tasks);
    expect(row?.status).toBe("open");
  });
});

describe("createTask refuses bad input", () => {
  it("an empty title and a due date in the past, writing nothing", async () => {
    await expect(newTask("2026-11-25", local("2026-11-20", "10:00"), owner, "   ")).rejects.toThrow(
      TaskRefused,
    );
    await expect(newTask("2026-11-19", local("2026-11-20", "10:00"))).rejects.toMatchObject({
      refusal: { kind: "due_in_past", due: "2026-11-19", today: "2026-11-20" },
    });
    expect(await t.database.db.select().from(tasks)).toEqual([]);
  });
});
