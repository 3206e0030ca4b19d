// Every number of the company's operating procedure, in one place: handlers and jobs read them here, /rules shows them.

/** Complaints: a first response within 24 clock hours, resolution within 3 working days. */
export const FIRST_RESPONSE_HOURS = 24;
export const RESOLUTION_WORKING_DAYS = 3;

/** Alerts: warn when this share of a clock has run; repeat an unanswered alert; escalate one left unanswered. */
export const WARNING_SHARE = 0.75;
export const REPEAT_WORKING_HOURS = 4;
export const ESCALATE_AFTER_WORKING_DAYS = 1;

/** Orders more than this many calendar days past their original due date call a special review meeting. */
export const REVIEW_AFTER_DAYS = 5;

/** Customer satisfaction: at least this share (percent) of the scores given are 4 or 5. */
export const CSAT_TARGET_PERCENT = 85;

/** The morning digest goes out at this time on working days unless a group chose another. */
export const DEFAULT_DIGEST_TIME = "09:00";

// Stock.
/** Safety stock = this many days of daily use of each material. */
export const SAFETY_STOCK_DAYS = 3;
/** Daily use is the average of the outflows recorded over this many days… */
export const DAILY_USE_WINDOW_DAYS = 30;
/** …once outflows were recorded on at least this many of them; until then, the declared daily use. */
export const DAILY_USE_MIN_RECORDED_DAYS = 7;

// Maintenance.
/** Every service due within this many days gets its task: maintenance is scheduled one week ahead. */
export const MAINTENANCE_AHEAD_DAYS = 7;

// Tasks
/** The owner is reminded at this time on the working day before a task's due date. */
export const TASK_REMINDER_TIME = "09:00";
/** Snooze on a task's card pushes its reminder (never its due date) by this many working hours. */
export const TASK_SNOOZE_WORKING_HOURS = 4;
