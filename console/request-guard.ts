// The console's guard against other web pages, DNS rebinding and proxies: Host, Origin, forwarding headers, the page's token, JSON only.
import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "../src/platforms/shared/web-crypto.ts";

/** The header every console API call carries the page's token in. */
export const CONSOLE_TOKEN_HEADER = "x-console-token";

/** Headers a proxy adds: behind one, every caller would look like loopback, so the console refuses them all. */
const FORWARDING_HEADERS = [
  "forwarded",
  "via",
  "x-real-ip",
  "x-client-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "x-cluster-client-ip",
  "fastly-client-ip",
] as const;
const isForwarding = (name: string) =>
  (FORWARDING_HEADERS as readonly string[]).includes(name) || name.startsWith("x-forwarded-");

/** A fresh token for this process, handed to the page it serves and nowhere else. */
export const createConsoleToken = (): string => randomBytes(32).toString("base64url");

const refuse = (reason: string) => Response.json({ error: "forbidden", reason }, { status: 403 });

/**
 * For every console route: the Host must name this server on loopback (localhost, 127.0.0.1 or [::1] with its
 * port: a DNS-rebinding name fails here), an Origin must be that same origin, and no forwarding header may be
 * present (a proxy on the same host would make every caller loopback).
 */
export function sameMachineOnly(port: number): MiddlewareHandler {
  const hosts = ["localhost", "127.0.0.1", "[::1]"].map((name) => `${name}:${port}`);
  return async (c, next) => {
    const headers = c.req.raw.headers;
    const forwarded = [...headers.keys()].find(isForwarding);
    if (forwarded) return refuse(`forwarded request (${forwarded})`);
    const host = (headers.get("host") ?? "").toLowerCase();
    if (!hosts.includes(host)) return refuse("foreign host");
    const origin = headers.get("origin");
    if (origin !== null && origin.toLowerCase() !== `http://${host}`) return refuse("foreign origin");
    await next();
  };
}

/** For the console API: the page's token in CONSOLE_TOKEN_HEADER (compared in constant time), and JSON bodies only. */
export function pageTokenAndJson(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (!timingSafeEqual(c.req.header(CONSOLE_TOKEN_HEADER) ?? "", token))
      return refuse("missing or wrong token");
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
      if (type !== "application/json")
        return Response.json(
          { error: "unsupported_media_type", message: "the console API takes application/json only" },
          { status: 415 },
        );
    }
    await next();
  };
}
