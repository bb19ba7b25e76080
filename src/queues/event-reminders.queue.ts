/**
 * The event-reminders queue: delayed jobs that remind going attendees before an event,
 * and the jobs that (re)plan them. Job ids carry the event's start time, so moving an
 * event makes new jobs and the old ones find the start changed and do nothing.
 */
export const EVENT_REMINDERS_QUEUE = 'event-reminders';

export const EventReminderJob = {
  /** Plan the reminders of one RSVP that became `going`. */
  PlanRsvp: 'plan-rsvp-reminders',
  /** Plan the reminders of every going RSVP of an event (its time or offsets changed). */
  PlanEvent: 'plan-event-reminders',
  /** Send one reminder (delayed until its time). */
  Send: 'send-reminder',
} as const;

export interface PlanRsvpRemindersPayload {
  rsvpId: string;
}

export interface PlanEventRemindersPayload {
  eventId: string;
}

export interface SendReminderPayload {
  rsvpId: string;
  /** Minutes before the start. */
  offset: number;
  /** The event's start (ms since the epoch) when the reminder was planned. */
  startsAt: number;
}

export const eventReminderJobId = {
  planRsvp: (rsvpId: string, goingAtMs: number): string => `plan-rsvp-${rsvpId}-${goingAtMs}`,
  planEvent: (eventId: string, revision: number): string => `plan-event-${eventId}-${revision}`,
  send: (p: SendReminderPayload): string => `reminder-${p.rsvpId}-${p.offset}-${p.startsAt}`,
};
