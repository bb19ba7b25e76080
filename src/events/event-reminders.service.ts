import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Clock } from '../common/clock';
import { resolveLanguage } from '../common/languages';
import { TransactionRunner } from '../database/database.module';
import { EmailMessageRepository } from '../mail/email-message.repository';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { EVENT_REMINDERS_QUEUE, EventReminderJob, eventReminderJobId } from '../queues/event-reminders.queue';
import type { PlanEventRemindersPayload, PlanRsvpRemindersPayload, SendReminderPayload } from '../queues/event-reminders.queue';
import { OnJob } from '../queues/job-handlers';
import { CampaignEvent } from './campaign-event.entity';
import { EventsRepository } from './events.repository';
import { Rsvp } from './rsvp.entity';
import { EventEmail } from './seat-allocation.service';

const MINUTE = 60_000;
/** A job that fires this much before its time (clock skew) still counts as on time. */
const EARLY_TOLERANCE_MS = 60_000;

/** The dedupe key of one reminder: one email per RSVP, offset and start time, ever. */
export function reminderKey(p: SendReminderPayload): string {
  return `reminder:${p.rsvpId}:${p.offset}:${p.startsAt}`;
}

/**
 * Reminders before an event. Delayed jobs give the timing; PostgreSQL holds the truth
 * (the event's start and offsets, the RSVP's status, and the reminder's email row, whose
 * unique dedupe key is the "sent once" lock). So a job that fires for a moved, cancelled
 * or started event does nothing, a job run twice sends once, and the sweeper sends any
 * reminder that is due and was not sent because Redis lost its job.
 */
@Injectable()
export class EventRemindersService {
  private readonly logger = new Logger(EventRemindersService.name);

  constructor(
    @InjectQueue(EVENT_REMINDERS_QUEUE) private readonly queue: Queue,
    private readonly events: EventsRepository,
    private readonly messages: EmailMessageRepository,
    private readonly mail: TransactionalMailService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  @OnJob({ queue: EVENT_REMINDERS_QUEUE, name: EventReminderJob.PlanRsvp })
  async onPlanRsvp(data: PlanRsvpRemindersPayload): Promise<void> {
    await this.planRsvp(data.rsvpId);
  }

  @OnJob({ queue: EVENT_REMINDERS_QUEUE, name: EventReminderJob.PlanEvent })
  async onPlanEvent(data: PlanEventRemindersPayload): Promise<void> {
    await this.planEvent(data.eventId);
  }

  @OnJob({ queue: EVENT_REMINDERS_QUEUE, name: EventReminderJob.Send })
  async onSend(data: SendReminderPayload): Promise<void> {
    await this.send(data);
  }

  /** Adds the delayed jobs of one going RSVP (job ids make adding twice harmless). */
  async planRsvp(rsvpId: string): Promise<number> {
    const rsvp = await this.events.findRsvp(rsvpId);
    const event = rsvp ? await this.events.findEvent(rsvp.eventId) : null;
    if (!rsvp || !event) return 0;
    return this.plan(event, [rsvp]);
  }

  /** The event moved or its offsets changed: plan every going RSVP for the new times. */
  async planEvent(eventId: string): Promise<number> {
    const event = await this.events.findEvent(eventId);
    if (!event || event.status !== 'published') return 0;
    let planned = 0;
    let after: string | null = null;
    for (;;) {
      const ids = await this.events.goingRsvpIds(eventId, after, 500);
      if (ids.length === 0) break;
      for (const id of ids) {
        const rsvp = await this.events.findRsvp(id);
        if (rsvp) planned += await this.plan(event, [rsvp]);
      }
      after = ids[ids.length - 1];
    }
    return planned;
  }

  private async plan(event: CampaignEvent, rsvps: Rsvp[]): Promise<number> {
    const now = this.clock.now().getTime();
    const jobs = [];
    for (const rsvp of rsvps) {
      if (!this.sendable(event, rsvp)) continue;
      for (const offset of event.reminders) {
        const payload: SendReminderPayload = { rsvpId: rsvp.id, offset, startsAt: event.startsAt.getTime() };
        const due = payload.startsAt - offset * MINUTE;
        // Already due: the sweeper sends it; before the person was going: never due.
        if (due <= now || due < (rsvp.goingAt?.getTime() ?? 0)) continue;
        jobs.push({ name: EventReminderJob.Send, data: payload, opts: { jobId: eventReminderJobId.send(payload), delay: due - now } });
      }
    }
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    return jobs.length;
  }

  /**
   * Sends one reminder if it is still true and due: the RSVP going, the event published
   * and starting at the planned time with this offset, not yet started. Returns whether an
   * email went out now.
   */
  async send(p: SendReminderPayload): Promise<boolean> {
    const rsvp = await this.events.findRsvp(p.rsvpId);
    const event = rsvp ? await this.events.findEvent(rsvp.eventId) : null;
    if (!rsvp || !event || !this.sendable(event, rsvp)) return false;
    if (event.startsAt.getTime() !== Number(p.startsAt) || !event.reminders.includes(p.offset)) return false;
    const now = this.clock.now().getTime();
    const due = event.startsAt.getTime() - p.offset * MINUTE;
    if (now >= event.startsAt.getTime() || due < (rsvp.goingAt?.getTime() ?? 0)) return false;
    // Fired early (clock skew): the sweeper sends it when it is due.
    if (now < due - EARLY_TOLERANCE_MS) return false;
    const messageId = await this.transactions.run(async (tx) => {
      const language = rsvp.language ?? (await this.events.personLanguage(tx, rsvp.personId)) ?? 'en';
      return this.messages.create(tx, {
        kind: EventEmail.Reminder,
        dedupeKey: reminderKey(p),
        personId: rsvp.personId,
        language: resolveLanguage(language),
        params: { rsvpId: rsvp.id },
      });
    });
    return (await this.mail.send(messageId)) === 'sent';
  }

  /** Sends every due reminder not yet sent, whatever became of its job. */
  async sweepDue(): Promise<number> {
    let sent = 0;
    for (const due of await this.events.findDueReminders(this.clock.now(), 500)) {
      try {
        if (await this.send({ rsvpId: due.rsvpId, offset: due.offset, startsAt: Number(due.startsAt) })) sent++;
      } catch (err) {
        this.logger.warn(`reminder for rsvp ${due.rsvpId} not sent yet: ${(err as Error).message}`);
      }
    }
    return sent;
  }

  private sendable(event: CampaignEvent, rsvp: Rsvp): boolean {
    return event.status === 'published' && rsvp.status === 'going' && rsvp.personId !== null;
  }
}
