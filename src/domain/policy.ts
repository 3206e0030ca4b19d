// Every number of the company's operating procedure, in one place: handlers and jobs read them here, /rules shows them.

/** The part of the procedure a number belongs to; /rules groups by it in this order. */
export type PolicyStage = "preparation" | "orders" | "service" | "quality" | "alerts" | "reporting";

/** What a number counts; /rules puts it into words ("24 小时", "75 %", "09:00"). */
export type PolicyUnit =
  | "seconds"
  | "hours"
  | "working_hours"
  | "days"
  | "working_days"
  | "percent"
  /** A share of 1 (0.75), shown as a percentage. */
  | "share"
  | "count"
  /** A time of day, "HH:MM". */
  | "time";

/** One number of the procedure as /rules shows it: its value, unit and what it means in both languages. */
export interface PolicyRule {
  name: string;
  stage: PolicyStage;
  value: number | string;
  unit: PolicyUnit;
  zh: string;
  en: string;
}

const rules: PolicyRule[] = [];

/** Every number declared below with `rule`, in declaration order: the one list /rules iterates. */
export const POLICY_RULES: readonly PolicyRule[] = rules;

/** Declares a number of the procedure: returns the value for the named constant and lists it for /rules. */
function rule<V extends number | string>(
  name: string,
  stage: PolicyStage,
  value: V,
  unit: PolicyUnit,
  zh: string,
  en: string,
): V {
  rules.push({ name, stage, value, unit, zh, en });
  return value;
}

// Complaints: a first response within 24 clock hours, resolution within 3 working days.
export const FIRST_RESPONSE_HOURS: number = rule(
  "FIRST_RESPONSE_HOURS",
  "service",
  24,
  "hours",
  "投诉首次回复期限 (自然小时)",
  "Complaint first response within (clock hours)",
);
export const RESOLUTION_WORKING_DAYS: number = rule(
  "RESOLUTION_WORKING_DAYS",
  "service",
  3,
  "working_days",
  "投诉解决期限",
  "Complaint resolved within",
);

// Alerts: warn when this share of a clock has run; repeat an unanswered alert; escalate one left unanswered.
export const WARNING_SHARE: number = rule(
  "WARNING_SHARE",
  "alerts",
  0.75,
  "share",
  "期限用去此比例时预警",
  "Warn when this share of a deadline has passed",
);
export const REPEAT_WORKING_HOURS: number = rule(
  "REPEAT_WORKING_HOURS",
  "alerts",
  4,
  "working_hours",
  "未确认的告警每隔此时长重复",
  "Repeat an unacknowledged alert every",
);
export const ESCALATE_AFTER_WORKING_DAYS: number = rule(
  "ESCALATE_AFTER_WORKING_DAYS",
  "alerts",
  1,
  "working_days",
  "告警无人确认此时长后升级给经理",
  "Escalate an unacknowledged alert to the managers after",
);

// Orders more than this many calendar days past their original due date call a special review meeting.
export const REVIEW_AFTER_DAYS: number = rule(
  "REVIEW_AFTER_DAYS",
  "orders",
  5,
  "days",
  "订单逾期超过此天数召开专项评审会",
  "An order this many days late calls a special review meeting",
);

// Customer satisfaction: at least this share (percent) of the scores given are 4 or 5.
export const CSAT_TARGET_PERCENT: number = rule(
  "CSAT_TARGET_PERCENT",
  "quality",
  85,
  "percent",
  "客户满意度目标 (4、5 分占比)",
  "Customer satisfaction target (share of 4 and 5 scores)",
);

// The morning digest goes out at this time on working days unless a group chose another.
export const DEFAULT_DIGEST_TIME: string = rule(
  "DEFAULT_DIGEST_TIME",
  "reporting",
  "09:00",
  "time",
  "工作日早报默认发送时间",
  "The morning digest goes out on working days at",
);

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
export const TASK_REMINDER_TIME: string = rule(
  "TASK_REMINDER_TIME",
  "preparation",
  "09:00",
  "time",
  "待办截止前一个工作日提醒负责人的时间",
  "A task's owner is reminded the working day before its due date at",
);
/** Snooze on a task's card pushes its reminder (never its due date) by this many working hours. */
export const TASK_SNOOZE_WORKING_HOURS: number = rule(
  "TASK_SNOOZE_WORKING_HOURS",
  "preparation",
  4,
  "working_hours",
  "待办“稍后提醒”推迟提醒 (不改截止日期)",
  "A task's Snooze pushes its reminder (never its due date) by",
);

// Targets and roster
/** The largest count a target may name; a rate target lies between 0 % and 100 %. */
export const TARGET_COUNT_MAX: number = rule(
  "TARGET_COUNT_MAX",
  "preparation",
  1_000_000,
  "count",
  "计数类目标的上限",
  "The largest count a target may name",
);
/** The roster keeps this share (percent) of spare people on top of each post's need. */
export const ROSTER_SPARE_PERCENT: number = rule(
  "ROSTER_SPARE_PERCENT",
  "preparation",
  10,
  "percent",
  "排班在需求人数之上预留的备用人员",
  "Spare people the roster keeps on top of each post's need",
);
/** Short posts of the next working day are alerted at this time the working day before, and again on the day. */
export const ROSTER_ALERT_DAY_BEFORE: string = rule(
  "ROSTER_ALERT_DAY_BEFORE",
  "preparation",
  "16:00",
  "time",
  "前一个工作日提醒次日缺员岗位的时间",
  "Short posts of the next working day are alerted the working day before at",
);
export const ROSTER_ALERT_ON_THE_DAY: string = rule(
  "ROSTER_ALERT_ON_THE_DAY",
  "preparation",
  "07:30",
  "time",
  "当天再次提醒缺员岗位的时间",
  "Short posts are alerted again on the day at",
);
/** The most people one post may need on one day: a larger number is a typing mistake. */
export const ROSTER_NEED_MAX: number = rule(
  "ROSTER_NEED_MAX",
  "preparation",
  10_000,
  "count",
  "一个岗位一天需求人数的上限",
  "The most people one post may need on one day",
);

// Inspections and the morning system check
/** A new inspection area is due by this time on working days unless its cut-off is set. */
export const INSPECTION_CUTOFF_DEFAULT: string = rule(
  "INSPECTION_CUTOFF_DEFAULT",
  "quality",
  "10:00",
  "time",
  "巡检区域默认每日截止时间",
  "A new inspection area is due on working days by",
);
/** The core systems are checked every working morning by this time, else the alert groups are told. */
export const SYSTEM_CHECK_CUTOFF: string = rule(
  "SYSTEM_CHECK_CUTOFF",
  "quality",
  "09:30",
  "time",
  "工作日早间系统检查截止时间",
  "The morning system check is due on working days by",
);
/** With OPS_SYSTEM_CHECKS set, the bot probes each system itself at this time on working days. */
export const SYSTEM_PROBE_TIME: string = rule(
  "SYSTEM_PROBE_TIME",
  "quality",
  "08:30",
  "time",
  "工作日自动探测系统的时间",
  "The systems are probed on working days at",
);
/** A probe that has no answer within this many seconds counts as unreachable. */
export const SYSTEM_PROBE_TIMEOUT_SECONDS: number = rule(
  "SYSTEM_PROBE_TIMEOUT_SECONDS",
  "quality",
  5,
  "seconds",
  "系统探测超时",
  "A system probe times out after",
);
