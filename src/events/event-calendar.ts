import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { CampaignEvent } from './campaign-event.entity';

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

// Building an Intl.DateTimeFormat costs far more than using one; a VTIMEZONE needs hundreds.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Wall-clock parts of an instant in a zone. */
function wallClock(date: Date, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = formatterFor(timeZone).formatToParts(date);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** The zone's offset from UTC at an instant, in minutes. */
export function zoneOffsetMinutes(date: Date, timeZone: string): number {
  const w = wallClock(date, timeZone);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / MINUTE);
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');
const icsOffset = (minutes: number): string =>
  `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;

/**
 * A VTIMEZONE for the zone around the event (RFC 5545 wants one for every TZID; Outlook
 * needs it): the zone's real transitions from a year before to a year after, found with
 * Intl, as dated observances. No rules are guessed, so a zone's odd history stays right.
 */
export function vtimezone(timeZone: string, around: Date): string {
  const from = around.getTime() - 366 * DAY;
  const to = around.getTime() + 366 * DAY;
  const transitions: Array<{ at: number; before: number; after: number }> = [];
  let previous = zoneOffsetMinutes(new Date(from), timeZone);
  // Week by week (zones change offset at most a few times a year), then to the minute.
  for (let t = from + WEEK; t <= to; t += WEEK) {
    const offset = zoneOffsetMinutes(new Date(t), timeZone);
    if (offset === previous) continue;
    let lo = t - WEEK;
    let hi = t;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (zoneOffsetMinutes(new Date(mid), timeZone) === previous) lo = mid;
      else hi = mid;
    }
    transitions.push({ at: hi, before: previous, after: offset });
    previous = offset;
  }
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  const observance = (kind: string, start: string, before: number, after: number): void => {
    lines.push(`BEGIN:${kind}`, `DTSTART:${start}`, `TZOFFSETFROM:${icsOffset(before)}`, `TZOFFSETTO:${icsOffset(after)}`, `END:${kind}`);
  };
  if (transitions.length === 0) {
    const offset = zoneOffsetMinutes(around, timeZone);
    observance('STANDARD', '19700101T000000', offset, offset);
  }
  const offsets = transitions.map((t) => t.after);
  const standard = Math.min(...offsets);
  for (const t of transitions) {
    // The observance starts at the wall-clock time of the change, read in the old offset.
    const start = new Date(t.at + t.before * MINUTE);
    const local = `${pad(start.getUTCFullYear(), 4)}${pad(start.getUTCMonth() + 1)}${pad(start.getUTCDate())}T${pad(start.getUTCHours())}${pad(start.getUTCMinutes())}00`;
    observance(t.after > standard ? 'DAYLIGHT' : 'STANDARD', local, t.before, t.after);
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

export interface CalendarOptions {
  /** Host of PUBLIC_URL, for a UID that stays the same in every email about the event. */
  host: string;
  /** Only attendees who are going learn a private address. */
  includeAddress: boolean;
}

/** The event's place as one line, with the address only where it may be told. */
export function locationLine(event: CampaignEvent, includeAddress: boolean): string | null {
  const parts = [event.locationName, includeAddress || !event.locationPrivate ? event.locationAddress : null].filter(
    (p): p is string => !!p,
  );
  return parts.length > 0 ? parts.join(', ') : null;
}

/**
 * The .ics attached to an attendee's email. DTSTART/DTEND carry the event's IANA zone
 * (with its VTIMEZONE), the UID is the event's, SEQUENCE its revision, so a later
 * invitation updates the calendar entry instead of adding another.
 */
export function buildEventCalendar(event: CampaignEvent, options: CalendarOptions): string {
  const calendar = ical({
    prodId: { company: 'campaign-platform', product: 'events', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    // No calendar-wide zone (it would make DTSTAMP a local time); the generator only adds
    // the VTIMEZONE of the event's own zone, which its DTSTART/DTEND name in TZID.
    timezone: { name: null, generator: (tz: string) => vtimezone(tz, event.startsAt) },
  });
  const location = locationLine(event, options.includeAddress);
  // A wall-clock time that happens twice (the hour clocks go back) is read differently by
  // different clients: such an event is written in UTC, exact everywhere.
  const zoned = !isAmbiguous(event.startsAt, event.timezone) && !isAmbiguous(event.endsAt, event.timezone);
  calendar.createEvent({
    id: `${event.id}@${options.host}`,
    sequence: event.revision,
    // ical-generator renders a zoned time from the Date's local fields: hand it a Date
    // whose local fields are the event zone's wall clock, whatever zone this process runs in.
    start: zoned ? localFieldsDate(event.startsAt, event.timezone) : event.startsAt,
    end: zoned ? localFieldsDate(event.endsAt, event.timezone) : event.endsAt,
    timezone: zoned ? event.timezone : null,
    stamp: new Date(),
    summary: event.title,
    description: [event.description, event.locationOnline && event.locationUrl ? event.locationUrl : null].filter(Boolean).join('\n\n'),
    location: location ?? undefined,
    url: event.locationUrl ?? undefined,
    status: event.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  // RFC 5545: every content line ends with CRLF, the last one included.
  const ics = calendar.toString();
  return ics.endsWith('\r\n') ? ics : `${ics}\r\n`;
}

/** Whether the zone shows the same wall-clock time at another instant within three hours. */
function isAmbiguous(date: Date, timeZone: string): boolean {
  const key = JSON.stringify(wallClock(date, timeZone));
  for (let minutes = -180; minutes <= 180; minutes += 15) {
    if (minutes !== 0 && JSON.stringify(wallClock(new Date(date.getTime() + minutes * MINUTE), timeZone)) === key) return true;
  }
  return false;
}

/** A Date whose local-time getters give the zone's wall clock at `date`. */
function localFieldsDate(date: Date, timeZone: string): Date {
  const w = wallClock(date, timeZone);
  return new Date(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
}
