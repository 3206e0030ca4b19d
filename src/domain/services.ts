// The domain as commands use it: every area's operations already bound to the database (and the outbox).
import type { Db } from "../db/database.ts";
import type { Outbox } from "../outbox/outbox.ts";
import { ackAlert, escalateByHand, snoozeAlert } from "./alerts/changes.ts";
import { type NoticeDeps, sendDueNotices } from "./alerts/notices.ts";
import { alertWasSentTo, alertWasSentToPerson } from "./alerts/sent-to.ts";
import { findAlert, findAlertByNumber } from "./alerts/store.ts";
import { alertCalendar } from "./alerts/sweep.ts";
import { setCalendarDays, unsetCalendarDays } from "./calendar/override-changes.ts";
import { listCalendarOverrides, loadCalendarOverrides } from "./calendar/overrides-repository.ts";
import {
  openComplaint,
  rateComplaint,
  resolveComplaint,
  respondToComplaint,
  takeComplaint,
} from "./complaints/changes.ts";
import { findComplaint, listComplaints } from "./complaints/store.ts";
import { decideExpense, findExpense, requestExpense } from "./finance/expenses.ts";
import { reconcileDay } from "./finance/reconciliation.ts";
import { findActiveArea, inspectionsInWindow, listActiveAreas } from "./inspections/areas.ts";
import {
  addArea,
  addItem,
  changeItem,
  retireArea,
  retireItem,
  setCutoff,
} from "./inspections/checklist-edits.ts";
import { submitInspection } from "./inspections/submit.ts";
import { computeKpis } from "./kpi/compute.ts";
import { addEquipment, listEquipment, recordService } from "./maintenance/equipment.ts";
import { addMeetingAction, recordMinutes, scheduleMeeting } from "./meetings/changes.ts";
import { findMeeting } from "./meetings/store.ts";
import {
  assignOrderLine,
  cancelOrder,
  completeOrder,
  confirmOrder,
  delayOrder,
  draftOrder,
  listLines,
  listOrders,
  loadSchedule,
  prioritiseOrder,
  setLineCapacity,
} from "./orders/index.ts";
import { findOrder } from "./orders/orders-repository.ts";
import { redeemBindCode, requestBindCode, unbindAccount } from "./people/binding.ts";
import { knownPerson, personForContact } from "./people/people.ts";
import { grantRole, revokeRole, rolesOf } from "./people/roles.ts";
import { createLot, findLot, listLots, recordSample, releaseLot } from "./quality/lots.ts";
import { computeReviewPack } from "./review/pack.ts";
import { closeRisk, planRisk, raiseRisk } from "./risks/changes.ts";
import { riskRegister } from "./risks/store.ts";
import { changeRosterPost, rosterOf } from "./roster/roster.ts";
import {
  closeLead,
  complaintFromFeedback,
  convertLead,
  findSalesEntry,
  logSalesEntry,
} from "./sales/entries.ts";
import { defineStockItem, recordStockMovement } from "./stock/changes.ts";
import { listStock } from "./stock/status.ts";
import {
  closeStocktake,
  countStocktakeLine,
  findStocktake,
  listStocktakes,
  startStocktake,
} from "./stocktake/sessions.ts";
import { chatSubscriptions, chatWebhook, subscribe, unsubscribe } from "./subscriptions/subscriptions.ts";
import { probesOf } from "./system-check/probe.ts";
import { listTargets, setTarget } from "./targets/targets.ts";
import { completeTask, createTask, snoozeTask } from "./tasks/changes.ts";
import { findTask, listTasks, tasksOfSource } from "./tasks/store.ts";
import { answerPractice, startPractice } from "./training/practice.ts";
import { listTraining, logTraining } from "./training/records.ts";

// biome-ignore lint/suspicious/noExplicitAny: any parameter list binds; Bound keeps each one's own types.
type Operation = (db: Db, ...args: any[]) => unknown;
type Bound<F> = F extends (db: Db, ...args: infer A) => infer R ? (...args: A) => R : never;

/** `urgent`: OPS_URGENT=on, the top of the ladder also goes out as the platforms' urgent notice. */
export function createDomainServices({ db, outbox, urgent }: { db: Db; outbox: Outbox; urgent?: boolean }) {
  const bind = <F extends Operation>(operation: F): Bound<F> =>
    ((...args: unknown[]) => operation(db, ...args)) as Bound<F>;
  return {
    orders: {
      draft: bind(draftOrder),
      confirm: bind(confirmOrder),
      cancel: bind(cancelOrder),
      complete: bind(completeOrder),
      delay: bind(delayOrder),
      list: bind(listOrders),
      find: bind(findOrder),
      prioritise: bind(prioritiseOrder),
      assignLine: bind(assignOrderLine),
    },
    production: {
      setLine: bind(setLineCapacity),
      lines: bind(listLines),
      schedule: bind(loadSchedule),
    },
    calendar: {
      overrides: bind(loadCalendarOverrides),
      list: bind(listCalendarOverrides),
      set: bind(setCalendarDays),
      unset: bind(unsetCalendarDays),
    },
    complaints: {
      open: bind(openComplaint),
      take: bind(takeComplaint),
      respond: bind(respondToComplaint),
      resolve: bind(resolveComplaint),
      rate: bind(rateComplaint),
      find: bind(findComplaint),
      list: bind(listComplaints),
    },
    alerts: {
      find: bind(findAlert),
      findByNumber: bind(findAlertByNumber),
      wasSentTo: bind(alertWasSentTo),
      wasSentToPerson: bind(alertWasSentToPerson),
      ack: bind(ackAlert),
      snooze: bind(snoozeAlert),
      escalate: bind(escalateByHand),
      calendar: bind(alertCalendar),
      sendDueNotices: (
        deps: Omit<NoticeDeps, "db" | "outbox" | "urgent">,
        now: Date,
        ids?: readonly number[],
      ) => sendDueNotices({ ...deps, db, outbox, urgent: urgent === true }, now, ids),
    },
    inspections: {
      findActiveArea: bind(findActiveArea),
      listActiveAreas: bind(listActiveAreas),
      inWindow: bind(inspectionsInWindow),
      submit: (...args: Parameters<typeof submitInspection> extends [unknown, ...infer A] ? A : never) =>
        submitInspection({ db, outbox, urgent: urgent === true }, ...args),
    },
    systemCheck: { probes: bind(probesOf) },
    checklists: {
      addArea: bind(addArea),
      retireArea: bind(retireArea),
      setCutoff: bind(setCutoff),
      addItem: bind(addItem),
      changeItem: bind(changeItem),
      retireItem: bind(retireItem),
    },
    kpi: { compute: bind(computeKpis), calendarOverrides: bind(loadCalendarOverrides) },
    people: {
      forContact: bind(personForContact),
      known: bind(knownPerson),
      rolesOf: bind(rolesOf),
      grantRole: bind(grantRole),
      revokeRole: bind(revokeRole),
      requestBindCode: bind(requestBindCode),
      redeemBindCode: (
        ...args: Parameters<typeof redeemBindCode> extends [unknown, ...infer A] ? A : never
      ) => redeemBindCode({ db, outbox }, ...args),
      unbind: bind(unbindAccount),
    },
    meetings: {
      schedule: (
        ...args: Parameters<typeof scheduleMeeting> extends [unknown, unknown, ...infer A] ? A : never
      ) => scheduleMeeting(db, outbox, ...args),
      minutes: bind(recordMinutes),
      action: bind(addMeetingAction),
      find: bind(findMeeting),
    },
    maintenance: { add: bind(addEquipment), done: bind(recordService), list: bind(listEquipment) },
    quality: {
      create: bind(createLot),
      sample: bind(recordSample),
      release: bind(releaseLot),
      find: bind(findLot),
      list: bind(listLots),
    },
    stock: { define: bind(defineStockItem), record: bind(recordStockMovement), list: bind(listStock) },
    stocktake: {
      start: bind(startStocktake),
      count: bind(countStocktakeLine),
      close: bind(closeStocktake),
      find: bind(findStocktake),
      list: bind(listStocktakes),
    },
    tasks: {
      create: bind(createTask),
      complete: bind(completeTask),
      snooze: bind(snoozeTask),
      find: bind(findTask),
      list: bind(listTasks),
      ofSource: bind(tasksOfSource),
    },
    risks: {
      raise: bind(raiseRisk),
      plan: bind(planRisk),
      close: bind(closeRisk),
      register: bind(riskRegister),
    },
    targets: { set: bind(setTarget), list: bind(listTargets) },
    training: {
      log: bind(logTraining),
      list: bind(listTraining),
      startPractice: bind(startPractice),
      answerPractice: bind(answerPractice),
    },
    review: { pack: bind(computeReviewPack) },
    sales: {
      log: bind(logSalesEntry),
      find: bind(findSalesEntry),
      convert: bind(convertLead),
      close: bind(closeLead),
      complaintFrom: bind(complaintFromFeedback),
    },
    finance: {
      reconcile: bind(reconcileDay),
      findExpense: bind(findExpense),
      request: (...args: Parameters<typeof requestExpense> extends [unknown, ...infer A] ? A : never) =>
        requestExpense({ db, outbox }, ...args),
      decide: (...args: Parameters<typeof decideExpense> extends [unknown, ...infer A] ? A : never) =>
        decideExpense({ db, outbox }, ...args),
    },
    roster: { change: bind(changeRosterPost), of: bind(rosterOf) },
    subscriptions: {
      ofChat: bind(chatSubscriptions),
      chatWebhook: bind(chatWebhook),
      subscribe: bind(subscribe),
      unsubscribe: bind(unsubscribe),
    },
  };
}

export type DomainServices = ReturnType<typeof createDomainServices>;
