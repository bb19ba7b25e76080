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
  /** Keyed hash of the client address (consent record): never the address itself; none for a protected person. */
  ipHash: string | null;
  /** A protected person's request (docs/safety.md): country in PROTECTED_COUNTRIES, or `protectIdentity`. */
  protected: boolean;
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

  stamp(
    body: { email: string; language?: string; country?: string; protectIdentity?: boolean },
    clientIp: string,
    acceptLanguage: string | undefined,
  ): RequestStamp {
    const isProtected = this.config.isProtected(body.country, body.protectIdentity);
    return {
      email: body.email,
      emailNormalized: normalizeEmail(body.email),
      language: requestLanguage(body.language, acceptLanguage),
      // A protected person's consent record keeps no keyed IP hash: a seized database (and
      // the secret with it) must not tie them to a network address.
      ipHash: isProtected ? null : keyedHash(this.config.APP_SECRET, 'ip', clientIp),
      protected: isProtected,
    };
  }

  /** Right after the commit: the relay enqueues them on its next tick (the sweeper re-drives any it could not). */
  dispatch(entries: PendingOutboxEntry[]): void {
    for (const entry of entries) this.relay.dispatchSoon(entry);
  }
}
