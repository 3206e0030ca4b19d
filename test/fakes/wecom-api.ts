// Fake WeCom server API: gettoken, app messages and card updates, group webhooks, robot response_url.
import { type FakeAnswer, type FakeApi, type Route, utf8Bytes } from "./fake-api.ts";

export interface FakeWeComOptions {
  corpId: string;
  secret: string;
  agentId: string;
  /** The group-robot keys that exist; others get 93000. */
  webhookKeys: readonly string[];
}

export interface FakeWeComApi extends FakeApi {
  /** How many access tokens gettoken has issued. */
  readonly tokensIssued: number;
  /** From now on every token issued so far answers 42001 (expired). */
  expireTokens(): void;
  /** A single-use response code for `/cgi-bin/aibot/response`, as a robot callback's response_url carries. */
  openResponseCode(): string;
}

type Json = Record<string, unknown>;

const ok = (extra: Json = {}): FakeAnswer => ({
  status: 200,
  body: { errcode: 0, errmsg: "ok", ...extra },
  delivered: true,
});
const fail = (errcode: number, errmsg: string): FakeAnswer => ({ status: 200, body: { errcode, errmsg } });

const bytes = (text: unknown): number => utf8Bytes(typeof text === "string" ? text : "");
const asJson = (value: unknown): Json | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

const INTERACTIVE = new Set(["button_interaction", "vote_interaction", "multiple_interaction"]);
const CARD_TYPES = new Set([...INTERACTIVE, "text_notice", "news_notice"]);
const TASK_ID = /^[A-Za-z0-9_@-]{1,128}$/;
const MAX_KEY_BYTES = 1024;

/** WeCom's template_card checks (90236 / 101032), as far as the reference documents them. */
function templateCardProblem(card: Json | undefined): ReturnType<typeof fail> | undefined {
  if (!card) return fail(40058, "template_card missing");
  const type = String(card.card_type);
  if (!CARD_TYPES.has(type)) return fail(40058, "invalid card_type");
  if (!asJson(card.main_title)?.title && !card.sub_title_text)
    return fail(40058, "main_title or sub_title_text");
  if (INTERACTIVE.has(type) && !TASK_ID.test(String(card.task_id ?? "")))
    return fail(42014, "taskid has existed or empty or exceed max len");
  if (type === "text_notice" || type === "news_notice") {
    const action = asJson(card.card_action);
    if (action?.type !== 1 && action?.type !== 2)
      return fail(42045, "Template_Card card_action Missing or Invalid");
  }
  const keys: unknown[] = [];
  if (type === "button_interaction") {
    const buttons = Array.isArray(card.button_list) ? card.button_list : [];
    if (buttons.length < 1 || buttons.length > 6) return fail(40058, "button_list must hold 1-6 buttons");
    keys.push(...buttons.map((button) => asJson(button)?.key));
  }
  if (type === "multiple_interaction") {
    const selects = Array.isArray(card.select_list) ? card.select_list : [];
    if (selects.length < 1 || selects.length > 3) return fail(40058, "select_list must hold 1-3 selectors");
    for (const select of selects) {
      const options = asJson(select)?.option_list;
      if (!Array.isArray(options) || options.length < 1 || options.length > 10)
        return fail(40058, "option_list must hold 1-10 options");
    }
    keys.push(asJson(card.submit_button)?.key);
  }
  if (keys.some((key) => typeof key !== "string" || key === "" || bytes(key) > MAX_KEY_BYTES))
    return fail(40058, "button key empty or over 1024 bytes");
  if (new Set(keys).size !== keys.length) return fail(40058, "button keys must be unique");
  return undefined;
}

/** Checks the msgtype's own field; `markdownBytes` differs between app messages and webhooks. */
function messageProblem(body: Json, markdownBytes: number, cardTypes: Set<string>) {
  switch (body.msgtype) {
    case "text": {
      const content = asJson(body.text)?.content;
      if (typeof content !== "string" || content === "") return fail(44004, "text content is empty");
      return bytes(content) > 2048 ? fail(40058, "text content over 2048 bytes") : undefined;
    }
    case "markdown": {
      const content = asJson(body.markdown)?.content;
      if (typeof content !== "string" || content === "") return fail(40058, "markdown content is empty");
      return bytes(content) > markdownBytes ? fail(40058, `markdown over ${markdownBytes} bytes`) : undefined;
    }
    case "template_card": {
      const card = asJson(body.template_card);
      if (card && !cardTypes.has(String(card.card_type))) return fail(40058, "card_type not allowed here");
      return templateCardProblem(card);
    }
    default:
      return fail(40008, "invalid message type");
  }
}

export function createFakeWeComApi(options: FakeWeComOptions): FakeWeComApi {
  const validTokens = new Set<string>();
  const expiredTokens = new Set<string>();
  const usedTaskIds = new Set<string>();
  const usedResponseCodes = new Set<string>();
  const openResponseUrls = new Set<string>();
  let issued = 0;
  let counter = 0;

  const tokenProblem = (url: URL) => {
    const token = url.searchParams.get("access_token") ?? "";
    if (expiredTokens.has(token)) return fail(42001, "access_token expired");
    return validTokens.has(token) ? undefined : fail(40014, "invalid access_token");
  };
  const agentProblem = (body: Json) =>
    body.agentid === Number(options.agentId) ? undefined : fail(40056, "invalid agentid");

  const route: Route = ({ method, url, body: raw }) => {
    const body = asJson(raw) ?? {};
    const path = url.pathname;
    if (method === "GET" && path === "/cgi-bin/gettoken") {
      if (url.searchParams.get("corpid") !== options.corpId) return fail(40013, "invalid corpid");
      if (url.searchParams.get("corpsecret") !== options.secret) return fail(40001, "invalid secret");
      issued++;
      const token = `fake-token-${issued}`;
      validTokens.add(token);
      return { status: 200, body: { errcode: 0, errmsg: "ok", access_token: token, expires_in: 7200 } };
    }
    if (method !== "POST") return { status: 404, body: { errcode: 404, errmsg: "not found" } };
    if (path === "/cgi-bin/message/send") {
      const problem =
        tokenProblem(url) ??
        agentProblem(body) ??
        (typeof body.touser === "string" && body.touser !== ""
          ? undefined
          : fail(81013, "user & party & tag all invalid")) ??
        messageProblem(body, 2048, CARD_TYPES);
      if (problem) return problem;
      counter++;
      const card = asJson(body.template_card);
      if (card?.task_id) {
        if (usedTaskIds.has(String(card.task_id)))
          return fail(42014, "taskid has existed or empty or exceed max len");
        usedTaskIds.add(String(card.task_id));
      }
      const interactive = card && INTERACTIVE.has(String(card.card_type));
      return ok({ msgid: `msg-${counter}`, ...(interactive && { response_code: `rc-send-${counter}` }) });
    }
    if (path === "/cgi-bin/message/update_template_card") {
      const problem = tokenProblem(url) ?? agentProblem(body);
      if (problem) return problem;
      if (!Array.isArray(body.userids) || body.userids.length === 0) return fail(40058, "userids missing");
      const code = String(body.response_code ?? "");
      // A response code is single use (94888); the real errcode for a spent one is not documented.
      if (code === "" || usedResponseCodes.has(code)) return fail(40058, "invalid response_code");
      const replaceName = asJson(body.button)?.replace_name;
      const cardProblem =
        typeof replaceName === "string" && replaceName !== ""
          ? undefined
          : templateCardProblem(asJson(body.template_card));
      if (cardProblem) return cardProblem;
      usedResponseCodes.add(code);
      return ok();
    }
    if (path === "/cgi-bin/webhook/send") {
      if (!options.webhookKeys.includes(url.searchParams.get("key") ?? ""))
        return fail(93000, "invalid webhook url");
      // The webhook's template cards cannot call back: only the notice types (99110).
      return messageProblem(body, 4096, new Set(["text_notice", "news_notice"])) ?? ok();
    }
    if (path === "/cgi-bin/aibot/response") {
      const code = url.searchParams.get("response_code") ?? "";
      if (!openResponseUrls.has(code)) return fail(40058, "invalid response_code");
      if (body.msgtype !== "markdown" && body.msgtype !== "template_card")
        return fail(40008, "invalid message type");
      const problem = messageProblem(body, 20480, CARD_TYPES);
      if (problem) return problem;
      openResponseUrls.delete(code);
      return ok();
    }
    return { status: 404, body: { errcode: 404, errmsg: "not found" } };
  };

  return {
    route,
    isTokenRequest: (path) => path.startsWith("/cgi-bin/gettoken"),
    get tokensIssued() {
      return issued;
    },
    expireTokens() {
      for (const token of validTokens) expiredTokens.add(token);
      validTokens.clear();
    },
    openResponseCode() {
      counter++;
      const code = `rc-bot-${counter}`;
      openResponseUrls.add(code);
      return code;
    },
  };
}
