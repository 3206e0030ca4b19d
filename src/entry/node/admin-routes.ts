// Loopback-only admin routes of a Node server that owns an embedded database: `npm run job` hands jobs here.
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono } from "hono";
import { timingSafeEqual } from "../../platforms/shared/web-crypto.ts";

export interface AdminDeps {
  token: string;
  /** Runs a job once as if the clock read `at`; resolves with its outcome, or undefined for an unknown job. */
  runJob(name: string, at: Date | undefined): Promise<{ ok: boolean; summary: string } | undefined>;
}

export const isLoopback = (address: string | undefined) =>
  !!address && (address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127."));

export function createAdminRoutes(deps: AdminDeps): Hono {
  const admin = new Hono();
  admin.use("/admin/*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const presented = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!isLoopback(getConnInfo(c).remote.address) || !timingSafeEqual(presented, deps.token)) {
      return c.json({ error: "forbidden" }, 403);
    }
    await next();
  });
  admin.post("/admin/jobs/:name", async (c) => {
    const atText = c.req.query("at");
    const at = atText ? new Date(atText) : undefined;
    if (at && Number.isNaN(at.getTime()))
      return c.json({ error: "bad_at", message: "at must be an ISO 8601 time" }, 400);
    const outcome = await deps.runJob(c.req.param("name"), at);
    if (!outcome) return c.json({ error: "unknown_job" }, 404);
    return c.json(outcome, outcome.ok ? 200 : 500);
  });
  return admin;
}
