// Jobs that keep the message flow moving: the inbox sweep and the outbox drain, every minute.
import { sweepInbox } from "../inbox/sweep.ts";
import type { Job } from "./job.ts";

export const inboxSweepJob: Job = {
  name: "inbox-sweep",
  cron: "* * * * *",
  description: "run again the inbound events whose processing did not finish",
  async run({ inbox, handler, log }) {
    const { done, failed } = await sweepInbox({ inbox, handler, log });
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
