// A fake DingTalk API (token, robot messages, session webhooks, interactive cards) that checks requests like DingTalk.
import { type FakeAnswer, type FakeApi, type Route, utf8Bytes } from "./fake-api.ts";

export interface FakeDingTalkOptions {
  clientId: string;
  clientSecret: string;
  robotCode: string;
}

export interface FakeCard {
  cardTemplateId: string;
  openSpaceId: string;
  callbackRouteKey?: string;
  cardParamMap: Record<string, string>;
}

export interface FakeDingTalkApi extends FakeApi {
  /** Makes a session webhook (`/robot/sendBySession?session=…`) live, as a robot message would carry it. */
  openSession(session: string): void;
  /** Invalidate every token issued so far, as if they had expired on DingTalk's side. */
  revokeTokens(): void;
  /** How many tokens the fake has handed out. */
  tokensIssued(): number;
  /** Cards by outTrackId, with their current data. */
  readonly cards: Map<string, FakeCard>;
  /** Card callback routes registered: route key → { callbackUrl, apiSecret }. */
  readonly callbackRoutes: Map<string, { callbackUrl: string; apiSecret?: string }>;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === "string" && value !== "";

/** msgParam keys each msgKey requires (DT-0699 方式一). */
const MSG_KEY_FIELDS: Record<string, string[]> = {
  sampleText: ["content"],
  sampleMarkdown: ["title", "text"],
  sampleActionCard: ["title", "text", "singleTitle", "singleURL"],
  sampleActionCard6: ["title", "text", "buttonTitle1", "buttonUrl1", "buttonTitle2", "buttonUrl2"],
  ...Object.fromEntries(
    [2, 3, 4, 5].map((n) => [
      `sampleActionCard${n}`,
      [
        "title",
        "text",
        ...Array.from({ length: n }, (_, i) => [`actionTitle${i + 1}`, `actionURL${i + 1}`]).flat(),
      ],
    ]),
  ),
};

const MSG_PARAM_MAX_BYTES = 15_000;
const CARD_PARAM_MAX_BYTES = 1024;

const bad = (code: string, message: string): FakeAnswer => ({
  status: 400,
  body: { code, message, requestid: "fake" },
});

function checkMsgParam(body: Json) {
  const fields = typeof body.msgKey === "string" ? MSG_KEY_FIELDS[body.msgKey] : undefined;
  if (!fields) return bad("invalidParameter.msgKey.invalid", "unknown msgKey");
  if (typeof body.msgParam !== "string")
    return bad("invalidParameter.msgParam.invalid", "msgParam must be a string");
  if (utf8Bytes(body.msgParam) > MSG_PARAM_MAX_BYTES)
    return bad("invalidParameter.msgParam.invalid", "msgParam over 15000 bytes");
  let param: unknown;
  try {
    param = JSON.parse(body.msgParam);
  } catch {
    return bad("invalidParameter.msgParam.invalid", "msgParam is not JSON");
  }
  if (!isObject(param) || !fields.every((field) => isText(param[field])))
    return bad("invalidParameter.msgParam.invalid", `msgParam lacks ${fields.join(", ")}`);
  return undefined;
}

/** Robot JSON as the session webhook takes it: text, markdown or actionCard. */
function robotJsonProblem(body: Json): string | undefined {
  if (body.msgtype === "text")
    return isObject(body.text) && isText(body.text.content) ? undefined : "text.content";
  if (body.msgtype === "markdown")
    return isObject(body.markdown) && isText(body.markdown.title) && isText(body.markdown.text)
      ? undefined
      : "markdown.title/text";
  if (body.msgtype === "actionCard") {
    const card = body.actionCard;
    if (!isObject(card) || !isText(card.title) || !isText(card.text)) return "actionCard.title/text";
    const single = isText(card.singleTitle) && isText(card.singleURL);
    const buttons =
      Array.isArray(card.btns) &&
      card.btns.length > 0 &&
      card.btns.every((button) => isObject(button) && isText(button.title) && isText(button.actionURL));
    return single || buttons ? undefined : "actionCard buttons";
  }
  return "msgtype";
}

function cardParamProblem(cardData: unknown): string | undefined {
  if (!isObject(cardData) || !isObject(cardData.cardParamMap)) return "cardData.cardParamMap is required";
  for (const [key, value] of Object.entries(cardData.cardParamMap)) {
    if (typeof value !== "string") return `cardParamMap.${key} is not a string`;
    if (utf8Bytes(value) > CARD_PARAM_MAX_BYTES) return `cardParamMap.${key} is over 1KB`;
  }
  return undefined;
}

export function createFakeDingTalkApi(options: FakeDingTalkOptions): FakeDingTalkApi {
  const validTokens = new Set<string>();
  const sessions = new Set<string>();
  const cards = new Map<string, FakeCard>();
  const callbackRoutes = new Map<string, { callbackUrl: string; apiSecret?: string }>();
  let issued = 0;
  let sent = 0;

  const route: Route = ({ method, url, headers, body }) => {
    const json = isObject(body) ? body : {};
    const endpoint = `${method} ${url.pathname}`;

    if (endpoint === "POST /v1.0/oauth2/accessToken") {
      if (json.appKey !== options.clientId || json.appSecret !== options.clientSecret)
        return bad("invalidClientIdOrSecret", "无效的clientId或者clientSecret");
      issued++;
      const accessToken = `fake-token-${issued}`;
      validTokens.add(accessToken);
      return { status: 200, body: { accessToken, expireIn: 7200 } };
    }

    if (endpoint === "POST /robot/sendBySession") {
      const session = url.searchParams.get("session");
      if (!session || !sessions.has(session))
        return { status: 200, body: { errcode: 300001, errmsg: "session 不存在" } };
      const problem = robotJsonProblem(json);
      if (problem) return { status: 200, body: { errcode: 400105, errmsg: `bad message: ${problem}` } };
      return { status: 200, body: { errcode: 0, errmsg: "ok" }, delivered: true };
    }

    const token = headers["x-acs-dingtalk-access-token"];
    if (!token || !validTokens.has(token)) return bad("InvalidAuthentication", "不合法的access_token");

    switch (endpoint) {
      case "POST /v1.0/robot/groupMessages/send": {
        if (json.robotCode !== options.robotCode) return bad("invalidParameter.robotCode.auth", "robotCode");
        if (!isText(json.openConversationId)) return bad("invalidParameter.openConversationId", "required");
        const problem = checkMsgParam(json);
        if (problem) return problem;
        return { status: 200, body: { processQueryKey: `pqk-${++sent}` }, delivered: true };
      }
      case "POST /v1.0/robot/oToMessages/batchSend": {
        if (json.robotCode !== options.robotCode) return bad("invalidParameter.robotCode.auth", "robotCode");
        if (!Array.isArray(json.userIds) || json.userIds.length === 0 || json.userIds.length > 20)
          return bad("invalidParameter.userIds", "1 to 20 userIds");
        const problem = checkMsgParam(json);
        if (problem) return problem;
        return {
          status: 200,
          body: { processQueryKey: `pqk-${++sent}`, invalidStaffIdList: [], flowControlledStaffIdList: [] },
          delivered: true,
        };
      }
      case "POST /v1.0/robot/ding/send": {
        // In-app DING (remindType 1) to at most 200 people; SMS and phone DINGs (2, 3) to at most 20.
        if (json.robotCode !== options.robotCode) return bad("invalid.chatbotId", "robotCode");
        if (json.remindType !== 1 && json.remindType !== 2 && json.remindType !== 3)
          return bad("invalidParameter.param.invalid", "remindType");
        const receivers = json.receiverUserIdList;
        if (!Array.isArray(receivers) || receivers.length === 0 || !receivers.every(isText))
          return bad("miss.staffId", "receiverUserIdList");
        if (receivers.length > (json.remindType === 1 ? 200 : 20))
          return bad("ding.receivercount.limit", "ding receiver count limit");
        if (!isText(json.content)) return bad("invalidParameter.param.invalid", "content");
        return { status: 200, body: { openDingId: `ding-${++sent}` }, delivered: true };
      }
      case "POST /v1.0/card/instances/createAndDeliver": {
        if (!isText(json.cardTemplateId) || !isText(json.outTrackId))
          return bad("invalidParameter", "cardTemplateId and outTrackId are required");
        const problem = cardParamProblem(json.cardData);
        if (problem) return bad("invalidParameter.cardData", problem);
        const space = /^dtv1\.card\/\/(IM_GROUP|IM_ROBOT)\.(.+)$/.exec(String(json.openSpaceId));
        if (!space) return bad("invalidParameter.openSpaceId", "openSpaceId");
        const deliverModel =
          space[1] === "IM_GROUP" ? json.imGroupOpenDeliverModel : json.imRobotOpenDeliverModel;
        if (!isObject(deliverModel) || deliverModel.robotCode !== options.robotCode)
          return bad("invalidParameter.robotCode", "deliver model robotCode");
        if (space[1] === "IM_ROBOT" && deliverModel.spaceType !== "IM_ROBOT")
          return bad("invalidParameter.spaceType", "imRobotOpenDeliverModel.spaceType");
        if (json.callbackType === "HTTP" && !isText(json.callbackRouteKey))
          return bad("invalidParameter.callbackRouteKey", "HTTP callbacks need a route key");
        const deliverResults = [
          { spaceType: space[1], spaceId: space[2], success: true, carrierId: "carrier" },
        ];
        const answer = { success: true, result: { outTrackId: json.outTrackId, deliverResults } };
        // An existing outTrackId keeps its first data: DingTalk ignores a second create (DT-0783).
        if (cards.has(json.outTrackId)) return { status: 200, body: answer };
        cards.set(json.outTrackId, {
          cardTemplateId: json.cardTemplateId,
          openSpaceId: String(json.openSpaceId),
          ...(isText(json.callbackRouteKey) ? { callbackRouteKey: json.callbackRouteKey } : {}),
          cardParamMap: { ...((json.cardData as Json).cardParamMap as Record<string, string>) },
        });
        return { status: 200, body: answer, delivered: true };
      }
      case "PUT /v1.0/card/instances": {
        const card = isText(json.outTrackId) ? cards.get(json.outTrackId) : undefined;
        if (!card) return bad("invalidParameter.outTrackId", "card not found");
        const problem = cardParamProblem(json.cardData);
        if (problem) return bad("invalidParameter.cardData", problem);
        const next = (json.cardData as Json).cardParamMap as Record<string, string>;
        const byKey = isObject(json.cardUpdateOptions) && json.cardUpdateOptions.updateCardDataByKey === true;
        card.cardParamMap = byKey ? { ...card.cardParamMap, ...next } : { ...next };
        return { status: 200, body: { success: true, result: true }, delivered: true };
      }
      case "POST /v1.0/card/callbacks/register": {
        if (!isText(json.callbackRouteKey) || !isText(json.callbackUrl))
          return bad("invalidParameter", "callbackRouteKey and callbackUrl are required");
        callbackRoutes.set(json.callbackRouteKey, {
          callbackUrl: json.callbackUrl,
          ...(isText(json.apiSecret) ? { apiSecret: json.apiSecret } : {}),
        });
        return { status: 200, body: { success: true, result: { callbackUrl: json.callbackUrl } } };
      }
      default:
        return { status: 404, body: { code: "NotFound", message: `no fake for ${endpoint}` } };
    }
  };

  return {
    route,
    isTokenRequest: (path) => path.startsWith("/v1.0/oauth2/"),
    openSession: (session) => sessions.add(session),
    revokeTokens: () => validTokens.clear(),
    tokensIssued: () => issued,
    cards,
    callbackRoutes,
  };
}
