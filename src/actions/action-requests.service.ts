import { Injectable } from '@nestjs/common';
import { keyedHash, normalizeEmail } from '../common/crypto.util';
import { requestLanguage } from '../common/languages';
import { AppConfig } from '../config/app-config';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { PendingOutboxEntry } from '../outbox/outbox.repository';

/** What every public request stores besides its own fields. */
export interface RequestStamp {
  email: string;
  /** Trimmed, lower-cased: one person per address. */
  emailNormalized: string;
  /** The body's language, else the browser's best supported match, else null. */
  language: string | null;
  /** Keyed hash of the client address (consent record): never the address itself. */
  ipHash: string;
}

/**
 * The API half of every action, up to the kind's own write: the honeypot, the stamp every
 * request carries, and the dispatch of its outbox intents once committed. Each kind then
 * writes its record and intent in one statement of its own shape (an INSERT, the petitions'
 * micro-batched statement, an upsert that counts a repeat): whether the address is new,
 * pending, a member or suppressed is decided by the worker, so the answer is the same.
 */
@Injectable()
export class ActionRequests {
  constructor(
    private readonly config: AppConfig,
    private readonly relay: OutboxRelay,
  ) {}

  /** A filled honeypot is a bot: the caller answers exactly as for anyone and keeps nothing. */
  isBot(body: { website?: string }): boolean {
    return Boolean(body.website);
  }

  stamp(body: { email: string; language?: string }, clientIp: string, acceptLanguage: string | undefined): RequestStamp {
    return {
      email: body.email,
      emailNormalized: normalizeEmail(body.email),
      language: requestLanguage(body.language, acceptLanguage),
      ipHash: keyedHash(this.config.APP_SECRET, 'ip', clientIp),
    };
  }

  /** Right after the commit: the relay enqueues them on its next tick (the sweeper re-drives any it could not). */
  dispatch(entries: PendingOutboxEntry[]): void {
    for (const entry of entries) this.relay.dispatchSoon(entry);
  }
}
