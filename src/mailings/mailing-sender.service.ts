import { Injectable, Logger } from '@nestjs/common';
import { retryBriefly } from '../common/async.util';
import { scrubEmails } from '../common/logging';
import { AppConfig } from '../config/app-config';
import { MailerService, OutgoingEmail, PermanentMailError } from '../mail/mailer.service';
import { SuppressionRepository } from '../mail/suppression.repository';
import { OnJob } from '../queues/job-handlers';
import { MailingJob, MAILINGS_QUEUE } from '../queues/mailings.queue';
import type { SendBatchPayload } from '../queues/mailings.queue';
import { ClaimedDelivery, DeliveriesRepository, DeliveryOutcome } from './deliveries.repository';
import { ListLinkTokens } from './list-link-tokens.service';
import { Mailing, MailingVariant } from './mailing.entity';
import { MailingCompletion } from './mailing-completion.service';
import { MailingsRepository } from './mailings.repository';
import { encodedFrom, PreparedNewsletter, wholeNewsletter } from './newsletter-mime';
import { compileNewsletter, fallbackGivenName, renderNewsletter, slotSafe } from './newsletter-template';
import { SendRateLimiter } from './send-rate-limiter.service';
import { SendSlots } from './send-slots';

/**
 * A delivery left `sending` this long belongs to a dead worker: a live one has finished or
 * failed its SMTP transaction by then (connection, greeting and socket timeouts are 10, 10
 * and 30 seconds).
 */
export const ABANDONED_AFTER_SECONDS = 60;
/** A delivery refused temporarily this many times is given up on. */
const MAX_ATTEMPTS = 8;
/**
 * Chunks of MAILING_CONCURRENCY deliveries a worker may hold claimed and not yet recorded:
 * one on the connections, one waiting for them. Also the bound on what a killed worker
 * leaves in doubt: 2 × MAILING_CONCURRENCY deliveries.
 */
export const IN_DOUBT_CHUNKS = 2;

export class BatchNotFinishedError extends Error {}

type ListsById = Map<string, { id: string; slug: string; name: string }>;

/** How a claimed delivery goes out: signed bytes built here, or (an address beyond ASCII) an email nodemailer builds. */
type Composed = { delivery: ClaimedDelivery; language: string } & ({ raw: Promise<Buffer> } | { email: OutgoingEmail });

/**
 * Sends one batch of a mailing a chunk at a time, with the next chunk claimed while the
 * current one is on the wire (issue 16). A chunk is up to MAILING_CONCURRENCY deliveries
 * claimed in one statement (pending → sending, audience and suppression re-checked in it),
 * each built from its variant's message prepared once per batch (only the name, links,
 * headers and signature are made per recipient), all handed to the newsletter pool at once
 * (MAILING_CONCURRENCY connections), their outcomes recorded in one statement. A worker
 * holds at most 2 × MAILING_CONCURRENCY deliveries claimed and not yet recorded (process-
 * wide slots): one chunk on the connections and one waiting for them, so a connection that
 * frees never waits for a claim's round trip. That is also all a killed worker can leave in
 * doubt (see README.md).
 */
@Injectable()
export class MailingSender {
  private readonly logger = new Logger(MailingSender.name);
  private readonly domain: string;
  private readonly from: string;
  /** MAIL_FROM's bare address, for a mailing's neutral sender name. */
  private readonly fromAddress: string;
  /** Deliveries claimed and not yet recorded, shared by every batch this process sends. */
  private readonly slots: SendSlots;
  /** Deliveries per claim: one per connection of the newsletter pool. */
  private readonly chunkSize: number;

  constructor(
    private readonly mailings: MailingsRepository,
    private readonly completion: MailingCompletion,
    private readonly deliveries: DeliveriesRepository,
    private readonly suppressions: SuppressionRepository,
    private readonly mailer: MailerService,
    private readonly links: ListLinkTokens,
    private readonly rate: SendRateLimiter,
    config: AppConfig,
  ) {
    const fromDomain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(config.MAIL_FROM)?.[1];
    this.domain = config.DKIM_DOMAIN ?? fromDomain ?? 'localhost';
    this.from = encodedFrom(config.MAIL_FROM);
    this.fromAddress = /<([^<>]+)>\s*$/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM.trim();
    this.chunkSize = config.MAILING_CONCURRENCY;
    this.slots = new SendSlots(IN_DOUBT_CHUNKS * config.MAILING_CONCURRENCY);
  }

  @OnJob({ queue: MAILINGS_QUEUE, name: MailingJob.SendBatch })
  async onSendBatch(data: SendBatchPayload): Promise<void> {
    await this.sendBatch(data.mailingId, data.batch);
  }

  async sendBatch(mailingId: string, batch: number): Promise<void> {
    const mailing = await this.mailings.findById(mailingId);
    if (!mailing) return;
    if (mailing.status === 'cancelled') {
      await this.deliveries.cancelPending(mailingId, batch);
      return;
    }
    if (mailing.status !== 'sending') return;
    await this.deliveries.settleAbandoned(mailingId, batch, ABANDONED_AFTER_SECONDS);
    const lists: ListsById = new Map((await this.mailings.listsById(mailing.listIds)).map((l) => [l.id, l]));
    // The batch's pending deliveries in claim order, with the keyed hash of each address for
    // the suppression check in the claim: one read and a thousand HMACs per batch, then
    // nothing per recipient is kept beyond the batch.
    const candidates = (await this.deliveries.pendingOfBatch(mailingId, batch)).map((d) => ({
      id: d.id,
      hash: this.suppressions.hashOf(d.email),
    }));
    const hashes = new Map(candidates.map((c) => [c.id, c.hash]));
    // Each (language, list) variant's message is prepared once for the batch.
    const prepared = new Map<string, PreparedNewsletter | null>();

    const chunks = new Set<Promise<void>>();
    let failure: Error | undefined;
    let next = 0;
    while (next < candidates.length && failure === undefined) {
      const left = candidates.length - next;
      // Slots first, then the rate: a claim never waits with its locks held.
      let held = await this.slots.take(Math.min(left, this.chunkSize), this.chunkSize);
      let claimed: ClaimedDelivery[];
      try {
        const { granted } = await this.rate.acquireUpTo(held);
        this.slots.give(held - granted);
        held = granted;
        claimed = await this.deliveries.claimChunk(mailing, candidates.slice(next, next + held));
        next += held;
      } catch (err) {
        this.slots.give(held);
        failure = err as Error;
        break;
      }
      const sending = claimed.filter((d) => d.status === 'sending');
      this.slots.give(held - sending.length);
      // The mailing stopped sending (cancelled): the claim took nothing; stop at once.
      if (claimed.length === 0 && held > 0 && !(await this.stillSending(mailingId))) break;
      if (sending.length === 0) continue;
      const chunk: Promise<void> = this.sendChunk(mailing, sending, lists, hashes, prepared)
        .catch((err: Error) => void (failure ??= err))
        .finally(() => {
          // Recorded (or given back as pending): these deliveries are no longer in doubt.
          this.slots.give(sending.length);
          chunks.delete(chunk);
        });
      chunks.add(chunk);
    }
    await Promise.all(chunks);
    if (failure !== undefined) throw failure;

    const current = await this.mailings.findById(mailingId);
    if (current?.status === 'cancelled') {
      await this.deliveries.cancelPending(mailingId, batch);
      return;
    }
    const left = await this.deliveries.countInFlight(mailingId, batch);
    // Thrown so BullMQ retries the batch with backoff: temporary refusals, or messages a
    // dead worker left in doubt that are not old enough yet to settle.
    if (left > 0) throw new BatchNotFinishedError(`batch ${batch} of mailing ${mailingId}: ${left} deliveries not settled yet`);
    await this.completion.finishIfDone(mailingId);
  }

  private async stillSending(mailingId: string): Promise<boolean> {
    return (await this.mailings.findById(mailingId))?.status === 'sending';
  }

  /**
   * One claimed chunk: each message built and handed to the newsletter pool at once (the
   * pool gives each a connection as one frees), then every outcome recorded in one statement.
   */
  private async sendChunk(
    mailing: Mailing,
    chunk: ClaimedDelivery[],
    lists: ListsById,
    hashes: Map<string, string>,
    prepared: Map<string, PreparedNewsletter | null>,
  ): Promise<void> {
    let outcomes: DeliveryOutcome[];
    try {
      // The suppression check in the claim used the address read at the start of the batch;
      // one changed since then is checked again here.
      const changed = chunk.filter((d) => hashes.get(d.id) !== this.suppressions.hashOf(d.email));
      const suppressed =
        changed.length > 0 ? await this.suppressions.suppressedHashes(changed.map((d) => this.suppressions.hashOf(d.email))) : new Set();
      const composed = chunk.map((delivery) =>
        suppressed.has(this.suppressions.hashOf(delivery.email))
          ? { delivery, skip: true as const }
          : this.compose(mailing, delivery, lists, prepared),
      );
      outcomes = await Promise.all(
        composed.map((c) =>
          'skip' in c ? Promise.resolve({ id: c.delivery.id, outcome: 'skipped' as const, error: 'suppressed' }) : this.sendOne(c),
        ),
      );
    } catch (err) {
      // Building failed: nothing reached SMTP, so every lock is given back rather than left in doubt.
      const reason = (err as Error).message;
      await retryBriefly(() => this.deliveries.settle(chunk.map((d) => ({ id: d.id, outcome: 'retry' as const, error: reason }))));
      throw err;
    }
    // The messages are out: recording them must survive a database blink, or they would be in doubt.
    await retryBriefly(() => this.deliveries.settle(outcomes)).catch((err: Error) => {
      this.logger.error(`deliveries ${outcomes.map((o) => o.id).join(', ')} were handed to SMTP but could not be recorded: ${err.message}`);
      throw err;
    });
    for (const o of outcomes) {
      if (o.outcome !== 'refused') continue;
      // The receiving server refused the address for good: a hard bounce, never mailed again.
      const email = chunk.find((d) => d.id === o.id)!.email;
      await retryBriefly(() => this.suppressions.add(email, 'bounce'));
    }
  }

  /** One SMTP transaction on the newsletter pool; never throws, answers the outcome to record. */
  private async sendOne(c: Composed): Promise<DeliveryOutcome> {
    const { delivery, language } = c;
    try {
      if ('raw' in c) await this.mailer.sendRaw(delivery.email, await c.raw, this.messageId(delivery));
      else await this.mailer.send(c.email, 'newsletter');
      return { id: delivery.id, outcome: 'sent', language };
    } catch (err) {
      const reason = scrubEmails((err as Error).message);
      if (err instanceof PermanentMailError) return { id: delivery.id, outcome: 'refused', error: reason };
      if (delivery.attempts >= MAX_ATTEMPTS)
        return { id: delivery.id, outcome: 'failed', error: `gave up after ${delivery.attempts} attempts: ${reason}` };
      return { id: delivery.id, outcome: 'retry', error: reason };
    }
  }

  /** MAIL_FROM's address under another display name (validated: no <>@" nor control characters). */
  private fromNamed(name: string): { plain: string; encoded: string } {
    const plain = `"${name}" <${this.fromAddress}>`;
    return { plain, encoded: encodedFrom(plain) };
  }

  private messageId(delivery: ClaimedDelivery): string {
    return `<${delivery.id}@${this.domain}>`;
  }

  /** The person's language's variant (exact tag, else same primary language), else the default. */
  private variantFor(mailing: Mailing, language: string | null): { language: string; variant: MailingVariant } {
    const keys = Object.keys(mailing.content);
    const primary = (tag: string): string => tag.split('-')[0].toLowerCase();
    const key = language
      ? (keys.find((k) => k.toLowerCase() === language.toLowerCase()) ?? keys.find((k) => primary(k) === primary(language)))
      : undefined;
    const chosen = key ?? mailing.defaultLanguage;
    return { language: chosen, variant: mailing.content[chosen] };
  }

  /**
   * The email of one delivery: the person's variant, their name (or a fallback), their own
   * links. Built from the variant's prepared message where the values allow it (see
   * `slotSafe`), else rendered whole; as bytes signed here unless the address is beyond
   * ASCII, which nodemailer encodes.
   */
  private compose(
    mailing: Mailing,
    delivery: ClaimedDelivery,
    lists: ListsById,
    prepared: Map<string, PreparedNewsletter | null>,
  ): Composed {
    if (!delivery.listId) throw new Error('claimed delivery without a list');
    const list = lists.get(delivery.listId);
    const { language, variant: chosen } = this.variantFor(mailing, delivery.language);
    // A protected recipient gets the variant's neutral subject and sender name, where it has them.
    const neutral = delivery.protected && Boolean(chosen.protectedSubject || chosen.protectedFromName);
    const variant = neutral ? { ...chosen, subject: chosen.protectedSubject ?? chosen.subject } : chosen;
    const from = neutral && chosen.protectedFromName ? this.fromNamed(chosen.protectedFromName) : null;
    const unsubscribeUrl = this.links.unsubscribeUrl(delivery.personId, delivery.listId);
    const view = {
      givenName: delivery.givenName?.trim() || fallbackGivenName(language),
      unsubscribeUrl,
      preferencesUrl: this.links.preferencesUrl(delivery.personId),
    };
    const shared = { listName: list?.name ?? '', mailingName: mailing.name };
    const listId = listIdHeader(list, this.domain);
    if (!/^[\x21-\x7e]+$/.test(delivery.email)) {
      const rendered = renderNewsletter(variant, language, { ...shared, ...view });
      return {
        delivery,
        language,
        email: {
          to: delivery.email,
          ...(from ? { from: from.plain } : {}),
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          messageId: this.messageId(delivery),
          headers: {
            // Prepared (an ASCII URL from PUBLIC_URL and a base64url token): one unfolded line,
            // as mailbox providers' one-click parsers and simple header checks expect it.
            'List-Unsubscribe': { prepared: true, value: `<${unsubscribeUrl}>` },
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            // Prepared: nodemailer would otherwise encode the whole value, brackets and all.
            'List-Id': { prepared: true, value: listId },
          },
        },
      };
    }
    const key = `${language}\n${delivery.listId}${neutral ? '\nneutral' : ''}`;
    let message = prepared.get(key);
    if (message === undefined) {
      const compiled = compileNewsletter(variant, language, shared);
      message = compiled && new PreparedNewsletter(compiled, from?.encoded ?? this.from, this.mailer.dkim);
      prepared.set(key, message);
    }
    if (!message || !slotSafe(view.givenName)) {
      message = new PreparedNewsletter(
        wholeNewsletter(renderNewsletter(variant, language, { ...shared, ...view })),
        from?.encoded ?? this.from,
        this.mailer.dkim,
      );
    }
    const envelope = { to: delivery.email, messageId: this.messageId(delivery), listUnsubscribeUrl: unsubscribeUrl, listId };
    const raw = message.build(view, envelope);
    // Awaited when the message is sent; until then a failed signature must not count as unhandled.
    raw.catch(() => undefined);
    return { delivery, language, raw };
  }
}

/**
 * `List-Id: "Name" <slug.domain>` (RFC 2919), sent as is. The name is organizer text: control,
 * format and bracket characters are dropped; a name beyond ASCII becomes an RFC 2047 encoded
 * word, so nothing in it can break or extend the header.
 */
export function listIdHeader(list: { slug: string; name: string } | undefined, domain: string): string {
  const slug = list?.slug ?? 'newsletter';
  const name = (list?.name ?? '')
    .replace(/[\p{Cc}\p{Cf}"\\<>\u2028\u2029]/gu, '')
    .trim()
    .slice(0, 100);
  const id = `<${slug}.${domain}>`;
  if (!name) return id;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name}" ${id}`;
  // Ten code points (at most 40 bytes) per encoded word keeps each within RFC 2047's 75 characters.
  const chars = [...name];
  const words: string[] = [];
  for (let i = 0; i < chars.length; i += 10)
    words.push(`=?UTF-8?B?${Buffer.from(chars.slice(i, i + 10).join(''), 'utf8').toString('base64')}?=`);
  const phrase = words.join(' ');
  return `${phrase} ${id}`;
}
