// What the console needs from each platform: its fake API, signed webhook requests, and reading payloads back.
import type { PlatformId } from "../src/chat/events.ts";
import type { FakeAnswer, FakeApi, FakeRequest } from "../test/fakes/fake-api.ts";
import type { ChatMessage, Conversations } from "./conversations.ts";
import type { MessageView } from "./message-view.ts";

/** A webhook request ready to post to the server's own URL. */
export interface SignedRequest {
  /** Path and query, e.g. "/webhooks/wecom/bot?msg_signature=…". */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** One event as the platform sends it: its plain payload, and the same signed for the webhook. */
export interface ConsoleEvent {
  payload: unknown;
  webhook: SignedRequest;
}

export interface Speaker {
  /** The person's platform user id. */
  userId: string;
  name: string;
}

export interface ChatPlace {
  chatId: string;
  title: string;
}

export interface MessageInput extends ChatPlace, Speaker {
  text: string;
  messageId: string;
  now: Date;
}

export interface ClickInput extends ChatPlace, Speaker {
  message: ChatMessage;
  /** The callback data of the button, as the message view gave it. */
  data: unknown;
  form: Record<string, string>;
  now: Date;
}

export interface ConsoleDriver {
  readonly platform: PlatformId;
  readonly fake: FakeApi;
  message(input: MessageInput): ConsoleEvent;
  click(input: ClickInput): ConsoleEvent;
  /** What the answer to a click (the webhook's or the long connection's) changes on the clicked card. */
  clickAnswer(answer: string, clicked: ChatMessage): Partial<Pick<ChatMessage, "payload" | "toast">>;
  /** Records a message the fake accepted for delivery in its chat (or updates the card it replaces). */
  capture(request: FakeRequest, answer: FakeAnswer, conversations: Conversations): void;
  view(payload: unknown): MessageView;
}
