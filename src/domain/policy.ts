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

// Targets and roster.

/** The largest count a target may name; a rate target lies between 0 % and 100 %. */
export const TARGET_COUNT_MAX = 1_000_000;

/** The roster keeps this share (percent) of spare people on top of each post's need. */
export const ROSTER_SPARE_PERCENT = 10;

/** Short posts of the next working day are alerted at this time the working day before, and again on the day. */
export const ROSTER_ALERT_DAY_BEFORE = "16:00";
export const ROSTER_ALERT_ON_THE_DAY = "07:30";

/** The most people one post may need on one day: a larger number is a typing mistake. */
export const ROSTER_NEED_MAX = 10_000;
