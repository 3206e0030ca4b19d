// A signed WeCom intelligent-robot text message in a group, as the robot's callback posts it; the reply goes to
// the message's response_url at the fake WeCom.
import { type Fakes, type Harness, WECOM } from "./e2e-harness.ts";
import { botCallback } from "./wecom-signer.ts";

const BOT_SECRETS = { token: WECOM.botToken, encodingAesKey: WECOM.botEncodingAesKey, receiveId: "" };

/** Posts `text` from `userId` in the robot's group chat; resolves with the answer's status once settled. */
export async function sendWeComBotMessage(
  h: Harness,
  fakes: Fakes,
  text: string,
  msgId: string,
  { userId = "zhangsan", chatId = "wrkSFfCgAAtMQKg4xqDatM5C9IDHFpTw" } = {},
): Promise<number> {
  const payload = {
    msgid: msgId,
    aibotid: "AIBOTID",
    chatid: chatId,
    chattype: "group",
    from: { userid: userId },
    response_url: fakes.wecom.responseUrl(),
    msgtype: "text",
    text: { content: `@opsbot ${text}` },
  };
  const signed = botCallback(BOT_SECRETS, payload, {
    timestamp: String(Math.floor(h.clock.now().getTime() / 1000)),
  });
  const response = await h.send(signed.path, {
    method: "POST",
    body: signed.body,
    headers: { "content-type": "application/json" },
  });
  await h.settle();
  return response.status;
}
