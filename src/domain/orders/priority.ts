// An order's priority: the production schedule makes high before normal before low.

export const PRIORITIES = ["high", "normal", "low"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** What an order gets until someone sets another. */
export const DEFAULT_PRIORITY: Priority = "normal";

/** 0 for high, 1 for normal, 2 for low: the schedule's first sort key. */
export const priorityRank = (priority: string): number => {
  const rank = PRIORITIES.indexOf(priority as Priority);
  return rank < 0 ? PRIORITIES.indexOf(DEFAULT_PRIORITY) : rank;
};
