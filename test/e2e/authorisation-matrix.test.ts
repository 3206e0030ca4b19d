// Every command and card action × every role (and none) through the signed Lark webhook: allowed as the company
// procedure says, and every denial answered, without effect, and audited; forged card values likewise; and the
// rules that hang on where and whose (another chat's card, someone else's draft, an alert's chats, whose
// complaints a list shows) through the signed Lark, DingTalk and WeCom webhooks alike.
import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandRegistry } from "../../commands/index.ts";
import type { OutboundMessage } from "../../src/chat/card.ts";
import type { PlatformId } from "../../src/chat/events.ts";
import { parseEnv } from "../../src/config/parse-env.ts";
import {
  alerts,
  auditLog,
  chats,
  complaints,
  identities,
  meetings,
  orders,
  outbox,
  subscriptions,
} from "../../src/db/schema/index.ts";
import { noticeKeyPrefix } from "../../src/domain/alerts/levels.ts";
import { openComplaint, resolveComplaint } from "../../src/domain/complaints/changes.ts";
import { requestExpense } from "../../src/domain/finance/expenses.ts";
import { addArea } from "../../src/domain/inspections/checklist-edits.ts";
import { addEquipment } from "../../src/domain/maintenance/equipment.ts";
import { confirmOrder, draftOrder, setLineCapacity } from "../../src/domain/orders/index.ts";
import { grantRole, personForContact } from "../../src/domain/people/people.ts";
import type { Role } from "../../src/domain/people/role.ts";
import { createLot, recordSample } from "../../src/domain/quality/lots.ts";
import { planRisk, raiseRisk } from "../../src/domain/risks/changes.ts";
import { logSalesEntry } from "../../src/domain/sales/entries.ts";
import { defineStockItem, recordStockMovement } from "../../src/domain/stock/changes.ts";
import { countStocktakeLine, startStocktake } from "../../src/domain/stocktake/sessions.ts";
import { createTask } from "../../src/domain/tasks/changes.ts";
import { silentLogger } from "../../src/log.ts";
import { outTrackIdFor } from "../../src/platforms/dingtalk/handle.ts";
import { encodeButtonKey } from "../../src/platforms/wecom/button-key.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/database.ts";
import {
  dingtalkCardCallback,
  dingtalkRobotMessage,
  signDingTalk,
  signDingTalkCard,
} from "../helpers/dingtalk-signer.ts";
import {
  createHarness,
  DINGTALK,
  type Fakes,
  type Harness,
  LARK,
  startFakes,
  WECOM,
} from "../helpers/e2e-harness.ts";
import { larkCardAction, larkMessageEvent, signLarkRequest } from "../helpers/lark-signer.ts";
import { tableStates } from "../helpers/table-state.ts";
import { botCallback } from "../helpers/wecom-signer.ts";
import { replyText } from "../integration/people/bot-under-test.ts";

const CHAT = "oc_matrix";
const OTHER_CHAT = "oc_elsewhere";
/** A group subscribed to alerts that was never sent the alerts of these tests. */
const SUBSCRIBED_ELSEWHERE = "oc_subscribed_elsewhere";
const TIMEZONE = "Asia/Shanghai";
// Thursday 2026-11-26 10:00 in Shanghai.
const START = new Date("2026-11-26T02:00:00Z");

const ROLES = ["admin", "manager", "cs", "qa", "warehouse", "finance", "staff"] as const satisfies Role[];
type Holder = Role | "none";
const HOLDERS: readonly Holder[] = [...ROLES, "none"];

const ORDER_COMPLETERS: Role[] = ["staff", "warehouse", "manager", "admin"];
const ORDER_DELAYERS: Role[] = ["staff", "manager", "admin"];
const COMPLAINT_HANDLERS: Role[] = ["cs", "manager", "admin"];
const SETTINGS: Role[] = ["manager", "admin"];
const STOCK_KEEPERS: Role[] = ["warehouse", "manager", "admin"];

/**
 * Who may run what, written out from DESIGN §1 and the procedure (empty = anyone): /subscribe and /unsubscribe
 * admin or manager, /role and /calendar set|unset admin only, complaints handled by customer service and managers, orders completed by
 * the warehouse (staff their own), due dates moved by managers (staff their own), stock recorded by the warehouse
 * and managers, equipment added by managers (anyone records a service done). The registry must agree.
 */
const EXPECTED_ROLES: Record<string, readonly Role[]> = {
  help: [],
  "order.new": [],
  "order.list": [],
  "order.done": ORDER_COMPLETERS,
  "order.delay": ORDER_DELAYERS,
  // Production is planned by managers (priority, line, capacity); anyone reads the lines and the schedule.
  "order.priority": SETTINGS,
  "order.line": SETTINGS,
  line: [],
  "line.set": SETTINGS,
  schedule: [],
  "complaint.new": [],
  "complaint.list": [],
  "complaint.respond": COMPLAINT_HANDLERS,
  "complaint.resolve": COMPLAINT_HANDLERS,
  "complaint.rate": COMPLAINT_HANDLERS,
  inspect: [],
  kpi: [],
  calendar: [],
  "calendar.set": ["admin"],
  "calendar.unset": ["admin"],
  stock: [],
  "stock.item": STOCK_KEEPERS,
  "stock.in": STOCK_KEEPERS,
  "stock.out": STOCK_KEEPERS,
  "stock.set": STOCK_KEEPERS,
  equipment: [],
  "equipment.add": SETTINGS,
  "equipment.done": [],
  // Anyone declares a lot and reads lots; sampling results and releases are QA's signature.
  lot: [],
  "lot.new": [],
  qc: ["qa"],
  "lot.release": ["qa"],
  // The warehouse counts; the close writes the books, a manager's or an admin's.
  count: STOCK_KEEPERS,
  "count.start": STOCK_KEEPERS,
  "count.close": SETTINGS,
  subscribe: SETTINGS,
  unsubscribe: SETTINGS,
  role: ["admin"],
  "target.set": SETTINGS,
  "target.list": [],
  // Managers and admins raise and close risks; planning is theirs or the plan owner's, checked on the risk itself.
  "risk.list": [],
  "risk.new": SETTINGS,
  "risk.plan": [],
  "risk.close": SETTINGS,
  // Reading the roster is anyone's; changing it is checked in the command (the rows below).
  roster: [],
  "help.language": [],
  "order.confirm": [],
  "order.cancel": [],
  "order.submit": [],
  "complaint.take": COMPLAINT_HANDLERS,
  "complaint.respond.submit": COMPLAINT_HANDLERS,
  "complaint.resolve.submit": COMPLAINT_HANDLERS,
  "complaint.view": [],
  "inspection.open": [],
  "inspection.submit": [],
  "alert.ack": [],
  // Answering an alert by its number: anyone in a chat it went to (or a manager or admin anywhere).
  ack: [],
  snooze: [],
  escalate: [],
  // Anyone links or unlinks their own accounts; unbinding someone else is an admin's (the rows below).
  bind: [],
  unbind: [],
  "alert.snooze_hour": [],
  "alert.snooze_tomorrow": [],
  "alert.escalate": [],
  // Anyone creates and lists tasks; completing and snoozing are the owner's, the creator's, a manager's or an
  // admin's, checked on the task itself (see the forged clicks below), so no role is required up front.
  "task.new": [],
  "task.list": [],
  "task.done": [],
  "task.snooze": [],
  rules: [],
  // Managers and admins schedule meetings, record their minutes and actions, and log training; anyone reads a
  // meeting or the training records and practises; the buttons only say what to send.
  "meeting.new": SETTINGS,
  "meeting.minutes": SETTINGS,
  "meeting.action": SETTINGS,
  "meeting.show": [],
  "meeting.schedule": [],
  "review.record_action": [],
  "training.log": SETTINGS,
  "training.list": [],
  practice: [],
  // The sales log is anyone's; a lead is closed by whoever logged it or customer service, checked on the lead.
  "sales.lead": [],
  "sales.feedback": [],
  "sales.followup": [],
  "lead.convert": [],
  "lead.close": [],
  "feedback.complaint": [],
  // Reconciliation, signing and rejecting are finance's; anyone asks for a reimbursement.
  reconcile: ["finance"],
  "expense.new": [],
  "expense.sign": ["finance"],
  "expense.reject": ["finance"],
  "expense.reject.submit": ["finance"],
  checklist: [],
  check: [],
  "system_check.submit": [],
  "checklist.area.add": SETTINGS,
  "checklist.area.retire": SETTINGS,
  "checklist.cutoff": SETTINGS,
  "checklist.item.add": SETTINGS,
  "checklist.item.change": SETTINGS,
  "checklist.item.retire": SETTINGS,
};

const allows = (id: string, holder: Holder): boolean => {
  const required = EXPECTED_ROLES[id] ?? [];
  return required.length === 0 || (holder !== "none" && required.includes(holder));
};

/**
 * Tables an event may touch without changing anything: its inbox row, its reply, its audit row, who and where,
 * and the DingTalk signature it used.
 */
const BOOKKEEPING = ["inbox", "outbox", "audit_log", "people", "identities", "chats", "signature_uses"];

let database: TestDatabase;
let fakes: Fakes;
let h: Harness;
let sequence = 0;
const nextId = (prefix: string) => `${prefix}_${++sequence}`;
/** people.id of each role's member (`ou_<role>` on Lark, `ding_<role>` on DingTalk, `wx_<role>` on WeCom). */
const personOf = {} as Record<Holder, number>;
const PLATFORM_IDS = ["lark", "dingtalk", "wecom"] as const satisfies PlatformId[];
const USER_PREFIX: Record<PlatformId, string> = { lark: "ou_", dingtalk: "ding_", wecom: "wx_" };
const userIdOn = (platform: PlatformId, holder: Holder) => `${USER_PREFIX[platform]}${holder}`;

beforeAll(async () => {
  [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
  // One harness for the file: every case makes its own entities and reads only its own event's rows.
  h = createHarness({ database, fakes, channels: ["lark", "dingtalkCards", "wecomBot"], start: START });
  const now = h.clock.now();
  for (const holder of HOLDERS) {
    const { personId } = await personForContact(database.db, {
      platform: "lark",
      userId: `ou_${holder}`,
      name: holder,
      bootstrapAdmin: false,
      now,
    });
    personOf[holder] = personId;
    if (holder !== "none") await grantRole(database.db, { personId, role: holder, by: null, now });
    // The same person's DingTalk and WeCom accounts.
    await database.db.insert(identities).values(
      (["dingtalk", "wecom"] as const).map((platform) => ({
        platform,
        platformUserId: userIdOn(platform, holder),
        personId,
        name: holder,
        createdAt: now,
      })),
    );
  }
  // The group is subscribed to alerts, so that alert buttons may be pressed in it.
  await database.db
    .insert(chats)
    .values({ platform: "lark", chatId: CHAT, kind: "group", createdAt: now, updatedAt: now });
  for (const platform of PLATFORM_IDS) {
    await database.db
      .insert(subscriptions)
      .values(
        [CHAT, SUBSCRIBED_ELSEWHERE].map((chatId) => ({ platform, chatId, topic: "alerts", createdAt: now })),
      );
  }
});
afterAll(async () => {
  await h.settle();
  await Promise.all([database.close(), fakes.close()]);
});

// ---- Fixtures: fresh entities for each case, so that one case's effect never decides another's outcome.

const actorOf = (personId: number, chatId = CHAT, platform: PlatformId = "lark") => ({
  personId,
  name: "fixture",
  roles: [] as Role[],
  at: h.clock.now(),
  platform,
  platformMessageId: nextId("om_fixture"),
  chatId,
});

async function draft(personId: number, chatId = CHAT, platform: PlatformId = "lark"): Promise<string> {
  const input = { customer: "ACME", model: nextId("X"), quantity: 5, dueDate: "2026-12-10" };
  const { order } = await draftOrder(database.db, input, actorOf(personId, chatId, platform), TIMEZONE);
  return order.number;
}

async function confirmed(personId: number): Promise<string> {
  const number = await draft(personId);
  await confirmOrder(database.db, { number, actor: actorOf(personId), timezone: TIMEZONE });
  return number;
}

async function complaint(chatId = CHAT, platform: PlatformId = "lark"): Promise<string> {
  const opened = await openComplaint(database.db, actorOf(personOf.cs, chatId, platform), {
    customer: "ACME",
    description: "two boxes wet",
    chatId,
    timezone: TIMEZONE,
  });
  return opened.number;
}

async function resolvedComplaint(): Promise<string> {
  const number = await complaint();
  await resolveComplaint(database.db, actorOf(personOf.cs), number, "resent");
  return number;
}

/** An open task owned (and created) by `personId`. */
async function task(personId: number): Promise<string> {
  const created = await createTask(database.db, actorOf(personId), {
    title: "fix the pump",
    ownerPersonId: personId,
    due: "2026-12-10",
    source: { type: "command", id: nextId("om_task") },
    timezone: TIMEZONE,
  });
  return created.number;
}

/** A fresh material with 100 on hand. */
async function material(): Promise<string> {
  const sku = nextId("M").replace("_", "-");
  const actor = actorOf(personOf.warehouse);
  await defineStockItem(database.db, actor, { sku, name: "pellets", declaredDailyUse: 1000n }, TIMEZONE);
  await recordStockMovement(database.db, actor, { sku, kind: "in", quantity: 100_000n }, TIMEZONE);
  return sku;
}

/** A fresh production line making 100 a day; returns its name. */
async function productionLine(): Promise<string> {
  const name = nextId("L").replace("_", "-");
  await setLineCapacity(database.db, actorOf(personOf.manager), { name, capacity: 100 });
  return name;
}

/** A fresh lot of 20 units (sample 1) of a confirmed order; `sampled` when its sample is already met. */
async function lot(sampled = false): Promise<string> {
  const order = await confirmed(personOf.staff);
  const created = await createLot(
    database.db,
    actorOf(personOf.qa),
    { orderNumber: order, size: 20 },
    TIMEZONE,
  );
  if (sampled)
    await recordSample(database.db, actorOf(personOf.qa), {
      lotNumber: created.number,
      sampled: 1,
      defects: 0,
    });
  return created.number;
}

/** A fresh warehouse holding one fresh material with 100 on hand. */
async function warehouse(): Promise<{ warehouse: string; sku: string }> {
  const sku = await material();
  const code = nextId("W").replace("_", "-");
  const moved = { sku, name: "pellets", declaredDailyUse: 1000n, warehouse: code };
  await defineStockItem(database.db, actorOf(personOf.warehouse), moved, TIMEZONE);
  return { warehouse: code, sku };
}

/** An open count of a fresh warehouse; `counted` when its one line is counted. */
async function stocktake(counted = false): Promise<{ number: string; sku: string }> {
  const { warehouse: code, sku } = await warehouse();
  const actor = actorOf(personOf.warehouse);
  const { number } = await startStocktake(database.db, actor, code, TIMEZONE);
  if (counted) await countStocktakeLine(database.db, actor, { number, sku, counted: 100_000n });
  return { number, sku };
}

/** A fresh open lead logged by `personId`; its Q- number. */
async function lead(personId: number): Promise<string> {
  const input = { kind: "lead" as const, customer: "ACME", text: "price", chatId: CHAT, timezone: TIMEZONE };
  const logged = await logSalesEntry(database.db, actorOf(personId), input);
  return logged.number as string;
}

/** A fresh feedback; its id. */
async function feedback(): Promise<string> {
  const input = {
    kind: "feedback" as const,
    customer: "ACME",
    text: "late",
    chatId: CHAT,
    timezone: TIMEZONE,
  };
  return String((await logSalesEntry(database.db, actorOf(personOf.staff), input)).id);
}

/** A fresh reimbursement waiting for finance; its E- number. */
async function expense(): Promise<string> {
  const { expense: asked } = await requestExpense(
    { db: database.db, outbox: h.services.outbox },
    actorOf(personOf.staff),
    { amount: 12_50n, reason: "taxi", chat: { id: CHAT, kind: "group" }, timezone: TIMEZONE },
    () => ({ type: "text", text: "reimbursement" }),
  );
  return asked.number;
}

/** Fresh equipment, serviced a week ago every 30 days. */
async function machine(): Promise<string> {
  const code = nextId("E").replace("_", "-");
  const input = { code, name: "lathe", everyDays: 30, lastService: "2026-11-19" };
  await addEquipment(database.db, actorOf(personOf.manager), input, TIMEZONE);
  return code;
}

/** The A- number of the alert of complaint C-<day>-<seq>, unique as the complaint's. */
const alertNumberOf = (complaintNumber: string) => complaintNumber.replace(/^C-/, "A-");

/** A raised alert sent to the matrix group, by its number. */
async function alertNumber(): Promise<string> {
  const [row] = await database.db
    .select({ number: alerts.number })
    .from(alerts)
    .where(eq(alerts.id, Number(await alert())));
  return row?.number ?? "";
}

/** A fresh high risk; with an owner, planned by a manager with that owner. */
async function risk(ownerPersonId?: number): Promise<string> {
  const input = { likelihood: 4, impact: 4, description: "the supplier may stop" };
  const raised = await raiseRisk(database.db, actorOf(personOf.manager), input, TIMEZONE);
  if (ownerPersonId !== undefined) {
    const manager = { ...actorOf(personOf.manager), roles: ["manager" as const] };
    await planRisk(
      database.db,
      manager,
      raised.number,
      { plan: "a second supplier", ownerPersonId },
      TIMEZONE,
    );
  }
  return raised.number;
}

/** A meeting on a topic, scheduled by the manager, without minutes. */
async function meeting(): Promise<string> {
  const number = `M-20261126-${String(++sequence).padStart(3, "0")}`;
  const now = h.clock.now();
  await database.db.insert(meetings).values({
    number,
    kind: "topic",
    topic: "supplier quality",
    startsAt: now,
    attendees: [],
    platform: "lark",
    chatId: CHAT,
    createdAt: now,
    createdBy: personOf.manager,
  });
  return number;
}

/** The review of a confirmed order more than 5 days late, its first notice sent to this chat. */
async function orderAlert(): Promise<string> {
  const number = await confirmed(personOf.manager);
  const now = h.clock.now();
  const facts = {
    type: "order",
    number,
    customer: "ACME",
    model: "X1",
    quantity: 5,
    dueDate: "2026-11-10",
    originalDueDate: "2026-11-10",
  };
  const raised = { kind: "order", entity: number, level: "review" };
  const [row] = await database.db
    .insert(alerts)
    .values({ ...raised, facts, raisedAt: now, sentCount: 1, firstSentAt: now })
    .returning({ id: alerts.id });
  await database.db.insert(outbox).values({
    idempotencyKey: `${noticeKeyPrefix(raised, 0)}:lark:${CHAT}`,
    platform: "lark",
    targetKey: CHAT,
    target: { kind: "chat", platform: "lark", chatId: CHAT, chatKind: "group" },
    message: { type: "text", text: "alert" },
    status: "sent",
    nextAttemptAt: now,
    createdAt: now,
    finishedAt: now,
  });
  return String(row?.id);
}

/** A fresh area with two checks, so that any change of it is allowed once. */
async function checklistArea(): Promise<string> {
  const code = nextId("a")
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_");
  const check = {
    kind: "check",
    labelZh: "检查",
    labelEn: "check",
    unit: null,
    min: null,
    max: null,
    safety: false,
  } as const;
  await addArea(
    database.db,
    { code, nameZh: code, nameEn: code, kind: "inspection", cutoff: "10:00" },
    [
      { ...check, code: "first" },
      { ...check, code: "second" },
    ],
    actorOf(personOf.manager),
  );
  return code;
}

/** A raised alert whose first notice went to `sentTo` (its outbox row, as the notice sender stores it). */
async function alert(sentTo: { platform: PlatformId; chatId: string } = { platform: "lark", chatId: CHAT }) {
  const number = await complaint();
  const now = h.clock.now();
  const facts = {
    type: "complaint",
    number,
    customer: "ACME",
    receivedAt: now.toISOString(),
    dueAt: now.toISOString(),
  };
  const raised = { kind: "response", entity: number, level: "warning" };
  const [row] = await database.db
    .insert(alerts)
    .values({
      ...raised,
      number: alertNumberOf(number),
      facts,
      raisedAt: now,
      sentCount: 1,
      firstSentAt: now,
    })
    .returning({ id: alerts.id });
  const { platform, chatId } = sentTo;
  await database.db.insert(outbox).values({
    idempotencyKey: `${noticeKeyPrefix(raised, 0)}:${platform}:${chatId}`,
    platform,
    targetKey: chatId,
    target: { kind: "chat", platform, chatId, chatKind: "group" },
    message: { type: "text", text: "alert" },
    status: "sent",
    nextAttemptAt: now,
    createdAt: now,
    finishedAt: now,
  });
  return String(row?.id);
}

// ---- Driving the bot as a Lark user.

const timestamp = () => String(Math.floor(h.clock.now().getTime() / 1000));

/** Says `text` in the group as `holder`; resolves with the bot's reply and the platform message id. */
async function say(
  holder: Holder,
  text: string,
  chatId = CHAT,
): Promise<{ reply: string; messageId: string }> {
  const messageId = nextId("om");
  const payload = larkMessageEvent({
    token: LARK.verificationToken,
    text,
    messageId,
    chatId,
    senderOpenId: `ou_${holder}`,
  });
  const signed = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp: timestamp() });
  const response = await h.send("/webhooks/lark", {
    method: "POST",
    body: signed.body,
    headers: signed.headers,
  });
  expect(response.status).toBe(200);
  await h.settle();
  const reply = (await h.outboxRows()).find((row) => row.idempotencyKey === `reply:lark:msg:${messageId}`);
  return { reply: replyText(reply?.message as OutboundMessage), messageId };
}

interface Clicked {
  toast: { type: string; content: string } | undefined;
  /** The click's event key, which its audit rows name as their platform message. */
  eventKey: string;
}

/** Clicks a button carrying `value` (and a form) on a card in `chatId` as `holder`. */
async function click(
  holder: Holder,
  value: Record<string, unknown>,
  options: { form?: Record<string, string>; chatId?: string } = {},
): Promise<Clicked> {
  const eventId = nextId("ev_click");
  const payload = larkCardAction({
    token: LARK.verificationToken,
    value,
    eventId,
    operatorOpenId: `ou_${holder}`,
    chatId: options.chatId ?? CHAT,
    messageId: nextId("om_card"),
    ...(options.form && { formValue: options.form }),
  });
  const signed = signLarkRequest(payload, { encryptKey: LARK.encryptKey, timestamp: timestamp() });
  const response = await h.send("/webhooks/lark", {
    method: "POST",
    body: signed.body,
    headers: signed.headers,
  });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { toast?: { type: string; content: string } };
  await h.settle();
  return { toast: answer.toast, eventKey: `lark:card:${eventId}` };
}

const deniedRows = (platformMessageId: string) =>
  database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "denied"), eq(auditLog.platformMessageId, platformMessageId)));

const domainState = () => tableStates(database, BOOKKEEPING);

/** What each command is tried with: its usual arguments, on a fresh entity the caller may act on. */
const COMMAND_TEXT: Record<string, (holder: Holder) => Promise<string>> = {
  help: async () => "/help",
  "order.new": async () => `/order new ACME ${nextId("X")} 5 2026-12-10`,
  "order.list": async () => "/order list",
  "order.done": async (holder) => `/order done ${await confirmed(personOf[holder])}`,
  "order.delay": async (holder) =>
    `/order delay ${await confirmed(personOf[holder])} 2026-12-20 customer asked`,
  "order.priority": async (holder) => `/order priority ${await confirmed(personOf[holder])} high`,
  "order.line": async (holder) =>
    `/order line ${await confirmed(personOf[holder])} ${await productionLine()}`,
  line: async () => "/line",
  "line.set": async () => `/line set ${nextId("L").replace("_", "-")} 100`,
  schedule: async () => "/schedule",
  "complaint.new": async () => "/complaint new ACME two boxes wet",
  "complaint.list": async () => "/complaint list",
  "complaint.respond": async () => `/complaint respond ${await complaint()} called the customer`,
  "complaint.resolve": async () => `/complaint resolve ${await complaint()} resent two boxes`,
  "complaint.rate": async () => `/complaint rate ${await resolvedComplaint()} 5`,
  inspect: async () => "/inspect",
  kpi: async () => "/kpi",
  calendar: async () => "/calendar 2027-02-05",
  // Far from every case's dates, so that no deadline moves under another case.
  "calendar.set": async () => "/calendar set 2030-03-01 holiday matrix",
  "calendar.unset": async () => "/calendar unset 2030-03-01",
  stock: async () => "/stock low",
  "stock.item": async () => `/stock item ${nextId("M").replace("_", "-")} pellets 2.5 kg`,
  "stock.in": async () => `/stock in ${await material()} 10`,
  "stock.out": async () => `/stock out ${await material()} 10`,
  "stock.set": async () => `/stock set ${await material()} 10`,
  equipment: async () => "/equipment due",
  "equipment.add": async () => `/equipment add ${nextId("E").replace("_", "-")} lathe 30 2026-11-20`,
  "equipment.done": async () => `/equipment done ${await machine()}`,
  lot: async () => "/lot",
  "lot.new": async () => `/lot new ${await confirmed(personOf.staff)} 20`,
  qc: async () => `/qc ${await lot()} 1 0`,
  "lot.release": async () => `/lot release ${await lot(true)}`,
  count: async () => {
    const { number, sku } = await stocktake();
    return `/count ${number} ${sku} 99.5`;
  },
  "count.start": async () => `/count start ${(await warehouse()).warehouse}`,
  "count.close": async () => `/count close ${(await stocktake(true)).number}`,
  subscribe: async () => "/subscribe digest 09:00",
  // Not alerts: the alert buttons below are pressed in this group.
  unsubscribe: async () => "/unsubscribe digest",
  role: async () => "/role grant ou_newcomer staff",
  "task.new": async () => "/task new fix the pump @ou_task_owner 2026-12-10",
  "task.list": async () => "/task list",
  "task.done": async (holder) => `/task done ${await task(personOf[holder])}`,
  rules: async () => "/rules",
  "target.set": async () => "/target set csat month 90% customer service",
  "target.list": async () => "/target list",
  roster: async () => "/roster 2026-12-01",
  ack: async () => `/ack ${await alertNumber()}`,
  snooze: async () => `/snooze ${await alertNumber()} 1h`,
  escalate: async () => `/escalate ${await alertNumber()}`,
  // In a group a code is never given: nothing changes, for anyone.
  bind: async () => "/bind",
  // Not a user at all: refused as bad input for anyone, before any role matters.
  unbind: async () => "/unbind !!",
  "risk.list": async () => "/risk list",
  "risk.new": async () => "/risk new 3 4 the supplier may be late",
  "risk.plan": async (holder) => `/risk plan ${await risk(personOf[holder])} qualify a second supplier`,
  "risk.close": async () => `/risk close ${await risk()}`,
  "meeting.new": async () => "/meeting new supplier quality 2026-12-01 10:00 @ou_attendee",
  "meeting.minutes": async () => `/meeting minutes ${await meeting()} keep the supplier`,
  "meeting.action": async () =>
    `/meeting action ${await meeting()} audit the supplier @ou_task_owner 2026-12-10`,
  "meeting.show": async () => `/meeting show ${await meeting()}`,
  "training.log": async () => "/training log fire drill 2026-11-20 @ou_trainee",
  "training.list": async () => "/training list",
  practice: async () => "/practice",
  "sales.lead": async () => "/lead ACME price for 500 X1",
  "sales.feedback": async () => "/feedback ACME wants samples earlier",
  "sales.followup": async () => "/followup ACME satisfied",
  "lead.convert": async (holder) => `/lead convert ${await lead(personOf[holder])} X1 5 2026-12-10`,
  "lead.close": async (holder) => `/lead close ${await lead(personOf[holder])}`,
  reconcile: async () => "/reconcile 2026-11-25 100.50 20",
  "expense.new": async () => "/expense new 12.50 taxi",
  "expense.sign": async () => `/expense sign ${await expense()}`,
  "expense.reject": async () => `/expense reject ${await expense()} no invoice`,
  checklist: async () => "/checklist warehouse",
  check: async () => "/check",
  "checklist.area.add": async () =>
    `/checklist area add ${nextId("b")
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, "_")}`,
  "checklist.area.retire": async () => `/checklist area retire ${await checklistArea()}`,
  "checklist.cutoff": async () => `/checklist cutoff ${await checklistArea()} 09:00`,
  "checklist.item.add": async () => `/checklist item add ${await checklistArea()} third check a third`,
  "checklist.item.change": async () => `/checklist item change ${await checklistArea()} first range 1 2 m`,
  "checklist.item.retire": async () => `/checklist item retire ${await checklistArea()} first`,
};

interface ClickSpec {
  value: Record<string, unknown>;
  form?: Record<string, string>;
}

/** What each button is clicked with: the value our card would carry, on a fresh entity of this chat. */
const ACTION_VALUE: Record<string, (holder: Holder) => Promise<ClickSpec>> = {
  "help.language": async () => ({ value: { lang: "en" } }),
  // A draft is its creator's to confirm or drop (someone else's: see the rules of where and whose below).
  "order.confirm": async (holder) => ({ value: { id: await draft(personOf[holder]), lang: "en" } }),
  "order.cancel": async (holder) => ({ value: { id: await draft(personOf[holder]), lang: "en" } }),
  "order.submit": async () => ({
    value: { lang: "en" },
    form: { customer: "ACME", model: nextId("X"), quantity: "5", due: "2026-12-10" },
  }),
  "complaint.take": async () => ({ value: { id: await complaint(), lang: "en" } }),
  "complaint.respond": async () => ({ value: { id: await complaint(), lang: "en" } }),
  "complaint.resolve": async () => ({ value: { id: await complaint(), lang: "en" } }),
  "complaint.respond.submit": async () => ({
    value: { id: await complaint(), lang: "en" },
    form: { text: "called the customer" },
  }),
  "complaint.resolve.submit": async () => ({
    value: { id: await complaint(), lang: "en" },
    form: { text: "resent two boxes" },
  }),
  "complaint.view": async () => ({ value: { id: await complaint(), lang: "en" } }),
  "inspection.open": async () => ({ value: { id: "warehouse", lang: "en" } }),
  "system_check.submit": async () => ({ value: { id: "systems", lang: "en" }, form: {} }),
  "inspection.submit": async () => ({
    value: { id: "warehouse", lang: "en" },
    form: {
      temperature: "22",
      humidity: "55",
      fire_extinguisher: "pass",
      exits_clear: "pass",
      stacking_safe: "pass",
    },
  }),
  "alert.ack": async () => ({ value: { id: await alert(), lang: "en" } }),
  "alert.snooze_hour": async () => ({ value: { id: await alert(), lang: "en" } }),
  "alert.snooze_tomorrow": async () => ({ value: { id: await alert(), lang: "en" } }),
  "alert.escalate": async () => ({ value: { id: await alert(), lang: "en" } }),
  "task.done": async (holder) => ({ value: { id: await task(personOf[holder]), lang: "en" } }),
  "task.snooze": async (holder) => ({ value: { id: await task(personOf[holder]), lang: "en" } }),
  "meeting.schedule": async () => ({ value: { id: await orderAlert(), lang: "en" } }),
  "review.record_action": async () => ({ value: { id: "2026-10", lang: "en" } }),
  "lead.convert": async (holder) => ({ value: { id: await lead(personOf[holder]), lang: "en" } }),
  "lead.close": async (holder) => ({ value: { id: await lead(personOf[holder]), lang: "en" } }),
  "feedback.complaint": async () => ({ value: { id: await feedback(), lang: "en" } }),
  "expense.sign": async () => ({ value: { id: await expense(), lang: "en" } }),
  "expense.reject": async () => ({ value: { id: await expense(), lang: "en" } }),
  "expense.reject.submit": async () => ({
    value: { id: await expense(), lang: "en" },
    form: { reason: "no invoice" },
  }),
};

const registry = () =>
  createCommandRegistry({
    database,
    config: parseEnv({}),
    now: h.clock.now,
    outbox: h.services.outbox,
    log: silentLogger,
  });

describe("the roles the registry requires", () => {
  it("are the procedure's, for every command and every card action", () => {
    const defined = registry();
    const byId = Object.fromEntries([
      ...defined.commands.map((command) => [command.id, [...command.roles].sort()]),
      ...Object.keys(EXPECTED_ROLES)
        .filter((id) => defined.action(id))
        .map((id) => [id, [...(defined.action(id)?.roles ?? [])].sort()]),
    ]);
    const expected = Object.fromEntries(
      Object.entries(EXPECTED_ROLES).map(([id, roles]) => [id, [...roles].sort()]),
    );
    expect(byId).toEqual(expected);
  });

  it("leave no command or action out of the matrix", () => {
    const defined = registry();
    expect(Object.keys(COMMAND_TEXT).sort()).toEqual(defined.commands.map((command) => command.id).sort());
    expect(Object.keys(ACTION_VALUE).filter((id) => defined.action(id) === undefined)).toEqual([]);
    expect(Object.keys(EXPECTED_ROLES).sort()).toEqual(
      [...Object.keys(COMMAND_TEXT), ...Object.keys(ACTION_VALUE)]
        .filter((id, i, all) => all.indexOf(id) === i)
        .sort(),
    );
  });
});

/** A denial's single audit row: who, what, from which platform message, and why. */
async function expectDeniedAndAudited(
  platformMessageId: string,
  holder: Holder,
  entity: { type: string; id: string },
  after: Record<string, unknown>,
) {
  expect(await deniedRows(platformMessageId)).toEqual([
    expect.objectContaining({
      actorPersonId: personOf[holder],
      platform: "lark",
      platformMessageId,
      entityType: entity.type,
      entityId: entity.id,
      action: "denied",
      after,
    }),
  ]);
}

const COMMAND_CASES = Object.keys(COMMAND_TEXT).flatMap((id) =>
  HOLDERS.map((holder) => [id, holder, allows(id, holder) ? "allowed" : "denied"] as const),
);

describe("every command × every role", () => {
  it.each(COMMAND_CASES)("%s by %s is %s", async (id, holder, verdict) => {
    const text = await (COMMAND_TEXT[id] as (holder: Holder) => Promise<string>)(holder);
    const before = await domainState();
    const { reply, messageId } = await say(holder, text);
    if (verdict === "allowed") {
      expect(reply).not.toMatch(/you may not use/);
      expect(await deniedRows(messageId)).toEqual([]);
      return;
    }
    expect(reply).toMatch(/^you may not use \/[a-z ]+ — needs role: [a-z, ]+$/);
    expect(await domainState()).toEqual(before);
    await expectDeniedAndAudited(messageId, holder, { type: "command", id }, { reason: "role", command: id });
  });
});

/** Who may change the roster (its need or its people): managers and admins; anyone may read it. */
const ROSTER_EDITORS: readonly Holder[] = ["manager", "admin"];

describe("roster changes × every role", () => {
  it.each(HOLDERS.map((holder) => [holder, ROSTER_EDITORS.includes(holder) ? "allowed" : "denied"] as const))(
    "/roster <date> <post> <need> by %s is %s",
    async (holder, verdict) => {
      const before = await domainState();
      const { reply, messageId } = await say(holder, `/roster 2030-03-04 ${nextId("post")} 3`);
      if (verdict === "allowed") {
        expect(reply).toMatch(/need 3, with 10% spare 4/);
        expect(await deniedRows(messageId)).toEqual([]);
        return;
      }
      expect(reply).toBe("only a manager or an admin may change the roster");
      expect(await domainState()).toEqual(before);
      await expectDeniedAndAudited(
        messageId,
        holder,
        { type: "command", id: "roster" },
        { reason: "role", command: "roster" },
      );
    },
  );
});

describe("/unbind of someone else × every role", () => {
  it.each(HOLDERS.map((holder) => [holder, holder === "admin" ? "allowed" : "denied"] as const))(
    "/unbind ou_stranger by %s is %s",
    async (holder, verdict) => {
      const before = await domainState();
      const { reply, messageId } = await say(holder, "/unbind ou_stranger");
      expect(await domainState()).toEqual(before);
      if (verdict === "allowed") {
        expect(reply).toBe("this account is not linked to another; nothing changed");
        expect(await deniedRows(messageId)).toEqual([]);
        return;
      }
      expect(reply).toBe("only admins may unbind someone else");
      await expectDeniedAndAudited(
        messageId,
        holder,
        { type: "command", id: "unbind" },
        { reason: "role", command: "unbind" },
      );
    },
  );
});

const ACTION_CASES = Object.keys(ACTION_VALUE).flatMap((id) =>
  HOLDERS.map((holder) => [id, holder, allows(id, holder) ? "allowed" : "denied"] as const),
);

describe("every card action × every role", () => {
  it.each(ACTION_CASES)("%s by %s is %s", async (id, holder, verdict) => {
    const spec = await (ACTION_VALUE[id] as (holder: Holder) => Promise<ClickSpec>)(holder);
    const before = await domainState();
    const { toast, eventKey } = await click(
      holder,
      { action: id, ...spec.value },
      spec.form ? { form: spec.form } : {},
    );
    if (verdict === "allowed") {
      expect(toast?.content ?? "").not.toMatch(/needs role/);
      expect(await deniedRows(eventKey)).toEqual([]);
      return;
    }
    expect(toast).toEqual({ type: "error", content: expect.stringMatching(/^needs role: [a-z, ]+$/) });
    expect(await domainState()).toEqual(before);
    await expectDeniedAndAudited(eventKey, holder, { type: "action", id }, { reason: "role", action: id });
  });
});

describe("forged card values are denied and audited", () => {
  /** Clicks as `holder`, then checks the toast, that nothing changed, and the one audit row. */
  async function expectForgedClickDenied(
    holder: Holder,
    value: Record<string, unknown>,
    denied: { entity: { type: string; id: string }; reason: string; toast: RegExp; chatId?: string },
  ) {
    const before = await domainState();
    const { toast, eventKey } = await click(holder, value, denied.chatId ? { chatId: denied.chatId } : {});
    expect(toast?.content).toMatch(denied.toast);
    expect(await domainState()).toEqual(before);
    await expectDeniedAndAudited(eventKey, holder, denied.entity, {
      reason: denied.reason,
      action: value.action,
    });
  }

  it("Done on a task someone else owns and created, by staff", async () => {
    const number = await task(personOf.cs);
    await expectForgedClickDenied(
      "staff",
      { action: "task.done", id: number, lang: "en" },
      { entity: { type: "task", id: number }, reason: "not_creator", toast: /only the owner, the creator/ },
    );
  });

  it("an action id no card of ours carries", async () => {
    await expectForgedClickDenied(
      "admin",
      { action: "order.delete", id: "O-20261126-001", lang: "en" },
      { entity: { type: "action", id: "order.delete" }, reason: "unknown_action", toast: /order\.delete/ },
    );
  });

  it("an order number that does not exist", async () => {
    await expectForgedClickDenied(
      "admin",
      { action: "order.confirm", id: "O-20261126-999", lang: "en" },
      { entity: { type: "order", id: "O-20261126-999" }, reason: "unknown_entity", toast: /no order/ },
    );
  });

  it("a button with no order number at all", async () => {
    await expectForgedClickDenied(
      "admin",
      { action: "order.cancel", lang: "en" },
      { entity: { type: "action", id: "order.cancel" }, reason: "unknown_entity", toast: /no order number/ },
    );
  });

  it("a complaint, an alert and an inspection area that do not exist", async () => {
    await expectForgedClickDenied(
      "cs",
      { action: "complaint.take", id: "C-20261126-999", lang: "en" },
      {
        entity: { type: "complaint", id: "C-20261126-999" },
        reason: "unknown_entity",
        toast: /no complaint/,
      },
    );
    await expectForgedClickDenied(
      "manager",
      { action: "alert.ack", id: "4242", lang: "en" },
      { entity: { type: "alert", id: "4242" }, reason: "unknown_entity", toast: /no such alert/ },
    );
    await expectForgedClickDenied(
      "qa",
      { action: "inspection.open", id: "../../etc", lang: "en" },
      {
        entity: { type: "inspection_area", id: "../../etc" },
        reason: "unknown_entity",
        toast: /no inspection area/,
      },
    );
  });

  it("an order of another chat", async () => {
    const number = await draft(personOf.manager, OTHER_CHAT);
    await expectForgedClickDenied(
      "admin",
      { action: "order.confirm", id: number, lang: "en" },
      { entity: { type: "order", id: number }, reason: "other_chat", toast: /belongs to another chat/ },
    );
  });

  it("a complaint of another chat", async () => {
    const number = await complaint(OTHER_CHAT);
    await expectForgedClickDenied(
      "manager",
      { action: "complaint.take", id: number, lang: "en" },
      { entity: { type: "complaint", id: number }, reason: "other_chat", toast: /belongs to another chat/ },
    );
  });

  it("a value carrying a role or a person id is ignored: the roles come from the database", async () => {
    const number = await complaint();
    await expectForgedClickDenied(
      "staff",
      {
        action: "complaint.take",
        id: number,
        lang: "en",
        role: "admin",
        roles: "admin,cs",
        personId: personOf.admin,
      },
      { entity: { type: "action", id: "complaint.take" }, reason: "role", toast: /needs role/ },
    );
    const draftOfManager = await draft(personOf.manager);
    await expectForgedClickDenied(
      "staff",
      {
        action: "order.cancel",
        id: draftOfManager,
        lang: "en",
        createdBy: personOf.staff,
        operator: "ou_manager",
      },
      { entity: { type: "order", id: draftOfManager }, reason: "not_creator", toast: /only its creator/ },
    );
  });

  it("a typed order number of someone else's order, for a staff member", async () => {
    const number = await confirmed(personOf.manager);
    const before = await domainState();
    const { reply, messageId } = await say("staff", `/order done ${number}`);
    expect(reply).toMatch(/only its creator manager or warehouse, manager or admin may complete/);
    expect(await domainState()).toEqual(before);
    await expectDeniedAndAudited(
      messageId,
      "staff",
      { type: "order", id: number },
      { reason: "not_creator", command: "order.done" },
    );
  });
});

// ---- Where and whose, on every platform: the chat a card is in, the draft's creator, the chats an alert went
// to, and whose complaints a list shows, all decided on the server from the database.

const BOT = { token: WECOM.botToken, encodingAesKey: WECOM.botEncodingAesKey, receiveId: "" };

/**
 * Clicks a button of ours carrying `value` as `holder` on a card in `chatId` of `platform`, signed as that
 * platform signs it; resolves with the click's platform message id, which its audit rows name.
 */
async function clickOn(
  platform: PlatformId,
  holder: Holder,
  value: { action: string } & Record<string, string>,
  chatId: string,
): Promise<string> {
  const { action, ...rest } = value;
  if (platform === "lark") return (await click(holder, value, { chatId })).eventKey;
  if (platform === "dingtalk") {
    const outTrackId = await outTrackIdFor(nextId("card"), { id: chatId, kind: "group" });
    const signedAt = String(h.clock.now().getTime());
    const response = await h.send("/webhooks/dingtalk/cards", {
      method: "POST",
      body: JSON.stringify(
        dingtalkCardCallback({
          outTrackId,
          userId: userIdOn("dingtalk", holder),
          params: { action, value: JSON.stringify(rest) },
        }),
      ),
      headers: {
        "content-type": "application/json",
        ...signDingTalkCard(signedAt, DINGTALK.cardCallbackSecret),
      },
    });
    expect(response.status).toBe(200);
    await h.settle();
    return `dingtalk:card:${outTrackId}:${userIdOn("dingtalk", holder)}:${signedAt}`;
  }
  const msgid = nextId("wx_click");
  const signed = botCallback(
    BOT,
    {
      msgid,
      aibotid: "AIBOT",
      chatid: chatId,
      chattype: "group",
      from: { userid: userIdOn("wecom", holder) },
      response_url: fakes.wecom.responseUrl(),
      msgtype: "event",
      event: {
        eventtype: "template_card_event",
        template_card_event: {
          card_type: "button_interaction",
          event_key: encodeButtonKey(action, rest),
          task_id: nextId("task"),
        },
      },
    },
    { timestamp: timestamp() },
  );
  const response = await h.send(signed.path, {
    method: "POST",
    body: signed.body,
    headers: { "content-type": "application/json" },
  });
  expect(response.status).toBe(200);
  await h.settle();
  return `wecom:bot:${msgid}`;
}

/** Says `text` as `holder` in group `chatId` of `platform`; resolves with the bot's reply, as stored for sending. */
async function sayOn(platform: PlatformId, holder: Holder, text: string, chatId: string): Promise<string> {
  if (platform === "lark") return (await say(holder, text, chatId)).reply;
  const id = nextId("said");
  let response: Response;
  if (platform === "dingtalk") {
    const now = h.clock.now().getTime();
    const body = dingtalkRobotMessage({
      text,
      msgId: id,
      createAt: now,
      overrides: {
        conversationId: chatId,
        senderStaffId: userIdOn("dingtalk", holder),
        sessionWebhook: fakes.dingtalk.sessionWebhookUrl(`s-${id}`),
        sessionWebhookExpiredTime: now + 5_400_000,
      },
    });
    response = await h.send("/webhooks/dingtalk", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...signDingTalk(now, DINGTALK.clientSecret) },
    });
  } else {
    const signed = botCallback(
      BOT,
      {
        msgid: id,
        aibotid: "AIBOT",
        chatid: chatId,
        chattype: "group",
        from: { userid: userIdOn("wecom", holder) },
        response_url: fakes.wecom.responseUrl(),
        msgtype: "text",
        text: { content: text },
      },
      { timestamp: timestamp() },
    );
    response = await h.send(signed.path, {
      method: "POST",
      body: signed.body,
      headers: { "content-type": "application/json" },
    });
  }
  expect(response.status).toBe(200);
  await h.settle();
  const key = platform === "dingtalk" ? `reply:dingtalk:msg:${id}` : `reply:wecom:bot:${id}`;
  const reply = (await h.outboxRows()).find((row) => row.idempotencyKey === key);
  expect(reply).toBeDefined();
  return JSON.stringify(reply?.message);
}

/** The one denial audited for a click, as on Lark, with its platform. */
async function expectDeniedOn(
  platform: PlatformId,
  platformMessageId: string,
  holder: Holder,
  entity: { type: string; id: string },
  reason: string,
) {
  expect(await deniedRows(platformMessageId)).toEqual([
    expect.objectContaining({
      actorPersonId: personOf[holder],
      platform,
      entityType: entity.type,
      entityId: entity.id,
      after: expect.objectContaining({ reason }),
    }),
  ]);
}

const statusOf = async (number: string) =>
  (await database.db.select().from(orders).where(eq(orders.number, number)))[0]?.status;
const ackedAt = async (id: string) =>
  (
    await database.db
      .select()
      .from(alerts)
      .where(eq(alerts.id, Number(id)))
  )[0]?.ackedAt ?? null;

describe.each(PLATFORM_IDS)("where and whose on %s", (platform) => {
  const chatOn = (chat: string) => `${chat}_${platform}`;

  it("a card of another chat is refused: the order's chat comes from the database", async () => {
    const number = await draft(personOf.manager, chatOn(OTHER_CHAT), platform);
    const before = await domainState();
    const clicked = await clickOn(platform, "admin", { action: "order.confirm", id: number }, chatOn(CHAT));
    expect(await domainState()).toEqual(before);
    await expectDeniedOn(platform, clicked, "admin", { type: "order", id: number }, "other_chat");
  });

  it.each(["order.confirm", "order.cancel"])(
    "%s of someone else's draft: refused to a member without a manager role, done by a manager",
    async (action) => {
      const number = await draft(personOf.warehouse, chatOn(CHAT), platform);
      const before = await domainState();
      const byStaff = await clickOn(platform, "staff", { action, id: number }, chatOn(CHAT));
      expect(await domainState()).toEqual(before);
      await expectDeniedOn(platform, byStaff, "staff", { type: "order", id: number }, "not_creator");
      const byManager = await clickOn(platform, "manager", { action, id: number }, chatOn(CHAT));
      expect(await deniedRows(byManager)).toEqual([]);
      expect(await statusOf(number)).toBe(action === "order.confirm" ? "confirmed" : "cancelled");
    },
  );

  it("its own draft is confirmed by its creator, whatever their roles", async () => {
    const number = await draft(personOf.none, chatOn(CHAT), platform);
    const clicked = await clickOn(platform, "none", { action: "order.confirm", id: number }, chatOn(CHAT));
    expect(await deniedRows(clicked)).toEqual([]);
    expect(await statusOf(number)).toBe("confirmed");
  });

  it("an alert is answered only in a chat it was sent to, not in another group subscribed to alerts", async () => {
    const id = await alert({ platform, chatId: chatOn(CHAT) });
    await database.db
      .insert(subscriptions)
      .values({ platform, chatId: chatOn(SUBSCRIBED_ELSEWHERE), topic: "alerts", createdAt: h.clock.now() });
    for (const action of ["alert.ack", "alert.snooze_hour", "alert.escalate"]) {
      const before = await domainState();
      const elsewhere = await clickOn(platform, "manager", { action, id }, chatOn(SUBSCRIBED_ELSEWHERE));
      expect(await domainState()).toEqual(before);
      await expectDeniedOn(platform, elsewhere, "manager", { type: "alert", id }, "other_chat");
    }
    const where = await clickOn(platform, "staff", { action: "alert.ack", id }, chatOn(CHAT));
    expect(await deniedRows(where)).toEqual([]);
    expect(await ackedAt(id)).not.toBeNull();
  });

  it("/complaint list: a group sees its own complaints; customer service, managers and admins see every chat's", async () => {
    const here = await complaint(chatOn("oc_list_here"), platform);
    const there = await complaint(chatOn("oc_list_there"), platform);
    for (const holder of ["staff", "qa", "none"] as const) {
      const shown = await sayOn(platform, holder, "/complaint list", chatOn("oc_list_here"));
      expect(shown).toContain(here);
      expect(shown).not.toContain(there);
    }
    // Customer service opened both: its own list shows them from any chat.
    const ofCs = await sayOn(platform, "cs", "/complaint list mine", chatOn("oc_list_here"));
    expect(ofCs).toContain(here);
    expect(ofCs).toContain(there);
    const open = await database.db.$count(complaints, ne(complaints.status, "resolved"));
    for (const holder of ["manager", "admin"] as const) {
      const shown = await sayOn(platform, holder, "/complaint list", chatOn("oc_list_here"));
      expect(shown).toMatch(new RegExp(`\\b${open}\\b`));
    }
    // mine: the complaints I own or opened, within what I may see (here: none of these for a staff member).
    const mine = await sayOn(platform, "staff", "/complaint list mine", chatOn("oc_list_here"));
    expect(mine).not.toContain(here);
  });
});
