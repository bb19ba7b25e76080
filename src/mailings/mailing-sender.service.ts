import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { retryBriefly } from '../common/async.util';
import { scrubEmails } from '../common/logging';
import { AppConfig } from '../config/app-config';
import { MailerService, OutgoingEmail, PermanentMailError } from '../mail/mailer.service';
import { SuppressionRepository } from '../mail/suppression.repository';
import { JobHandlers } from '../queues/job-handlers';
import { MailingJob, MAILINGS_QUEUE, SendBatchPayload } from '../queues/mailings.queue';
import { ClaimedDelivery, DeliveriesRepository } from './deliveries.repository';
import { ListLinkTokens } from './list-link-tokens.service';
import { Mailing, MailingVariant } from './mailing.entity';
import { MailingsRepository } from './mailings.repository';
import { fallbackGivenName, renderNewsletter } from './newsletter-template';
import { SendRateLimiter } from './send-rate-limiter.service';

/**
 * A delivery left `sending` this long belongs to a dead worker: a live one has finished or
 * failed its SMTP transaction by then (connection, greeting and socket timeouts are 10, 10
 * and 30 seconds).
 */
export const ABANDONED_AFTER_SECONDS = 60;
/** A delivery refused temporarily this many times is given up on. */
const MAX_ATTEMPTS = 8;

export class BatchNotFinishedError extends Error {}

/**
 * Sends one batch of a mailing, one message at a time: claim (pending → sending, with the
 * eligibility re-checked in the same statement), take a slot of the global rate, send,
 * record. A worker killed at any point leaves at most the one message it had handed to SMTP
 * in doubt; everything else is either sent and recorded, or still pending for the next run.
 */
@Injectable()
export class MailingSender implements OnModuleInit {
  private readonly logger = new Logger(MailingSender.name);
  private readonly domain: string;

  constructor(
    private readonly mailings: MailingsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly suppressions: SuppressionRepository,
    private readonly mailer: MailerService,
    private readonly links: ListLinkTokens,
    private readonly rate: SendRateLimiter,
    private readonly jobs: JobHandlers,
    config: AppConfig,
  ) {
    const fromDomain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(config.MAIL_FROM)?.[1];
    this.domain = config.DKIM_DOMAIN ?? fromDomain ?? 'localhost';
  }

  onModuleInit(): void {
    this.jobs.register<SendBatchPayload>(MAILINGS_QUEUE, MailingJob.SendBatch, (data) => this.sendBatch(data.mailingId, data.batch));
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
    await this.skipSuppressed(mailingId, batch);
    const lists = new Map((await this.mailings.listsById(mailing.listIds)).map((l) => [l.id, l]));

    const givenBack: string[] = [];
    for (;;) {
      // The slot comes first: a claim never waits on the rate with its lock held.
      await this.rate.acquire();
      const delivery = await this.deliveries.claimNext(mailing, batch, givenBack);
      if (!delivery) break;
      if (delivery.status === 'skipped') continue;
      const outcome = await this.sendOne(mailing, delivery, lists);
      if (outcome === 'retry') givenBack.push(delivery.id);
    }

    const current = await this.mailings.findById(mailingId);
    if (current?.status === 'cancelled') {
      await this.deliveries.cancelPending(mailingId, batch);
      return;
    }
    const left = await this.deliveries.countInFlight(mailingId, batch);
    // Thrown so BullMQ retries the batch with backoff: temporary refusals, or a message a
    // dead worker left in doubt that is not old enough yet to settle.
    if (left > 0) throw new BatchNotFinishedError(`batch ${batch} of mailing ${mailingId}: ${left} deliveries not settled yet`);
    if (await this.mailings.finishIfDone(mailingId)) this.logger.log(`mailing ${mailingId} sent`);
  }

  /** Addresses suppressed since planning (bounce, complaint, erasure) are skipped, checked once per batch. */
  private async skipSuppressed(mailingId: string, batch: number): Promise<void> {
    const pending = await this.deliveries.pendingAddresses(mailingId, batch);
    if (pending.length === 0) return;
    const hashed = pending.map((p) => ({ id: p.id, hash: this.suppressions.hashOf(p.email) }));
    const suppressed = await this.suppressions.suppressedHashes(hashed.map((p) => p.hash));
    const ids = hashed.filter((p) => suppressed.has(p.hash)).map((p) => p.id);
    await this.deliveries.skip(ids, 'suppressed');
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

  /** The email of one delivery: the person's variant, their name (or a fallback), their own links. */
  private compose(
    mailing: Mailing,
    delivery: ClaimedDelivery,
    lists: Map<string, { id: string; slug: string; name: string }>,
  ): { email: OutgoingEmail; language: string } {
    if (!delivery.listId) throw new Error('claimed delivery without a list');
    const list = lists.get(delivery.listId);
    const { language, variant } = this.variantFor(mailing, delivery.language);
    const unsubscribeUrl = this.links.unsubscribeUrl(delivery.personId, delivery.listId);
    const rendered = renderNewsletter(variant, language, {
      givenName: delivery.givenName?.trim() || fallbackGivenName(language),
      unsubscribeUrl,
      preferencesUrl: this.links.preferencesUrl(delivery.personId),
      listName: list?.name ?? '',
      mailingName: mailing.name,
    });
    return {
      language,
      email: {
        to: delivery.email,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        messageId: `<${delivery.id}@${this.domain}>`,
        headers: {
          // Prepared (an ASCII URL from PUBLIC_URL and a base64url token): one unfolded line,
          // as mailbox providers' one-click parsers and simple header checks expect it.
          'List-Unsubscribe': { prepared: true, value: `<${unsubscribeUrl}>` },
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          // Prepared: nodemailer would otherwise encode the whole value, brackets and all.
          'List-Id': { prepared: true, value: listIdHeader(list, this.domain) },
        },
      },
    };
  }

  private async sendOne(
    mailing: Mailing,
    delivery: ClaimedDelivery,
    lists: Map<string, { id: string; slug: string; name: string }>,
  ): Promise<'sent' | 'failed' | 'retry'> {
    let email: OutgoingEmail;
    let language: string;
    try {
      ({ email, language } = this.compose(mailing, delivery, lists));
    } catch (err) {
      // Nothing reached SMTP: give the lock back rather than leave the message in doubt.
      await retryBriefly(() => this.deliveries.release(delivery.id, (err as Error).message));
      throw err;
    }
    let sentId: string;
    try {
      const sent = await this.mailer.send(email, 'newsletter');
      sentId = sent.messageId;
    } catch (err) {
      const reason = scrubEmails((err as Error).message);
      if (err instanceof PermanentMailError) {
        // The receiving server refused the address for good: a hard bounce, never mailed again.
        await retryBriefly(() => this.deliveries.markRefused(delivery.id, reason));
        await retryBriefly(() => this.suppressions.add(delivery.email, 'bounce'));
        return 'failed';
      }
      if (delivery.attempts >= MAX_ATTEMPTS) {
        await retryBriefly(() => this.deliveries.markFailed(delivery.id, `gave up after ${delivery.attempts} attempts: ${reason}`));
        return 'failed';
      }
      await retryBriefly(() => this.deliveries.release(delivery.id, reason));
      return 'retry';
    }
    // The message is out: recording it must survive a database blink, or it would be in doubt.
    await retryBriefly(() => this.deliveries.markSent(delivery.id, language)).catch((err: Error) => {
      this.logger.error(`delivery ${delivery.id} (${sentId}) was sent but could not be marked sent: ${err.message}`);
      throw err;
    });
    return 'sent';
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
