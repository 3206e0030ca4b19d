// A fake Lark open platform API: token endpoint and message endpoints, checked like Lark checks them.
import { type FakeAnswer, type FakeApi, type Route, utf8Bytes } from "./fake-api.ts";

export interface FakeLarkOptions {
  appId: string;
  appSecret: string;
}

export interface FakeLarkApi extends FakeApi {
  /** Tenant tokens issued so far, in order. */
  readonly tokensIssued: string[];
  /** Makes every issued token invalid (as after a rotation): the next call gets 99991663. */
  revokeTokens(): void;
}

const TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
const RECEIVE_ID_TYPES = new Set(["open_id", "union_id", "user_id", "email", "chat_id"]);
const MSG_TYPES = new Set([
  "text",
  "post",
  "image",
  "file",
  "audio",
  "media",
  "sticker",
  "interactive",
  "share_chat",
]);
const MAX_CARD_BYTES = 30 * 1024;
const MAX_TEXT_BYTES = 150 * 1024;

type Answer = FakeAnswer;

const fail = (status: number, code: number, msg: string): Answer => ({ status, body: { code, msg } });
/** Lark's generic "field validation failed". */
const invalid = (msg: string): Answer => fail(400, 99992402, `field validation failed: ${msg}`);

/** Why Lark would refuse this card (2.0, shared, small enough), or undefined when it is fine. */
function cardProblem(card: unknown): string | undefined {
  if (typeof card !== "object" || card === null) return "card is not an object";
  const { schema, config, body } = card as {
    schema?: unknown;
    config?: { update_multi?: unknown };
    body?: unknown;
  };
  if (schema !== "2.0") return "card schema is not 2.0";
  if (config?.update_multi !== true) return "card config.update_multi is not true";
  const elements = (body as { elements?: unknown } | undefined)?.elements;
  if (elements !== undefined && !Array.isArray(elements)) return "card body.elements is not an array";
  if (utf8Bytes(JSON.stringify(card)) > MAX_CARD_BYTES) return "card is over 30 KB";
  return undefined;
}

/** Why Lark would refuse this message content, or undefined when it is fine. */
function contentProblem(msgType: unknown, content: unknown): string | undefined {
  if (typeof msgType !== "string" || !MSG_TYPES.has(msgType)) return "msg_type is missing or unknown";
  if (typeof content !== "string") return "content must be a JSON string";
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return "content is not JSON";
  }
  if (msgType === "text") {
    if (typeof (parsed as { text?: unknown })?.text !== "string") return "text content has no text";
    if (utf8Bytes(content) > MAX_TEXT_BYTES) return "text is over 150 KB";
  }
  if (msgType === "interactive") return cardProblem(parsed);
  return undefined;
}

/** The fake's answers; message ids come out as om_1, om_2, … */
export function createFakeLarkApi(options: FakeLarkOptions): FakeLarkApi {
  const tokensIssued: string[] = [];
  const validTokens = new Set<string>();
  /** Lark's 1 h send dedup: the first message id per uuid (the fake lives shorter than an hour). */
  const sentByUuid = new Map<string, string>();
  const messageTypes = new Map<string, string>();
  /** The chat of each message the fake issued: only its members can be urged about it. */
  const messageChats = new Map<string, string>();
  const cardTokenUses = new Map<string, number>();
  let nextMessage = 1;

  function issueToken(body: unknown): Answer {
    const { app_id, app_secret } = (body ?? {}) as { app_id?: unknown; app_secret?: unknown };
    if (app_id !== options.appId) return fail(400, 10003, "invalid param: app_id");
    if (app_secret !== options.appSecret) return fail(400, 10014, "app secret invalid");
    const token = `t-fake-${tokensIssued.length + 1}`;
    tokensIssued.push(token);
    validTokens.add(token);
    return { status: 200, body: { code: 0, msg: "ok", tenant_access_token: token, expire: 7200 } };
  }

  function authProblem(headers: Record<string, string>): Answer | undefined {
    const authorization = headers.authorization;
    if (!authorization) return fail(400, 99991661, "Missing access token for authorization.");
    const token = authorization.replace(/^Bearer /, "");
    if (!validTokens.has(token)) return fail(400, 99991663, "Invalid access token for authorization.");
    return undefined;
  }

  /** Creates a message once per uuid; a repeated uuid gets the first id back and is not delivered again. */
  function create(body: Record<string, unknown>, chatId: unknown): Answer {
    const uuid = body.uuid;
    if (uuid !== undefined && (typeof uuid !== "string" || uuid.length > 50))
      return invalid("uuid over 50 characters");
    const earlier = typeof uuid === "string" ? sentByUuid.get(uuid) : undefined;
    if (earlier)
      return {
        status: 200,
        body: { code: 0, msg: "success", data: { message_id: earlier, chat_id: chatId } },
      };
    const messageId = `om_${nextMessage++}`;
    if (typeof uuid === "string") sentByUuid.set(uuid, messageId);
    messageTypes.set(messageId, body.msg_type as string);
    if (typeof chatId === "string") messageChats.set(messageId, chatId);
    return {
      status: 200,
      body: {
        code: 0,
        msg: "success",
        data: { message_id: messageId, chat_id: chatId, msg_type: body.msg_type },
      },
      delivered: true,
    };
  }

  /**
   * In-app buzz: only about a message the bot sent (one the fake issued), only to members of its chat (in a
   * direct chat `oc_p2p_<open_id>`, that one user; a group's members are taken on trust); others come back in
   * invalid_user_id_list.
   */
  function urgentApp(messageId: string, url: URL, fields: Record<string, unknown>): Answer {
    if (url.searchParams.get("user_id_type") !== "open_id") return invalid("user_id_type");
    const chat = messageChats.get(messageId);
    if (!chat) return fail(400, 230001, "invalid message_id");
    const users = fields.user_id_list;
    if (!Array.isArray(users) || users.length === 0 || !users.every((id) => typeof id === "string"))
      return invalid("user_id_list is required");
    const direct = chat.startsWith("oc_p2p_") ? chat.slice("oc_p2p_".length) : undefined;
    const invalidUsers = direct === undefined ? [] : users.filter((id) => id !== direct);
    return {
      status: 200,
      body: { code: 0, msg: "success", data: { invalid_user_id_list: invalidUsers } },
      delivered: invalidUsers.length < users.length,
    };
  }

  const route: Route = ({ method, path, url, headers, body }) => {
    if (method === "POST" && url.pathname === TOKEN_PATH) return issueToken(body);
    const unauthorised = authProblem(headers);
    if (unauthorised) return unauthorised;
    const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;

    if (method === "POST" && url.pathname === "/open-apis/im/v1/messages") {
      const receiveIdType = url.searchParams.get("receive_id_type");
      if (!receiveIdType || !RECEIVE_ID_TYPES.has(receiveIdType)) return invalid("receive_id_type");
      if (typeof fields.receive_id !== "string" || !fields.receive_id)
        return invalid("receive_id is required");
      const problem = contentProblem(fields.msg_type, fields.content);
      if (problem) return invalid(problem);
      return create(fields, receiveIdType === "chat_id" ? fields.receive_id : `oc_p2p_${fields.receive_id}`);
    }

    const reply = /^\/open-apis\/im\/v1\/messages\/(om_[^/]+)\/reply$/.exec(url.pathname);
    if (method === "POST" && reply) {
      const problem = contentProblem(fields.msg_type, fields.content);
      if (problem) return invalid(problem);
      return create(fields, "oc_replied");
    }

    const patch = /^\/open-apis\/im\/v1\/messages\/(om_[^/]+)$/.exec(url.pathname);
    if (method === "PATCH" && patch) {
      // Ids the fake did not issue (user messages from fixtures) are taken on trust.
      const known = messageTypes.get(patch[1] as string);
      if (known && known !== "interactive") return fail(400, 230001, "This message is NOT a card.");
      const problem = contentProblem("interactive", fields.content);
      if (problem) return invalid(problem);
      return { status: 200, body: { code: 0, msg: "success", data: {} }, delivered: true };
    }

    const urgent = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/urgent_app$/.exec(url.pathname);
    if (method === "PATCH" && urgent) return urgentApp(urgent[1] as string, url, fields);

    if (method === "POST" && url.pathname === "/open-apis/interactive/v1/card/update") {
      const token = fields.token;
      if (typeof token !== "string" || !token.startsWith("c-")) return invalid("token");
      const uses = (cardTokenUses.get(token) ?? 0) + 1;
      if (uses > 2) return invalid("card token used more than twice");
      cardTokenUses.set(token, uses);
      const problem = cardProblem(fields.card);
      if (problem) return invalid(problem);
      return { status: 200, body: { code: 0, msg: "success", data: {} }, delivered: true };
    }

    return { status: 404, body: { code: 404, msg: `fake Lark has no ${method} ${path}` } };
  };

  return {
    route,
    isTokenRequest: (path) => path.startsWith(TOKEN_PATH),
    tokensIssued,
    revokeTokens: () => validTokens.clear(),
  };
}
