// What a fake platform API is, whoever hosts it (a test's loopback server or the console): a route and its answers.

export interface FakeRequest {
  method: string;
  /** Path and query below the fake's base URL, e.g. "/open-apis/im/v1/messages?receive_id_type=chat_id". */
  path: string;
  url: URL;
  headers: Record<string, string>;
  /** Parsed JSON body (or the raw text when it is not JSON). */
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The platform accepted a message for delivery (send, reply, update). */
  delivered?: boolean;
}

export type Route = (request: FakeRequest) => FakeAnswer;

export interface FakeApi {
  route: Route;
  /** Token fetches, which planned outages leave alone. */
  isTokenRequest(path: string): boolean;
}

export const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;
