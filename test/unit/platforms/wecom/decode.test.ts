import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SendError } from "../../../../src/platforms/errors.ts";
import { decodeButtonKey, encodeButtonKey, SETTLED_KEY } from "../../../../src/platforms/wecom/button-key.ts";
import { decodeAppXml, decodeBotJson } from "../../../../src/platforms/wecom/decode.ts";
import { parseWeComXml } from "../../../../src/platforms/wecom/xml.ts";

/** The official template_card_event sample (doc 90240, as in WxJava's test), with our key as EventKey. */
const cardEventXml = (eventKey: string, event = "template_card_event") => `<xml>
<ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName>
<CreateTime>123456789</CreateTime><MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[${event}]]></Event><EventKey><![CDATA[${eventKey}]]></EventKey>
<TaskId><![CDATA[taskid111]]></TaskId><CardType><![CDATA[multiple_interaction]]></CardType>
<ResponseCode><![CDATA[ResponseCode]]></ResponseCode><AgentID>1</AgentID>
<SelectedItems><SelectedItem><QuestionKey><![CDATA[QuestionKey1]]></QuestionKey>
<OptionIds><OptionId><![CDATA[OptionId1]]></OptionId><OptionId><![CDATA[OptionId2]]></OptionId></OptionIds>
</SelectedItem><SelectedItem><QuestionKey><![CDATA[area]]></QuestionKey>
<OptionIds><OptionId><![CDATA[warehouse]]></OptionId></OptionIds></SelectedItem></SelectedItems></xml>`;

describe("wecom button keys", () => {
  it("round-trips action and value, including non-ASCII values", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9_.-]{0,30}$/),
        fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20, unit: "grapheme" }), {
          maxKeys: 4,
        }),
        (action, value) => {
          expect(decodeButtonKey(encodeButtonKey(action, value))).toEqual({ actionId: action, value });
        },
      ),
    );
    expect(encodeButtonKey("order.cancel")).toBe("order.cancel");
  });

  it("refuses keys over 1024 bytes when rendering", () => {
    expect(() => encodeButtonKey("order.confirm", { note: "长".repeat(400) })).toThrow(SendError);
  });

  it("does not decode keys we did not write", () => {
    // "a|WzFd" carries base64url of [1], a list rather than a record of strings.
    for (const key of ["", "has space", "a|%%%", "a|bm90IGpzb24", "a|WzFd", SETTLED_KEY])
      expect(decodeButtonKey(key)).toBeNull();
  });
});

describe("wecom app decode", () => {
  it("turns the official card event sample into an action with its selections as form values", () => {
    const key = encodeButtonKey("inspection.submit", { area: "A1" });
    expect(decodeAppXml(parseWeComXml(cardEventXml(key)))).toEqual({
      kind: "action",
      platform: "wecom",
      dedupKey: `wecom:card:FromUser:123456789:${key}:taskid111`,
      actionId: "inspection.submit",
      value: { area: "A1" },
      form: { QuestionKey1: "OptionId1,OptionId2", area: "warehouse" },
      operator: { id: "FromUser" },
      chat: { id: "FromUser", kind: "direct" },
      message: { channel: "app", userId: "FromUser", taskId: "taskid111", responseCode: "ResponseCode" },
    });
  });

  it("gives two clicks in the same second on different buttons different dedup keys", () => {
    const first = decodeAppXml(parseWeComXml(cardEventXml("order.confirm")));
    const second = decodeAppXml(parseWeComXml(cardEventXml("order.cancel")));
    expect(first?.dedupKey).not.toBe(second?.dedupKey);
  });

  it("ignores menu events, foreign keys, the settled button and texts without MsgId", () => {
    expect(decodeAppXml(parseWeComXml(cardEventXml("order.confirm", "template_card_menu_event")))).toBeNull();
    expect(decodeAppXml(parseWeComXml(cardEventXml("not a key of ours")))).toBeNull();
    expect(decodeAppXml(parseWeComXml(cardEventXml(SETTLED_KEY)))).toBeNull();
    const noId = "<xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>hi</Content></xml>";
    expect(decodeAppXml(parseWeComXml(noId))).toBeNull();
    const image = "<xml><FromUserName>u</FromUserName><MsgType>image</MsgType><MsgId>1</MsgId></xml>";
    expect(decodeAppXml(parseWeComXml(image))).toBeNull();
  });
});

describe("wecom robot decode", () => {
  const base = {
    msgid: "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=",
    create_time: 1700000000,
    aibotid: "AIBOTID",
    from: { corpid: "CORPID", userid: "USERID" },
    response_url: "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=X",
  };

  it("decodes a 1:1 text as a direct chat with the user", () => {
    const event = decodeBotJson({ ...base, chattype: "single", msgtype: "text", text: { content: "/help" } });
    expect(event).toMatchObject({
      kind: "message",
      chat: { id: "USERID", kind: "direct" },
      text: "/help",
      reply: { channel: "bot", chatId: "USERID", chatKind: "direct", userId: "USERID" },
    });
  });

  it("strips leading mentions separated by any space, keeping later ones", () => {
    const text = (content: string) =>
      decodeBotJson({ ...base, chatid: "C", chattype: "group", msgtype: "text", text: { content } });
    expect(text("@RobotA\u2005/role grant @lina qa")).toMatchObject({ text: "/role grant @lina qa" });
    expect(text("@机器人 @RobotA /kpi")).toMatchObject({ text: "/kpi" });
  });

  it("decodes the documented template_card_event (doc 101027) with our key", () => {
    const key = encodeButtonKey("complaint.respond", { id: "C-20261126-001" });
    const event = decodeBotJson({
      ...base,
      chatid: "CHATID",
      chattype: "group",
      msgtype: "event",
      event: {
        eventtype: "template_card_event",
        template_card_event: {
          card_type: "button_interaction",
          event_key: key,
          task_id: "fBmjTL7ErRCQSNA6GZKMlcFiWX1shOvg",
          selected_items: {
            selected_item: [
              { question_key: "button_selection_key1", option_ids: { option_id: ["one", "two"] } },
            ],
          },
        },
      },
    });
    expect(event).toEqual({
      kind: "action",
      platform: "wecom",
      dedupKey: `wecom:bot:${base.msgid}`,
      actionId: "complaint.respond",
      value: { id: "C-20261126-001" },
      form: { button_selection_key1: "one,two" },
      operator: { id: "USERID" },
      chat: { id: "CHATID", kind: "group" },
      message: {
        channel: "bot",
        responseUrl: base.response_url,
        chatId: "CHATID",
        chatKind: "group",
        userId: "USERID",
        taskId: "fBmjTL7ErRCQSNA6GZKMlcFiWX1shOvg",
      },
    });
  });

  it("ignores stream refreshes, feedback events, images and payloads without a sender", () => {
    expect(decodeBotJson({ ...base, msgtype: "stream", stream: { id: "S" } })).toBeNull();
    expect(decodeBotJson({ ...base, msgtype: "event", event: { eventtype: "feedback_event" } })).toBeNull();
    expect(decodeBotJson({ ...base, msgtype: "image", image: { url: "u" } })).toBeNull();
    expect(decodeBotJson({ msgid: "1", msgtype: "text", text: { content: "hi" } })).toBeNull();
    expect(decodeBotJson("text")).toBeNull();
  });
});
