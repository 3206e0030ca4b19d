// Every number of the company's operating procedure, in one place: handlers and jobs read them here, /rules shows them.

/** The part of the procedure a number belongs to; /rules groups by it in this order. */
export type PolicyStage =
  | "preparation"
  | "core"
  | "orders"
  | "service"
  | "quality"
  | "alerts"
  | "reporting"
  | "improvement";

/** What a number counts; /rules puts it into words ("24 小时", "75 %", "09:00"). */
export type PolicyUnit =
  | "minutes"
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

// Linking one person's accounts (/bind): a one-time code, and a limit on wrong codes against guessing.
export const BIND_CODE_VALID_MINUTES: number = rule(
  "BIND_CODE_VALID_MINUTES",
  "preparation",
  10,
  "minutes",
  "绑定账号的一次性验证码有效期",
  "A one-time account binding code is valid for",
);
export const BIND_FAILED_ATTEMPTS_MAX: number = rule(
  "BIND_FAILED_ATTEMPTS_MAX",
  "preparation",
  5,
  "count",
  "每个账号在下述时段内最多可输错绑定验证码的次数",
  "Wrong binding codes an account may try within the window below",
);
export const BIND_ATTEMPT_WINDOW_MINUTES: number = rule(
  "BIND_ATTEMPT_WINDOW_MINUTES",
  "preparation",
  60,
  "minutes",
  "绑定验证码输错次数的统计时段",
  "The window wrong binding codes are counted in",
);

// Production schedule
/** Groups subscribed to the schedule get each working day's plan at this time unless they chose another. */
export const SCHEDULE_TIME: string = rule(
  "SCHEDULE_TIME",
  "orders",
  "08:00",
  "time",
  "工作日排产计划默认推送时间",
  "Each working day's production plan goes out at",
);
/** The schedule follows each line's queue this many working days ahead; an order finishing later is "beyond". */
export const SCHEDULE_HORIZON_WORKING_DAYS: number = rule(
  "SCHEDULE_HORIZON_WORKING_DAYS",
  "orders",
  500,
  "working_days",
  "排产向前推算的范围",
  "The schedule follows each line's queue ahead for",
);
/** The most units a line may make in one working day: a larger number is a typing mistake. */
export const LINE_CAPACITY_MAX: number = rule(
  "LINE_CAPACITY_MAX",
  "orders",
  1_000_000,
  "count",
  "一条产线每个工作日产能的上限",
  "The most units a line may make in one working day",
);

// Risk register
/** Likelihood and impact are each scored on this scale; the score is their product. */
export const RISK_SCALE_MIN: number = rule(
  "RISK_SCALE_MIN",
  "preparation",
  1,
  "count",
  "风险可能性、影响评分的下限",
  "The lowest likelihood or impact of a risk",
);
export const RISK_SCALE_MAX: number = rule(
  "RISK_SCALE_MAX",
  "preparation",
  5,
  "count",
  "风险可能性、影响评分的上限",
  "The highest likelihood or impact of a risk",
);
/** A risk whose score (likelihood × impact) reaches this is high and needs a plan with an owner. */
export const RISK_HIGH_SCORE: number = rule(
  "RISK_HIGH_SCORE",
  "preparation",
  15,
  "count",
  "风险评分 (可能性 × 影响) 达到此值为高风险, 须有应对计划和负责人",
  "A risk scoring (likelihood × impact) this or more is high and needs a plan with an owner",
);
/** A high risk still without a plan this long after it was raised is alerted. */
export const RISK_PLAN_GRACE_WORKING_DAYS: number = rule(
  "RISK_PLAN_GRACE_WORKING_DAYS",
  "preparation",
  1,
  "working_days",
  "高风险登记后须在此时长内制定应对计划, 否则告警",
  "A high risk without a plan is alerted this long after it was raised",
);
/** A plan's task is due this many working days after it was planned unless the plan names its date. */
export const RISK_PLAN_DUE_WORKING_DAYS: number = rule(
  "RISK_PLAN_DUE_WORKING_DAYS",
  "preparation",
  5,
  "working_days",
  "应对计划未写截止日期时, 其待办在此时长后到期",
  "A risk plan's task is due after this when the plan names no date",
);

// Review and improvement: special meetings, the monthly review pack, training every quarter, practice orders.
/** "Schedule meeting" on a late order's alert suggests this time on the next working day. */
export const MEETING_SUGGESTED_TIME: string = rule(
  "MEETING_SUGGESTED_TIME",
  "improvement",
  "10:00",
  "time",
  "专项会议默认建议在下一个工作日的此时间召开",
  "A special meeting is suggested for the next working day at",
);
/** The previous month's review pack goes out on the first working day of each month at this time. */
export const REVIEW_PACK_TIME: string = rule(
  "REVIEW_PACK_TIME",
  "improvement",
  "09:30",
  "time",
  "每月第一个工作日发送上月评审材料的时间",
  "The previous month's review pack goes out on the month's first working day at",
);
/** Each section of the review pack lists at most this many items; the count beside it is always whole. */
export const REVIEW_PACK_SECTION_ITEMS: number = rule(
  "REVIEW_PACK_SECTION_ITEMS",
  "improvement",
  10,
  "count",
  "评审材料每部分最多列出的条目数",
  "Items listed per section of the review pack, at most",
);
/** Everyone is trained every quarter: from the quarter's last month, the untrained are listed to the managers. */
export const TRAINING_GAP_TIME: string = rule(
  "TRAINING_GAP_TIME",
  "improvement",
  "09:30",
  "time",
  "季度最后一个月每周第一个工作日向经理列出本季度未培训人员的时间",
  "In a quarter's last month, the people not yet trained that quarter are listed to the managers on each week's first working day at",
);
/** A practice order passes with at least this share (percent) of its answers right. */
export const PRACTICE_PASS_PERCENT: number = rule(
  "PRACTICE_PASS_PERCENT",
  "improvement",
  75,
  "percent",
  "练习单及格分数",
  "A practice order passes with a score of at least",
);

// Quality sampling (质量控制): finished goods are sampled, not below 5 % of each lot.
/** A lot's required sample is ⌈this percent × lot size⌉ (whole numbers, no rounding of a product)… */
export const SAMPLE_PERCENT: number = rule(
  "SAMPLE_PERCENT",
  "core",
  5,
  "percent",
  "成品抽检比例 (每批次, 向上取整)",
  "Finished goods sampled per lot (rounded up)",
);
/** …and never fewer than this many units. */
export const SAMPLE_MIN: number = rule(
  "SAMPLE_MIN",
  "core",
  1,
  "count",
  "每批次最少抽检件数",
  "The fewest units sampled from a lot",
);
/** A lot whose defects exceed this percent of the units sampled (once its sample is met) is rejected. */
export const DEFECT_LIMIT_PERCENT: number = rule(
  "DEFECT_LIMIT_PERCENT",
  "core",
  2,
  "percent",
  "抽检不良率超过此值的批次判为不合格, 不得放行",
  "A lot with more defects than this share of its sample is rejected, never released",
);
/** The largest lot one /lot new may declare: a larger number is a typing mistake. */
export const LOT_SIZE_MAX: number = rule(
  "LOT_SIZE_MAX",
  "core",
  10_000_000,
  "count",
  "单个批次数量的上限",
  "The largest lot size",
);

// Stocktake (物料管理): every warehouse counted every calendar month, stock error rate below 2 %.
/** A count whose error rate Σ|counted − book| ÷ Σ book is above this percent alerts and asks for recounts. */
export const STOCK_ERROR_LIMIT_PERCENT: number = rule(
  "STOCK_ERROR_LIMIT_PERCENT",
  "core",
  2,
  "percent",
  "盘点误差率超过此值时告警并安排复盘",
  "A stocktake with an error rate above this alerts and gets recounts",
);
/** A recount task is due this many working days after the count was closed. */
export const RECOUNT_WORKING_DAYS: number = rule(
  "RECOUNT_WORKING_DAYS",
  "core",
  1,
  "working_days",
  "复盘待办的期限 (盘点结束后)",
  "Recounts are due after the count is closed within",
);
/** On the month's last working day from this time, each warehouse not yet counted that month is alerted. */
export const STOCKTAKE_MONTH_END_TIME: string = rule(
  "STOCKTAKE_MONTH_END_TIME",
  "core",
  "09:00",
  "time",
  "每月最后一个工作日提醒本月未盘点仓库的时间",
  "Warehouses not counted this month are alerted on its last working day at",
);

// The core stage: daily reconciliation and reimbursements.
/** Money is typed and kept with at most this many decimal places (fen): "12.345" is refused, never rounded. */
export const MONEY_DECIMALS: number = rule(
  "MONEY_DECIMALS",
  "core",
  2,
  "count",
  "金额最多的小数位数",
  "Decimal places an amount may have at most",
);
/** A working day's reconciliation is due by this time of the next working day; after it the alert groups are told. */
export const RECONCILE_BY_TIME: string = rule(
  "RECONCILE_BY_TIME",
  "core",
  "10:00",
  "time",
  "每个工作日的对账须在下一个工作日此时间前完成",
  "A working day is reconciled by the next working day at",
);
/** Unreconciled working days whose deadline passed within this many days are alerted (older ones were already). */
export const RECONCILE_LOOKBACK_DAYS: number = rule(
  "RECONCILE_LOOKBACK_DAYS",
  "core",
  7,
  "days",
  "检查此天数内到期的未对账工作日",
  "Unreconciled working days are looked for among deadlines of the last",
);
/** A reimbursement waiting for finance longer than this is alerted. */
export const EXPENSE_SIGN_WORKING_DAYS: number = rule(
  "EXPENSE_SIGN_WORKING_DAYS",
  "core",
  1,
  "working_days",
  "报销等待财务签批超过此时长即告警",
  "A reimbursement waiting for finance is alerted after",
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
