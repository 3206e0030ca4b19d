// DingTalk server API client on fetch: cached access token, robot messages (session webhook or API) and cards.

import type { ChatKind } from "../../chat/events.ts";
import type { DingTalkConfig } from "../../config/parse-env.ts";
import { SendError } from "../errors.ts";
import { dingtalkSendError } from "./api-errors.ts";
import { type RobotMessage, toRobotApiParams } from "./render.ts";

/** The route key our card callback URL is registered under (`registerCardCallback`). */
export const CARD_CALLBACK_ROUTE_KEY = "opsbot-cards";

/** Tokens live 7200 s; fetch a new one this long before expiry so no call carries an expiring token. */
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** remindType 1: the DING inside the app (2, SMS, and 3, phone, are paid extras). */
const IN_APP_DING = 1;

type Json = Record<string, unknown>;

interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

export interface DingTalkApiOptions {
  config: DingTalkConfig;
  fetch: typeof globalThis.fetch;
  now: () => Date;
}

interface CardDelivery {
  outTrackId: string;
  chat: { id: string; kind: ChatKind };
  cardParamMap: Record<string, string>;
}

export interface DingTalkApi {
  /** Fetches an access token unless a fresh one is cached (API sends then start without waiting for one). */
  prepare(): Promise<void>;
  /** Posts robot JSON to a message's sessionWebhook (no token needed). */
  sendBySession(url: string, message: RobotMessage): Promise<void>;
  /** Sends to a group by openConversationId; returns the processQueryKey. */
  sendToGroup(openConversationId: string, message: RobotMessage): Promise<string | undefined>;
  /** Sends to one user's 1:1 chat with the robot; returns the processQueryKey. */
  sendToUser(userId: string, message: RobotMessage): Promise<string | undefined>;
  /**
   * An in-app DING from the robot to these users (at most 200; DingTalk's professional and exclusive editions
   * only); returns the openDingId.
   */
  sendDing(userIds: readonly string[], content: string): Promise<string | undefined>;
  createAndDeliverCard(delivery: CardDelivery): Promise<void>;
  updateCard(outTrackId: string, cardParamMap: Record<string, string>): Promise<void>;
  /** One-off set-up: point CARD_CALLBACK_ROUTE_KEY at our /webhooks/dingtalk/cards URL, signed with the secret. */
  registerCardCallback(callbackUrl: string): Promise<void>;
}

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

async function readAnswer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = {};
  }
  return { status: response.status, headers: response.headers, body: isObject(body) ? body : {} };
}

const codeOf = (body: Json): string | undefined =>
  typeof body.code === "string"
    ? body.code
    : typeof body.errcode === "number"
      ? String(body.errcode)
      : undefined;

const messageOf = (body: Json): string =>
  typeof body.message === "string" ? body.message : typeof body.errmsg === "string" ? body.errmsg : "";

/** An expired or revoked token: `InvalidAuthentication` ("不合法的access_token"), sent as 400 or 401. */
const tokenRejected = (answer: Answer): boolean =>
  answer.status === 401 || codeOf(answer.body) === "InvalidAuthentication";

function failure(what: string, answer: Answer): SendError {
  return dingtalkSendError(what, answer.status, answer.headers, codeOf(answer.body), messageOf(answer.body));
}

export function createDingTalkApi({ config, fetch, now }: DingTalkApiOptions): DingTalkApi {
  let token: { value: string; refreshAt: number } | undefined;
  let tokenRequest: Promise<string> | undefined;

  async function request(
    what: string,
    url: string,
    method: string,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    try {
      const response = await fetch(url, {
        method,
        headers: { "content-type": "application/json; charset=utf-8", ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      return await readAnswer(response);
    } catch (error) {
      throw new SendError(
        "transient",
        `${what} failed: ${error instanceof Error ? error.name : "network error"}`,
        undefined,
        undefined,
        { cause: error },
      );
    }
  }

  async function fetchToken(): Promise<string> {
    const answer = await request("access token", `${config.apiBase}/v1.0/oauth2/accessToken`, "POST", {
      appKey: config.clientId,
      appSecret: config.clientSecret,
    });
    const { accessToken, expireIn } = answer.body;
    if (answer.status !== 200 || typeof accessToken !== "string" || typeof expireIn !== "number")
      throw answer.status === 200
        ? new SendError("transient", "access token answer incomplete")
        : failure("access token", answer);
    const lifetimeMs = expireIn * 1000;
    token = {
      value: accessToken,
      refreshAt: now().getTime() + lifetimeMs - Math.min(TOKEN_REFRESH_MARGIN_MS, lifetimeMs / 2),
    };
    return accessToken;
  }

  /** The cached token, or one fetch shared by every caller that needs a new one. */
  function accessToken(): Promise<string> {
    if (token && now().getTime() < token.refreshAt) return Promise.resolve(token.value);
    tokenRequest ??= fetchToken().finally(() => {
      tokenRequest = undefined;
    });
    return tokenRequest;
  }

  /** Calls a v1.0 API; on a rejected token, drops it, fetches a new one and retries once. */
  async function call(what: string, method: string, path: string, body: Json): Promise<Json> {
    const attempt = async () =>
      request(what, `${config.apiBase}${path}`, method, body, {
        "x-acs-dingtalk-access-token": await accessToken(),
      });
    let answer = await attempt();
    if (tokenRejected(answer)) {
      token = undefined;
      answer = await attempt();
    }
    if (answer.status !== 200) throw failure(what, answer);
    return answer.body;
  }

  const processQueryKey = (body: Json) =>
    typeof body.processQueryKey === "string" ? body.processQueryKey : undefined;

  /** A card call answers 200 with `success: false` or a failed delivery when the card did not arrive. */
  function assertCardSuccess(what: string, body: Json): void {
    const result = isObject(body.result) ? body.result : {};
    const failed = Array.isArray(result.deliverResults)
      ? result.deliverResults.find((delivery) => isObject(delivery) && delivery.success === false)
      : undefined;
    if (body.success === false || failed) {
      const reason =
        isObject(failed) && typeof failed.errorMsg === "string" ? failed.errorMsg : "not delivered";
      throw new SendError("permanent", `${what} failed: ${reason}`);
    }
  }

  return {
    prepare: () => accessToken().then(() => {}),

    async sendBySession(url, message) {
      const answer = await request("session webhook send", url, "POST", message);
      const errcode = answer.body.errcode;
      if (answer.status !== 200 || (errcode !== undefined && errcode !== 0))
        throw failure("session webhook send", answer);
    },

    async sendToGroup(openConversationId, message) {
      const body = await call("group message send", "POST", "/v1.0/robot/groupMessages/send", {
        robotCode: config.robotCode,
        openConversationId,
        ...toRobotApiParams(message),
      });
      return processQueryKey(body);
    },

    async sendToUser(userId, message) {
      const body = await call("1:1 message send", "POST", "/v1.0/robot/oToMessages/batchSend", {
        robotCode: config.robotCode,
        userIds: [userId],
        ...toRobotApiParams(message),
      });
      // batchSend answers 200 and lists the users it refused.
      const listed = (key: string) => Array.isArray(body[key]) && body[key].includes(userId);
      if (listed("flowControlledStaffIdList"))
        throw new SendError("rate_limited", "1:1 message send throttled for this user", 60_000);
      if (listed("invalidStaffIdList"))
        throw new SendError("permanent", "1:1 message send: user id not valid");
      return processQueryKey(body);
    },

    async sendDing(userIds, content) {
      const body = await call("DING send", "POST", "/v1.0/robot/ding/send", {
        robotCode: config.robotCode,
        remindType: IN_APP_DING,
        receiverUserIdList: userIds,
        content,
      });
      // A 200 may still list receivers DingTalk refused, by reason: the DING did not reach them.
      const failed = isObject(body.failedList) ? Object.keys(body.failedList) : [];
      if (failed.length > 0) throw new SendError("permanent", `DING send refused: ${failed.join(", ")}`);
      return typeof body.openDingId === "string" ? body.openDingId : undefined;
    },

    async createAndDeliverCard({ outTrackId, chat, cardParamMap }) {
      const space =
        chat.kind === "group"
          ? {
              openSpaceId: `dtv1.card//IM_GROUP.${chat.id}`,
              imGroupOpenSpaceModel: { supportForward: false },
              imGroupOpenDeliverModel: { robotCode: config.robotCode },
            }
          : {
              openSpaceId: `dtv1.card//IM_ROBOT.${chat.id}`,
              imRobotOpenSpaceModel: { supportForward: false },
              imRobotOpenDeliverModel: { spaceType: "IM_ROBOT", robotCode: config.robotCode },
            };
      const body = await call("card delivery", "POST", "/v1.0/card/instances/createAndDeliver", {
        cardTemplateId: config.cardTemplateId,
        outTrackId,
        // Over Stream the clicks come back on the connection; otherwise to the registered HTTP route.
        ...(config.transport === "stream"
          ? { callbackType: "STREAM" }
          : { callbackType: "HTTP", callbackRouteKey: CARD_CALLBACK_ROUTE_KEY }),
        cardData: { cardParamMap },
        userIdType: 1,
        ...space,
      });
      assertCardSuccess("card delivery", body);
    },

    async updateCard(outTrackId, cardParamMap) {
      const body = await call("card update", "PUT", "/v1.0/card/instances", {
        outTrackId,
        cardData: { cardParamMap },
        cardUpdateOptions: { updateCardDataByKey: true },
      });
      assertCardSuccess("card update", body);
    },

    async registerCardCallback(callbackUrl) {
      // An unsigned callback route could be called by anyone; verify.ts refuses those, so never register one.
      if (!config.cardCallbackSecret)
        throw new SendError(
          "permanent",
          "DINGTALK_CARD_CALLBACK_SECRET is required to register card callbacks",
        );
      await call("card callback registration", "POST", "/v1.0/card/callbacks/register", {
        callbackRouteKey: CARD_CALLBACK_ROUTE_KEY,
        callbackUrl,
        apiSecret: config.cardCallbackSecret,
        forceUpdate: true,
      });
    },
  };
}
