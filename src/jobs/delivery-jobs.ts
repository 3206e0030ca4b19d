// Jobs that keep the message flow moving: the inbox sweep and the outbox drain, every minute.
import type { Job } from "./job.ts";

export const inboxSweepJob: Job = {
  name: "inbox-sweep",
  cron: "* * * * *",
  description: "run again the inbound events whose processing did not finish",
  async run({ dispatch }) {
    const { done, failed } = await dispatch.sweep();
    return `${done} events processed, ${failed} failed`;
  },
};

export const outboxDrainJob: Job = {
  name: "outbox-drain",
  cron: "* * * * *",
  description: "send due outbound messages (retries, scheduled pushes) within the platform limits",
  async run({ outbox }) {
    const counts = await outbox.drain();
    return `${counts.sent} sent, ${counts.retried} to retry, ${counts.failed} failed, ${counts.deferred} deferred`;
  },
};
