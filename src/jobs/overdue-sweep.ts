// The overdue-sweep job: every 5 minutes, alerts on late complaints, orders, inspections, reconciliations and
// reimbursements (src/domain/alerts).
import { alertNotice } from "../../commands/alerts/cards.ts";
import { sweepOverdue } from "../domain/alerts/sweep.ts";
import type { Job } from "./job.ts";

export const overdueSweepJob: Job = {
  name: "overdue-sweep",
  cron: "*/5 * * * *",
  description:
    "alert on complaint clocks, late orders, missed inspections, unreconciled working days and reimbursements waiting too long; repeat and escalate unacked alerts",
  async run({ database: { db }, config, outbox, now }) {
    const s = await sweepOverdue(
      { db, outbox, timezone: config.timezone, draw: alertNotice, urgent: config.urgent === true },
      now,
    );
    const { sent } = await s.sending;
    return `${s.raised} raised, ${s.cleared} cleared, ${s.superseded} superseded, ${s.escalated} escalated, ${s.notices} notices (${sent} messages sent)`;
  },
};
