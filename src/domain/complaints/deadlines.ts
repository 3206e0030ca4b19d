// A complaint's two SLA deadlines from its receipt time: 24 clock hours to respond, 3 working days to resolve.
import { HOUR_MS } from "../calendar/local-time.ts";
import type { WorkingCalendar } from "../calendar/working-calendar.ts";
import { FIRST_RESPONSE_HOURS, RESOLUTION_WORKING_DAYS } from "../policy.ts";

export interface ComplaintDeadlines {
  responseDueAt: Date;
  resolutionDueAt: Date;
  /** Counted Monday–Friday through a year without published holiday data: it may still move. */
  resolutionDueProvisional: boolean;
}

/** The calendar must carry the admin overrides (loadCalendarOverrides) so that company days off count. */
export function complaintDeadlines(receivedAt: Date, calendar: WorkingCalendar): ComplaintDeadlines {
  const resolution = calendar.addWorkingDays(receivedAt, RESOLUTION_WORKING_DAYS);
  return {
    responseDueAt: new Date(receivedAt.getTime() + FIRST_RESPONSE_HOURS * HOUR_MS),
    resolutionDueAt: resolution.due,
    resolutionDueProvisional: resolution.provisional,
  };
}
