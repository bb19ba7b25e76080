import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { keyedHash, normalizeEmail } from '../common/crypto.util';
import { requestLanguage } from '../common/languages';
import { RequestValidationException } from '../common/validation';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { OutboxRepository } from '../outbox/outbox.repository';
import { CONFIRMATIONS_QUEUE, ConfirmationJob, confirmationJobId } from '../queues/confirmations.queue';
import { CreateSignupDto } from './dto/create-signup.dto';
import { JOIN_CONSENT_VERSION } from './join-messages';
import { SupportersRepository } from '../people/membership.repository';

/**
 * The API half of "join the movement": store the request and the intent to process it in
 * one atomic statement, then answer. Whether the address is new, pending or a member is decided
 * later by the worker, so every address gets the same answer in the same time.
 */
@Injectable()
export class SignupService {
  constructor(
    private readonly supporters: SupportersRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
  ) {}

  async accept(dto: CreateSignupDto, clientIp: string, acceptLanguage?: string): Promise<void> {
    // A filled honeypot is a bot: answer exactly as for anyone, keep nothing.
    if (dto.website) return;
    const listSlugs = [...new Set(dto.lists ?? [])];
    if (listSlugs.length > 0) {
      const found = await this.supporters.findListsBySlugs(listSlugs);
      const unknown = listSlugs.filter((slug) => !found.some((l) => l.slug === slug));
      if (unknown.length > 0) throw new RequestValidationException([{ field: 'lists', message: `unknown list: ${unknown.join(', ')}` }]);
    }
    const signupId = randomUUID();
    const signup = this.supporters.signupInsert(signupId, {
      email: dto.email,
      emailNormalized: normalizeEmail(dto.email),
      givenName: dto.givenName ?? null,
      familyName: dto.familyName ?? null,
      country: dto.country ?? null,
      postalCode: dto.postalCode ?? null,
      language: requestLanguage(dto.language, acceptLanguage),
      listSlugs,
      source: dto.source ?? null,
      consentTextVersion: JOIN_CONSENT_VERSION,
      ipHash: keyedHash(this.config.APP_SECRET, 'ip', clientIp),
    });
    const intent = {
      id: randomUUID(),
      queue: CONFIRMATIONS_QUEUE,
      jobName: ConfirmationJob.ProcessSignup,
      jobId: confirmationJobId.processSignup(signupId),
      payload: { signupId },
    };
    await this.outbox.addWithRecord(signup, intent);
    this.relay.dispatchSoon(intent);
  }
}
