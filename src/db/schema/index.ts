// Every table of the database, for drizzle and drizzle-kit.
export * from "./alerts.ts";
export * from "./complaints.ts";
export * from "./equipment.ts";
export * from "./inspections.ts";
export * from "./orders.ts";
export * from "./roster.ts";
export * from "./sequences.ts";
export * from "./shared.ts";
export * from "./stock.ts";
export * from "./system-checks.ts";
export * from "./targets.ts";
export * from "./tasks.ts";
