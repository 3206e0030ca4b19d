// The maintenance-schedule job: every 5 minutes, every service due within a week gets its task (src/domain/maintenance).
import { scheduleMaintenance } from "../domain/maintenance/equipment.ts";
import type { Job } from "./job.ts";

export const maintenanceScheduleJob: Job = {
  name: "maintenance-schedule",
  cron: "*/5 * * * *",
  description: "give every equipment service due within a week its task for the maintenance owner",
  async run({ database: { db }, config, now }) {
    return `${await scheduleMaintenance(db, now, config.timezone)} service tasks created`;
  },
};
