import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestValidationException } from '../common/validation';
import { OutboxRepository } from '../outbox/outbox.repository';
import { MembershipRepository } from '../people/membership.repository';
import { confirmationJobId } from '../queues/confirmations.queue';
import { ActionRequests } from '../actions/action-requests.service';
import { CreateSignupDto } from './dto/create-signup.dto';
import { JOIN, JOIN_CONSENT_VERSION } from './join.definition';
import { SignupsRepository } from './signups.repository';

/**
 * The API half of "join the movement": store the request and the intent to process it in
 * one atomic statement, then answer. Whether the address is new, pending or a member is decided
 * later by the worker, so every address gets the same answer in the same time.
 */
@Injectable()
export class SignupService {
  constructor(
    private readonly signups: SignupsRepository,
    private readonly membership: MembershipRepository,
    private readonly outbox: OutboxRepository,
    private readonly requests: ActionRequests,
  ) {}

  async accept(dto: CreateSignupDto, clientIp: string, acceptLanguage?: string): Promise<void> {
    if (this.requests.isBot(dto)) return;
    const listSlugs = [...new Set(dto.lists ?? [])];
    // A private list and an unknown one get the same answer, byte for byte: no slug is echoed.
    if ((await this.membership.unknownListSlugs(listSlugs)).length > 0) {
      throw new RequestValidationException([{ field: 'lists', message: 'unknown list' }]);
    }
    const signupId = randomUUID();
    const stamp = this.requests.stamp(dto, clientIp, acceptLanguage);
    const signup = this.signups.signupInsert(signupId, {
      ...stamp,
      givenName: dto.givenName ?? null,
      familyName: dto.familyName ?? null,
      country: dto.country ?? null,
      // A protected person's postal code is never stored (docs/safety.md).
      postalCode: stamp.protected ? null : (dto.postalCode ?? null),
      listSlugs,
      source: dto.source ?? null,
      consentTextVersion: JOIN_CONSENT_VERSION,
    });
    const intent = {
      id: randomUUID(),
      queue: JOIN.job.queue,
      jobName: JOIN.job.name,
      jobId: confirmationJobId.processSignup(signupId),
      payload: { [JOIN.record.idParam]: signupId },
    };
    await this.outbox.addWithRecord(signup, intent);
    this.requests.dispatch([intent]);
  }
}
