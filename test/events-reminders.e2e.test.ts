import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import request from 'supertest';
import { Clock } from '../src/common/clock';
import { EventRemindersService } from '../src/events/event-reminders.service';
import { EventRemindersSweeper } from '../src/events/event-reminders.sweeper';
import { EVENT_REMINDERS_QUEUE, eventReminderJobId } from '../src/queues/event-reminders.queue';
import { actionLink, ReceivedMail, SmtpSink } from './support/smtp-sink';
import { Platform, startPlatform } from './support/platform';
import { createOrganizer } from './factories/organizer.factory';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { uniqueEmail } from './factories/signup.factory';

const MINUTE = 60_000;

/**
 * Reminders run on delayed jobs; time is moved with the worker's Clock and the jobs are
 * promoted (run now) instead of waiting for them.
 */
describe('events: reminders (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizerKey: string;
  let queue: Queue;
  let clock: jest.SpyInstance<Date, []>;
  const http = () => request(platform.api.getHttpServer());
  const admin = () => ({ Authorization: `Bearer ${organizerKey}` });

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    organizerKey = (await createOrganizer(platform.api, 'organizer')).apiKey;
    queue = platform.worker!.get<Queue>(getQueueToken(EVENT_REMINDERS_QUEUE), { strict: false });
  });
  beforeEach(() => {
    clock = jest.spyOn(platform.worker!.get(Clock), 'now');
  });
  afterEach(() => clock.mockRestore());
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  const at = (ms: number): void => {
    clock.mockReturnValue(new Date(ms));
  };

  let nextDay = 2;
  /** Each event of this file on a day of its own, so one test's due reminders are not another's. */
  async function createEvent(overrides: Record<string, unknown>): Promise<{ id: string; slug: string; startsAt: string; title: string }> {
    const startsAt = Math.ceil((Date.now() + nextDay++ * 24 * 60 * MINUTE) / (60 * MINUTE)) * 60 * MINUTE;
    const times = { startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 2 * 60 * MINUTE).toISOString() };
    const res = await http()
      .post('/api/v1/admin/events')
      .set(admin())
      .send(eventPayload({ ...times, ...overrides }));
    expect(res.status).toBe(201);
    return res.body;
  }

  /** RSVPs and confirms; returns the RSVP id and the invitation email. */
  async function going(slug: string, email: string): Promise<{ rsvpId: string; invitation: ReceivedMail }> {
    expect((await http().post(`/api/v1/events/${slug}/rsvps`).send(rsvpPayload({ email }))).status).toBe(202);
    const [confirmation] = await sink.waitFor(email);
    expect(
      (
        await http()
          .post(new URL(actionLink(confirmation)).pathname)
          .type('form')
          .send('')
      ).status,
    ).toBe(200);
    const [, invitation] = await sink.waitFor(email, 2);
    const [{ id }] = await platform.db.query(`SELECT id FROM rsvps WHERE email = $1`, [email]);
    return { rsvpId: id, invitation };
  }

  async function job(rsvpId: string, offset: number, startsAt: number): Promise<Job> {
    const id = eventReminderJobId.send({ rsvpId, offset, startsAt });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const found = await queue.getJob(id);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`reminder job ${id} was never planned`);
  }

  async function waitForState(j: Job, state: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if ((await queue.getJobState(j.id!)) === state) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${j.id} never became ${state}`);
  }

  const reminders = (email: string): ReceivedMail[] => sink.to(email).filter((m) => m.parsed.subject?.startsWith('Reminder:'));

  it('sends a reminder once at its offset, in the event zone, and never for a cancelled RSVP', async () => {
    const event = await createEvent({
      reminders: [1440, 60],
      timezone: 'Asia/Tokyo',
      location: { name: 'Hall', address: 'Secret 1', private: true },
    });
    const start = Date.parse(event.startsAt);
    const alice = uniqueEmail('alice');
    const bob = uniqueEmail('bob');
    const a = await going(event.slug, alice);
    const b = await going(event.slug, bob);
    const aDay = await job(a.rsvpId, 1440, start);
    const aHour = await job(a.rsvpId, 60, start);
    const bDay = await job(b.rsvpId, 1440, start);
    expect(await aDay.isDelayed()).toBe(true);
    // Planned to fire at start − 24 h (give or take the time the test took).
    expect(Math.abs(aDay.timestamp + (aDay.opts.delay ?? 0) - (start - 1440 * MINUTE))).toBeLessThan(MINUTE);

    // Bob cancels before the reminder's time.
    expect(
      (
        await http()
          .post(new URL(actionLink(b.invitation)).pathname)
          .type('form')
          .send('')
      ).status,
    ).toBe(200);

    // One second after start − 24 h: the day-before reminders fire.
    at(start - 1440 * MINUTE + 1_000);
    await aDay.promote();
    await bDay.promote();
    const [reminder] = await (async () => {
      const deadline = Date.now() + 10_000;
      while (reminders(alice).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return reminders(alice);
    })();
    expect(reminder.parsed.subject).toContain(event.title);
    // The event's time in its own zone, named.
    const tokyo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(new Date(start));
    expect(reminder.parsed.text).toContain(tokyo);
    expect(reminder.parsed.text).toContain('(Asia/Tokyo)');
    expect(reminder.parsed.text).toContain('Secret 1');
    await waitForState(bDay, 'completed');

    // Nothing sends it again: not the job run twice, not the sweeper, not a direct call.
    const service = platform.worker!.get(EventRemindersService);
    expect(await service.send({ rsvpId: a.rsvpId, offset: 1440, startsAt: start })).toBe(false);
    await platform.worker!.get(EventRemindersSweeper).runOnce();
    expect(reminders(alice)).toHaveLength(1);
    expect(reminders(bob)).toHaveLength(0);
    // The hour-before reminder is not due yet.
    expect(await aHour.isDelayed()).toBe(true);

    // Once the event has started, no reminder goes out at all.
    at(start + 1_000);
    await aHour.promote();
    await waitForState(aHour, 'completed');
    await platform.worker!.get(EventRemindersSweeper).runOnce();
    expect(reminders(alice)).toHaveLength(1);
  });

  it('re-plans the reminders when the organizer moves the event; the old jobs do nothing', async () => {
    const event = await createEvent({ reminders: [60] });
    const start = Date.parse(event.startsAt);
    const email = uniqueEmail('moved');
    const { rsvpId } = await going(event.slug, email);
    const old = await job(rsvpId, 60, start);

    const moved = start + 3 * 60 * MINUTE;
    const res = await http()
      .patch(`/api/v1/admin/events/${event.id}`)
      .set(admin())
      .send({ startsAt: new Date(moved).toISOString(), endsAt: new Date(moved + 60 * MINUTE).toISOString() });
    expect(res.status).toBe(200);
    const replanned = await job(rsvpId, 60, moved);
    expect(await replanned.isDelayed()).toBe(true);

    // At the old reminder time the old job fires and finds the start changed.
    at(start - 60 * MINUTE + 1_000);
    await old.promote();
    await waitForState(old, 'completed');
    expect(reminders(email)).toHaveLength(0);

    at(moved - 60 * MINUTE + 1_000);
    await replanned.promote();
    const deadline = Date.now() + 10_000;
    while (reminders(email).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const [reminder] = reminders(email);
    const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(
      new Date(moved),
    );
    expect(reminder.parsed.text).toContain(paris);
  });

  it('sends a due reminder whose delayed job Redis lost, once', async () => {
    const event = await createEvent({ reminders: [30] });
    const start = Date.parse(event.startsAt);
    const email = uniqueEmail('lost');
    const { rsvpId } = await going(event.slug, email);
    const lost = await job(rsvpId, 30, start);
    await lost.remove();

    at(start - 30 * MINUTE - 5 * MINUTE);
    const sweeper = platform.worker!.get(EventRemindersSweeper);
    await sweeper.runOnce();
    expect(reminders(email)).toHaveLength(0);

    at(start - 30 * MINUTE + 2 * MINUTE);
    await sweeper.runOnce();
    await sweeper.runOnce();
    expect(reminders(email)).toHaveLength(1);
  });

  it('drops the reminders of a cancelled event', async () => {
    const event = await createEvent({ reminders: [60] });
    const start = Date.parse(event.startsAt);
    const email = uniqueEmail('dropped');
    const { rsvpId } = await going(event.slug, email);
    const planned = await job(rsvpId, 60, start);
    expect((await http().patch(`/api/v1/admin/events/${event.id}`).set(admin()).send({ status: 'cancelled' })).status).toBe(200);
    await sink.waitFor(email, 3);

    at(start - 60 * MINUTE + 1_000);
    await planned.promote();
    await waitForState(planned, 'completed');
    await platform.worker!.get(EventRemindersSweeper).runOnce();
    expect(reminders(email)).toHaveLength(0);
  });
});
