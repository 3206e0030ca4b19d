// stocktake-month-end: on the month's last working day, alerts every warehouse not counted that month (src/domain/stocktake).
import { alertNotice } from "../../commands/alerts/cards.ts";
import { alertUncountedWarehouses } from "../domain/stocktake/month-end.ts";
import type { Job } from "./job.ts";

export const stocktakeMonthEndJob: Job = {
  name: "stocktake-month-end",
  cron: "*/5 * * * *",
  description: "alert every warehouse not counted this month, on the month's last working day from 09:00",
  async run({ database: { db }, config, outbox, now }) {
    const { raised, sent } = await alertUncountedWarehouses(
      { db, outbox, timezone: config.timezone, draw: alertNotice },
      now,
    );
    return `${raised} warehouses not counted this month alerted (${sent} messages sent)`;
  },
};
