// Property-based fuzzing of every webhook route (fast-check): what each route is sent, and a tally of the answers.
import fc from "fast-check";
import type { Database } from "../../src/db/database.ts";
import { openTestDatabase } from "./database.ts";
import { createHarness, type Fakes, type Harness, LARK, startFakes } from "./e2e-harness.ts";
import {
  APP,
  answerProblem,
  BILLION_LAUGHS,
  BOT,
  deepArray,
  deepObject,
  deepXml,
  EXTERNAL_ENTITY,
  HOUR_S,
  type HostileRequests,
  hostileRequests,
  INVALID_UTF8,
  type Req,
  sendRequest,
  withFlippedByte,
  withHeader,
  withQuery,
} from "./hostile-requests.ts";
import { tableChanges, tableStates } from "./table-state.ts";

/** A body no platform would send: built when it is sent, so that 10,000 cases do not hold 1 MiB each. */
type HostileBody =
  | { kind: "oversized"; extra: number }
  | { kind: "deepJson"; levels: number; arrays: boolean }
  | { kind: "deepXml"; levels: number }
  | { kind: "xmlEntities"; which: "billionLaughs" | "external" | "lowerCaseDoctype" }
  | { kind: "invalidUtf8"; prefix: string };

/** Headers and query parameters that verification does not read, added to any case. */
interface Noise {
  headers: [string, string][];
  query: [string, string][];
}

/** One case: random content, a flipped body byte, a security field dropped or replaced, and so on. */
type Mutation = (
  | { kind: "random"; body: Uint8Array<ArrayBuffer>; fields: [string, string][] }
  | { kind: "flip"; at: number; xor: number }
  | { kind: "field"; name: string; value: string | undefined }
  | { kind: "signed"; content: string }
  | { kind: "stale"; skewS: number }
  | { kind: "hostile"; body: HostileBody }
  | { kind: "elsewhere"; method: string; path: string; body: Uint8Array<ArrayBuffer> }
) & { noise: Noise };

interface RouteModel {
  route: string;
  /** A request that would be accepted as it is. */
  valid: () => Req;
  /** Headers (or, prefixed with "?", query parameters) that verification reads. */
  fields: string[];
  /** Whether the signature covers every body byte (DingTalk's signs only the timestamp). */
  bodyCovered: boolean;
  /** A correctly signed request around arbitrary content, to reach the parsers behind verification. */
  signed: (content: string) => Req;
  /** The valid request signed `skewS` seconds away from now. */
  skewed: (skewS: number) => Req;
  /** The valid request's signature headers around this raw body (GET: the body as the echostr). */
  raw: (body: string | Uint8Array<ArrayBuffer>) => Req;
}

/** Requests to paths no platform serves: another platform name, a sub-route, a deeper path. */
const ELSEWHERE = "ANY /webhooks/<unknown>";

function routeModels(r: HostileRequests): RouteModel[] {
  const larkEvent = (content: string) =>
    `{"schema":"2.0","header":{"token":"${LARK.verificationToken}","event_type":"im.message.receive_v1"},"event":${content}}`;
  const echostrOf = (body: string | Uint8Array<ArrayBuffer>) =>
    (typeof body === "string" ? body : Buffer.from(body).toString("latin1")).slice(0, 65_536);
  const valid = {
    lark: () => r.larkEncrypted(r.larkHelp()),
    dingtalk: () => r.dingtalkSigned(r.dingtalkHelp()),
    cards: () => r.cardsSigned(r.cardClick({ action: "help.language" })),
    wecomApp: () => r.wecomApp(appHelp()),
    wecomBot: () => r.wecomBot(r.botText("/help")),
  };
  const appHelp = () =>
    "<xml><MsgType>text</MsgType><FromUserName>lisi</FromUserName><Content>/help</Content></xml>";
  const queryOf = (req: Req) => req.path.slice(req.path.indexOf("?"));
  return [
    {
      route: "POST /webhooks/lark",
      valid: valid.lark,
      fields: ["x-lark-signature", "x-lark-request-timestamp", "x-lark-request-nonce"],
      bodyCovered: true,
      signed: (content) => r.larkEncrypted(larkEvent(content)),
      skewed: (skewS) => r.larkEncrypted(r.larkHelp(), skewS),
      raw: (body) => r.larkSigned(body),
    },
    {
      route: "POST /webhooks/dingtalk",
      valid: valid.dingtalk,
      fields: ["sign", "timestamp"],
      bodyCovered: false,
      signed: (content) => r.dingtalkSigned(content),
      skewed: (skewS) => r.dingtalkSigned(r.dingtalkHelp(), skewS * 1000),
      // Signed, but as a body DingTalk's robot never sends: it must be refused or ignored.
      raw: (body) => r.dingtalkSigned(body),
    },
    {
      route: "POST /webhooks/dingtalk/cards",
      valid: valid.cards,
      fields: ["x-ddpaas-signature", "x-ddpaas-signature-timestamp"],
      bodyCovered: false,
      signed: (content) => r.cardsSigned(content),
      skewed: (skewS) => r.cardsSigned(r.cardClick({ action: "help.language" }), skewS * 1000),
      raw: (body) => r.cardsSigned(body),
    },
    {
      route: "GET /webhooks/wecom",
      valid: () => r.wecomGet("/webhooks/wecom", APP),
      fields: ["?msg_signature", "?timestamp", "?nonce", "?echostr"],
      bodyCovered: false,
      signed: (content) => r.signedEchostr("/webhooks/wecom", APP, content),
      skewed: (skewS) => r.wecomGet("/webhooks/wecom", APP, skewS),
      raw: (body) => r.signedEchostr("/webhooks/wecom", APP, echostrOf(body)),
    },
    {
      route: "POST /webhooks/wecom",
      valid: valid.wecomApp,
      fields: ["?msg_signature", "?timestamp", "?nonce"],
      // Flipping bytes outside <Encrypt> can leave a valid request; flips target the query instead.
      bodyCovered: false,
      signed: (content) =>
        r.wecomApp(`<xml><MsgType>text</MsgType><FromUserName>lisi</FromUserName>${content}</xml>`),
      skewed: (skewS) => r.wecomApp(appHelp(), skewS),
      // The body is parsed before verification: a live query around a hostile body reaches the parser.
      raw: (body) => r.wecomAppBody(body, queryOf(valid.wecomApp())),
    },
    {
      route: "GET /webhooks/wecom/bot",
      valid: () => r.wecomGet("/webhooks/wecom/bot", BOT),
      fields: ["?msg_signature", "?timestamp", "?nonce", "?echostr"],
      bodyCovered: false,
      signed: (content) => r.signedEchostr("/webhooks/wecom/bot", BOT, content),
      skewed: (skewS) => r.wecomGet("/webhooks/wecom/bot", BOT, skewS),
      raw: (body) => r.signedEchostr("/webhooks/wecom/bot", BOT, echostrOf(body)),
    },
    {
      route: "POST /webhooks/wecom/bot",
      valid: valid.wecomBot,
      fields: ["?msg_signature", "?timestamp", "?nonce"],
      // The signature covers the encrypt value only, and the envelope around it is scanned, not parsed: a flipped
      // closing brace leaves an authentic request (as WeCom signed and encrypted it), so flips are not cases here.
      bodyCovered: false,
      signed: (content) => r.wecomBotPlain(content),
      skewed: (skewS) => r.wecomBot(r.botText("/help"), skewS),
      raw: (body) => r.wecomBotBody(body, queryOf(valid.wecomBot())),
    },
    {
      route: ELSEWHERE,
      valid: () => ({ method: "POST", path: "/webhooks/slack", body: r.larkHelp() }),
      fields: [],
      bodyCovered: false,
      // A validly signed Lark event, at a path that is not Lark's.
      signed: (content) => ({ ...r.larkSigned(content), path: "/webhooks/slack" }),
      skewed: (skewS) => ({ ...r.larkEncrypted(r.larkHelp(), skewS), path: "/webhooks/feishu" }),
      raw: (body) => ({ path: "/webhooks/teams", body }),
    },
  ];
}

/** The names of every route the fuzz covers, in its order (the models build no request until called). */
export const FUZZED_ROUTES = routeModels({} as HostileRequests).map((model) => model.route);

/** A fresh database, the fake platforms and a harness with every channel on: what the fuzz runs against. */
export async function startFuzzTarget(): Promise<FuzzTarget & { close(): Promise<void> }> {
  const [database, fakes] = await Promise.all([openTestDatabase(), startFakes()]);
  const harness = createHarness({
    database,
    fakes,
    channels: ["lark", "dingtalkCards", "wecom", "wecomBot"],
  });
  return {
    harness,
    database,
    fakes,
    requests: hostileRequests(harness.clock.now, () => fakes),
    close: async () => {
      await harness.settle();
      await Promise.all([database.close(), fakes.close()]);
    },
  };
}

const hostileBody: fc.Arbitrary<HostileBody> = fc.oneof(
  fc.record({ kind: fc.constant("oversized" as const), extra: fc.integer({ min: 1, max: 64 * 1024 }) }),
  fc.record({
    kind: fc.constant("deepJson" as const),
    levels: fc.integer({ min: 100, max: 50_000 }),
    arrays: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("deepXml" as const), levels: fc.integer({ min: 100, max: 50_000 }) }),
  fc.record({
    kind: fc.constant("xmlEntities" as const),
    which: fc.constantFrom("billionLaughs" as const, "external" as const, "lowerCaseDoctype" as const),
  }),
  fc.record({ kind: fc.constant("invalidUtf8" as const), prefix: fc.string({ maxLength: 40 }) }),
);

function bodyOf(body: HostileBody): string | Uint8Array<ArrayBuffer> {
  switch (body.kind) {
    case "oversized":
      return "x".repeat(1024 * 1024 + body.extra);
    case "deepJson":
      return body.arrays ? deepArray(body.levels) : deepObject(body.levels);
    case "deepXml":
      return deepXml(body.levels);
    case "xmlEntities":
      if (body.which === "billionLaughs") return BILLION_LAUGHS;
      if (body.which === "external") return EXTERNAL_ENTITY;
      return '<!doctype xml [<!entity a "b">]><xml><Encrypt>&a;</Encrypt></xml>';
    case "invalidUtf8": {
      const prefix = new TextEncoder().encode(body.prefix);
      const joined = new Uint8Array(prefix.length + INVALID_UTF8.length);
      joined.set(prefix);
      joined.set(INVALID_UTF8, prefix.length);
      return joined;
    }
  }
}

/** Header names verification never reads; a value is bytes 0x20-0xff, all HTTP carries. */
const NOISE_HEADERS = [
  "content-type",
  "content-length",
  "content-encoding",
  "accept",
  "user-agent",
  "x-forwarded-for",
  "x-request-id",
  "cookie",
  "authorization",
];
const headerByte = fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code));
const headerText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: headerByte, maxLength: 40 }));
const queryText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }));

function mutationOf(model: RouteModel): fc.Arbitrary<Mutation> {
  const securityNames = model.fields.map((field) => field.replace(/^\?/, ""));
  const noise: fc.Arbitrary<Noise> = fc.record({
    headers: fc.array(fc.tuple(fc.constantFrom(...NOISE_HEADERS), headerText), { maxLength: 3 }),
    query: fc.array(
      fc.tuple(
        fc.string({ minLength: 1, maxLength: 12 }).filter((name) => !securityNames.includes(name)),
        queryText,
      ),
      { maxLength: 3 },
    ),
  });
  const fieldText = model.fields[0]?.startsWith("?") ? queryText : headerText;
  const content = fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.constantFrom("", "<xml/>", "<xml><MsgId>1</MsgId></xml>", "null", "[]", '{"text":{}}'),
  );
  // Outside the platforms' tolerance (a few minutes): two hours to ten years, either way.
  const staleSkew = fc
    .tuple(fc.integer({ min: 2 * HOUR_S, max: 10 * 365 * 24 * HOUR_S }), fc.boolean())
    .map(([seconds, past]) => (past ? -seconds : seconds));
  const arms: fc.Arbitrary<Omit<Mutation, "noise">>[] = [
    fc.record({
      kind: fc.constant("random" as const),
      body: fc.uint8Array({ maxLength: 300 }).map((array) => new Uint8Array(array)),
      fields:
        model.fields.length > 0
          ? fc.array(fc.tuple(fc.constantFrom(...model.fields), fieldText), { maxLength: 4 })
          : fc.constant([]),
    }),
    fc.record({ kind: fc.constant("signed" as const), content }),
    fc.record({ kind: fc.constant("hostile" as const), body: hostileBody }),
  ];
  if (model.fields.length > 0)
    arms.push(
      fc.record({
        kind: fc.constant("field" as const),
        name: fc.constantFrom(...model.fields),
        value: fc.option(fieldText, { nil: undefined }),
      }),
      fc.record({ kind: fc.constant("stale" as const), skewS: staleSkew }),
    );
  if (model.bodyCovered)
    arms.push(
      fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
    );
  if (model.route === ELSEWHERE)
    arms.push(
      fc.record({
        kind: fc.constant("elsewhere" as const),
        method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
        path: fc.oneof(
          fc
            .stringMatching(/^[a-z0-9_-]{1,12}$/)
            .filter((name) => !["lark", "dingtalk", "wecom"].includes(name))
            .map((name) => `/webhooks/${name}`),
          fc.constantFrom("lark", "dingtalk", "wecom").chain((platform) =>
            fc
              .stringMatching(/^[a-z0-9_-]{1,12}(\/[a-z0-9_-]{1,12})?$/)
              .filter((route) => !["cards", "bot"].includes(route))
              .map((route) => `/webhooks/${platform}/${route}`),
          ),
          fc.constantFrom("/webhooks", "/webhooks/", "/webhooks/wecom/bot/extra", "/webhooks/LARK"),
        ),
        body: fc.uint8Array({ maxLength: 300 }).map((array) => new Uint8Array(array)),
      }),
    );
  return fc
    .tuple(fc.oneof(...arms), noise)
    .map(([mutation, extra]) => ({ ...mutation, noise: extra }) as Mutation);
}

function setField(req: Req, name: string, value: string | undefined): Req {
  return name.startsWith("?") ? withQuery(req, name.slice(1), value) : withHeader(req, name, value);
}

function fieldValue(req: Req, field: string): string | undefined {
  if (!field.startsWith("?")) return req.headers?.[field];
  return new URL(req.path, "http://opsbot.test").searchParams.get(field.slice(1)) ?? undefined;
}

/** The request a case sends; undefined when the mutation would leave the valid request as it was. */
function apply(model: RouteModel, mutation: Mutation): Req | undefined {
  const req = mutated(model, mutation);
  if (!req) return undefined;
  const withHeaders = mutation.noise.headers.reduce(
    (sent, [name, value]) => withHeader(sent, name, value),
    req,
  );
  return mutation.noise.query.reduce((sent, [name, value]) => withQuery(sent, name, value), withHeaders);
}

function mutated(model: RouteModel, mutation: Mutation): Req | undefined {
  switch (mutation.kind) {
    case "random": {
      const valid = model.valid();
      const base: Req = {
        method: valid.method ?? "POST",
        path: valid.path.replace(/\?.*$/, ""),
        headers: {},
        body: mutation.body,
      };
      return mutation.fields.reduce((req, [name, value]) => setField(req, name, value), base);
    }
    case "flip":
      return withFlippedByte(model.valid(), mutation.at, mutation.xor);
    case "field": {
      const valid = model.valid();
      const current = fieldValue(valid, mutation.name);
      // A replacement equal to the original (case-insensitively: Lark's hex) is no mutation.
      if (mutation.value !== undefined && mutation.value.toLowerCase() === current?.toLowerCase())
        return undefined;
      return setField(valid, mutation.name, mutation.value);
    }
    case "signed":
      return model.signed(mutation.content);
    case "stale":
      return model.skewed(mutation.skewS);
    case "hostile":
      return model.raw(bodyOf(mutation.body));
    case "elsewhere":
      return { method: mutation.method, path: mutation.path, headers: {}, body: mutation.body };
  }
}

/** What one route's cases came to. */
export interface RouteTally {
  route: string;
  cases: number;
  /** Answers by status code, e.g. {"401": 812, "400": 95}. */
  statuses: Record<string, number>;
  status4xx: number;
  status200: number;
  status5xx: number;
  /** Requests the app threw on instead of answering, and error lines logged while handling them. */
  crashes: number;
  /** Answers that were not a clean refusal: a stack trace, internal detail, a 4xx without its code. */
  badAnswers: number;
  /** Rows added, removed or changed by the route's cases, per table; empty when nothing was written. */
  rowsWritten: Record<string, number>;
  /** Calls made to the fake platform APIs (a refused request must not make any). */
  platformCalls: number;
  /** The first few offending cases, to reproduce them. */
  examples: string[];
}

export interface FuzzTarget {
  harness: Harness;
  database: Database;
  fakes: Fakes;
  requests: HostileRequests;
}

const MAX_EXAMPLES = 5;

const describeCase = (mutation: Mutation, req: Req, problem: string) =>
  `${problem}: ${JSON.stringify({ ...mutation, body: undefined, kind: mutation.kind, path: req.path, method: req.method }).slice(0, 400)}`;

/** Sends `runs` random and mutated requests to one route (seeded, so a run can be repeated) and tallies them. */
export async function fuzzRoute(
  target: FuzzTarget,
  route: string,
  runs: number,
  seed: number,
): Promise<RouteTally> {
  const { harness, database, fakes } = target;
  const model = routeModels(target.requests).find((candidate) => candidate.route === route);
  if (!model) throw new Error(`no fuzz model for ${route}`);
  const tally: RouteTally = {
    route,
    cases: 0,
    statuses: {},
    status4xx: 0,
    status200: 0,
    status5xx: 0,
    crashes: 0,
    badAnswers: 0,
    rowsWritten: {},
    platformCalls: 0,
    examples: [],
  };
  const note = (mutation: Mutation, req: Req, problem: string) => {
    if (tally.examples.length < MAX_EXAMPLES) tally.examples.push(describeCase(mutation, req, problem));
  };
  const platformCalls = () =>
    fakes.lark.requests.length + fakes.dingtalk.requests.length + fakes.wecom.requests.length;
  /** Whether an error was logged since line `from` (only the new lines are read: the log grows all run). */
  const loggedError = (from: number) =>
    harness.logLines.slice(from).some((line) => line.includes('"level":"error"'));
  const before = await tableStates(database);
  const callsBefore = platformCalls();
  // Each route its own stream: with one seed for all, routes with the same arms would get the same choices.
  const routeSeed = seed + FUZZED_ROUTES.indexOf(route);
  for (const mutation of fc.sample(mutationOf(model), { numRuns: runs, seed: routeSeed })) {
    const req = apply(model, mutation);
    if (!req) continue;
    tally.cases++;
    const logged = harness.logLines.length;
    let answer: { status: number; text: string };
    try {
      answer = await sendRequest(harness, req);
      await harness.settle();
    } catch (error) {
      tally.crashes++;
      note(mutation, req, `threw ${String(error).slice(0, 100)}`);
      continue;
    }
    if (loggedError(logged)) {
      tally.crashes++;
      note(mutation, req, "logged an error");
    }
    const status = String(answer.status);
    tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
    if (answer.status >= 500) tally.status5xx++;
    else if (answer.status >= 400) tally.status4xx++;
    else if (answer.status === 200) tally.status200++;
    const problem =
      answerProblem(answer) ??
      (answer.status < 400 && answer.status !== 200 ? "not a 4xx or 200" : undefined);
    if (problem) {
      tally.badAnswers++;
      note(mutation, req, `${problem} (${answer.status} ${answer.text.slice(0, 120)})`);
    }
  }
  tally.rowsWritten = tableChanges(before, await tableStates(database));
  tally.platformCalls = platformCalls() - callsBefore;
  return tally;
}
