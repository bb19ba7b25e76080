import { Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { normalizeEmail } from '../common/crypto.util';
import { CanaryService } from '../canaries/canary.service';
import { AppConfig } from '../config/app-config';
import { SuppressionRepository } from '../mail/suppression.repository';
import { DeliveriesRepository } from './deliveries.repository';
import { EmailEventDto } from './dto/email-event.dto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Bounces and complaints reported by the mail provider. A permanent bounce or a complaint
 * suppresses the address (a keyed hash, checked before every send of every kind of email)
 * and is counted on the newsletter the address was last sent.
 */
@Injectable()
export class EmailEventsService {
  constructor(
    private readonly config: AppConfig,
    private readonly suppressions: SuppressionRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly canaries: CanaryService,
  ) {}

  /** Constant time, whatever the length of the guess: both sides are hashed to 32 bytes first. */
  authenticate(given: string | undefined): void {
    const secret = this.config.EMAIL_WEBHOOK_SECRET;
    // Without a secret the webhook does not exist: nobody can report anything.
    if (!secret) throw new NotFoundException('Cannot POST /api/v1/webhooks/email-events');
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), digest(secret))) {
      throw new UnauthorizedException('A valid X-Webhook-Secret header is required');
    }
  }

  async record(event: EmailEventDto): Promise<void> {
    // A bounce from a canary address: someone mailed a leaked export's list (docs/safety.md).
    if (this.canaries.isCanaryAddress(event.email)) {
      await this.canaries.sightedNow(event.email, 'email-event', `${event.type}:${event.email.trim().toLowerCase()}`);
    }
    const suppress = event.type === 'complaint' || event.permanent === true;
    if (!suppress) return;
    await this.suppressions.add(event.email, event.type === 'complaint' ? 'complaint' : 'bounce');
    await this.deliveries.recordEvent(normalizeEmail(event.email), event.type);
  }
}
