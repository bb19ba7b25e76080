import { Injectable } from '@nestjs/common';
import { PeopleService } from './people.service';
import { PersonSectionRegistry } from './person-sections.registry';

/** What happened, read from a record's time fields. */
export type TimelineEvent = 'created' | 'confirmed' | 'subscribed' | 'unsubscribed' | 'given' | 'sent' | 'cancelled';

/**
 * One moment in a person's history: which section it comes from (`signups`, `signatures`,
 * `rsvps`, `deliveries`, `emails`, `consentRecords`, `subscriptions`...), what happened, and
 * what it was about (a petition's title, an event's, a list's, a mailing's name) as stored.
 */
export interface TimelineEntry {
  at: Date;
  section: string;
  event: TimelineEvent;
  /** What the record is about, as typed by whoever typed it (shown escaped). */
  subject: string | null;
  /** The record's status now (`confirmed`, `going`, `sent`...), when it has one. */
  status: string | null;
}

/** Time fields every section uses for the same thing, and the event each one means. */
const TIME_FIELDS: Array<[string, TimelineEvent]> = [
  ['createdAt', 'created'],
  ['givenAt', 'given'],
  ['subscribedAt', 'subscribed'],
  ['confirmedAt', 'confirmed'],
  ['sentAt', 'sent'],
  ['unsubscribedAt', 'unsubscribed'],
  ['cancelledAt', 'cancelled'],
];
/** Fields naming what a record is about, first found wins. */
const SUBJECT_FIELDS = ['petitionTitle', 'eventTitle', 'mailingName', 'listName', 'list', 'kind', 'form'];
/** A person's page shows at most this many moments (the subject-access download has everything). */
const TIMELINE_MAX = 1_000;

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/**
 * A person's timeline (the console's person page): sign-ups, signatures, RSVPs, deliveries
 * and transactional emails, consent records, subscriptions and unsubscribes, newest first.
 * Built from the same sections as the subject-access export (`PersonSectionRegistry`), so
 * a feature that adds a section appears here without a change; a subscription's
 * `createdAt` is left out (its `subscribedAt`/`unsubscribedAt` say what mattered).
 */
@Injectable()
export class PersonTimelineService {
  constructor(
    private readonly people: PeopleService,
    private readonly sections: PersonSectionRegistry,
  ) {}

  /** Throws NotFoundException for an unknown person. */
  async timeline(personId: string): Promise<TimelineEntry[]> {
    await this.people.get(personId);
    const sections = this.sections.all();
    const loaded = await Promise.all(sections.map((s) => s.load(personId)));
    const entries: TimelineEntry[] = [];
    sections.forEach((section, i) => {
      for (const raw of loaded[i]) {
        if (!raw || typeof raw !== 'object') continue;
        const row = raw as Record<string, unknown>;
        const subjectField = SUBJECT_FIELDS.find((f) => typeof row[f] === 'string' && row[f] !== '');
        const subject = subjectField ? (row[subjectField] as string) : null;
        const status = typeof row.status === 'string' ? row.status : typeof row.action === 'string' ? row.action : null;
        for (const [field, event] of TIME_FIELDS) {
          if (section.key === 'subscriptions' && field === 'createdAt') continue;
          const at = toDate(row[field]);
          if (at) entries.push({ at, section: section.key, event, subject, status });
        }
      }
    });
    entries.sort((a, b) => b.at.getTime() - a.at.getTime() || a.section.localeCompare(b.section));
    return entries.slice(0, TIMELINE_MAX);
  }
}
