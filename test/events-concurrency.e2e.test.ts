import request from 'supertest';
import { ConfirmationsProcessor } from '../src/queues/confirmations.processor';
import { actionLink, SmtpSink } from './support/smtp-sink';
import { Platform, startPlatform } from './support/platform';
import { createOrganizer } from './factories/organizer.factory';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { uniqueEmail } from './factories/signup.factory';

/**
 * Seats are decided by PostgreSQL (the event row's lock), not by the API's memory: many
 * confirmations arriving at once never take more seats than there are.
 */
describe('events: concurrent confirmations (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizerKey: string;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    organizerKey = (await createOrganizer(platform.api, 'organizer')).apiKey;
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  async function createEvent(overrides: Record<string, unknown>): Promise<{ id: string; slug: string }> {
    const res = await http()
      .post('/api/v1/admin/events')
      .set({ Authorization: `Bearer ${organizerKey}` })
      .send(eventPayload(overrides));
    expect(res.status).toBe(201);
    return res.body;
  }

  /** RSVPs for every payload and returns each one's confirmation link path, in order. */
  async function confirmationLinks(slug: string, payloads: Array<Record<string, unknown>>): Promise<string[]> {
    for (const payload of payloads) {
      const res = await http().post(`/api/v1/events/${slug}/rsvps`).send(payload);
      expect(res.status).toBe(202);
    }
    const links: string[] = [];
    for (const payload of payloads) {
      const [mail] = await sink.waitFor(payload.email as string, 1, 20_000);
      links.push(new URL(actionLink(mail)).pathname);
    }
    return links;
  }

  /**
   * Posts every link at once. The worker (in this process, in tests) is paused meanwhile so
   * the burst measures the API alone; an answer of 503 (the connection pool stayed busy
   * past its timeout on a loaded machine: nothing was written) is sent again, as the
   * contract says a client may.
   */
  async function confirmAllAtOnce(links: string[]): Promise<request.Response[]> {
    const consumer = platform.worker!.get(ConfirmationsProcessor).worker;
    await consumer.pause();
    try {
      const post = async (path: string): Promise<request.Response> => {
        for (let attempt = 0; ; attempt++) {
          const res = await http().post(path).type('form').send('');
          if (res.status !== 503 || attempt === 5) return res;
        }
      };
      return await Promise.all(links.map(post));
    } finally {
      await consumer.resume();
    }
  }

  it('gives exactly 10 of 50 simultaneous confirmations a seat and waitlists the rest in arrival order', async () => {
    const event = await createEvent({ capacity: 10, waitlist: true });
    const payloads = Array.from({ length: 50 }, (_, i) => rsvpPayload({ email: uniqueEmail(`crowd${i}`) }));
    const links = await confirmationLinks(event.slug, payloads);

    const answers = await confirmAllAtOnce(links);
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(answers.filter((a) => a.text.includes('You are going'))).toHaveLength(10);
    expect(answers.filter((a) => a.text.includes('You are on the waitlist'))).toHaveLength(40);

    const rows: Array<{ status: string; position: string | null }> = await platform.db.query(
      `SELECT status, waitlist_position AS position FROM rsvps WHERE event_id = $1 ORDER BY confirmed_at, id`,
      [event.id],
    );
    expect(rows).toHaveLength(50);
    // Arrival order is the order of the seat decisions: the first ten were seated, every
    // later one waits, and waitlist positions follow the same order.
    expect(rows.slice(0, 10).every((r) => r.status === 'going')).toBe(true);
    expect(rows.slice(10).every((r) => r.status === 'waitlisted')).toBe(true);
    const positions = rows.slice(10).map((r) => BigInt(r.position as string));
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);

    const view = await http().get(`/api/v1/events/${event.slug}`);
    expect(view.body).toMatchObject({ capacity: 10, spotsLeft: 0 });
    // Everyone hears their outcome: 10 invitations, 40 waitlist emails.
    const outcomes = await Promise.all(payloads.map(async (p) => (await sink.waitFor(p.email as string, 2, 20_000))[1].parsed.subject));
    expect(outcomes.filter((s) => s?.startsWith('You are going'))).toHaveLength(10);
    expect(outcomes.filter((s) => s?.startsWith('You are on the waitlist'))).toHaveLength(40);
  });

  it('counts guests as seats under concurrency: never more seats taken than the capacity', async () => {
    const event = await createEvent({ capacity: 12, waitlist: true });
    const payloads = Array.from({ length: 20 }, (_, i) => rsvpPayload({ email: uniqueEmail(`party${i}`), guests: i % 4 }));
    const links = await confirmationLinks(event.slug, payloads);
    await confirmAllAtOnce(links);

    const [{ seats, going, waiting }] = await platform.db.query(
      `SELECT coalesce(sum(1 + guests) FILTER (WHERE status = 'going'), 0)::int AS seats,
              count(*) FILTER (WHERE status = 'going')::int AS going,
              count(*) FILTER (WHERE status = 'waitlisted')::int AS waiting
       FROM rsvps WHERE event_id = $1`,
      [event.id],
    );
    expect(seats).toBeLessThanOrEqual(12);
    expect(going + waiting).toBe(20);
    // Nobody waits who would have fitted in the seats left when they arrived: the seats
    // left now are fewer than any waiting party needs.
    const [{ smallest }] = await platform.db.query(
      `SELECT min(1 + guests)::int AS smallest FROM rsvps WHERE event_id = $1 AND status = 'waitlisted'`,
      [event.id],
    );
    expect(12 - seats).toBeLessThan(smallest);
  });
});
