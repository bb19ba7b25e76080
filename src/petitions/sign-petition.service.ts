import { GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { keyedHash, normalizeEmail } from '../common/crypto.util';
import { requestLanguage } from '../common/languages';
import { AppConfig } from '../config/app-config';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { CONFIRMATIONS_QUEUE, ConfirmationJob } from '../queues/confirmations.queue';
import { SignPetitionDto } from './dto/sign-petition.dto';
import { PETITION_CONSENT_VERSION } from './petition-messages';
import { PetitionsRepository } from './petitions.repository';
import { PublicPetitionsService } from './public-petitions.service';

/**
 * The hot path: validate, one statement (person, signature, outbox intent), answer. Whether
 * the address is new, pending, a signer already or suppressed is decided by the worker, so
 * the answer and the work are the same for every address.
 */
@Injectable()
export class SignPetitionService {
  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly publicPetitions: PublicPetitionsService,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
  ) {}

  async sign(slug: string, dto: SignPetitionDto, clientIp: string, acceptLanguage?: string): Promise<void> {
    const petitionId = await this.publicPetitions.signable(slug);
    // A filled honeypot is a bot: answer exactly as for anyone, keep nothing.
    if (dto.website) return;
    const intent = await this.petitions.sign(
      {
        petitionId,
        email: dto.email,
        emailNormalized: normalizeEmail(dto.email),
        givenName: dto.givenName,
        familyName: dto.familyName || null,
        country: dto.country,
        postalCode: dto.postalCode || null,
        comment: dto.comment || null,
        language: requestLanguage(dto.language, acceptLanguage),
        publicName: dto.publicName ?? false,
        subscribe: dto.subscribe ?? false,
        referrerSource: dto.referrer?.source || null,
        referrerMedium: dto.referrer?.medium || null,
        referrerCampaign: dto.referrer?.campaign || null,
        referrerUrl: dto.referrer?.url || null,
        consentTextVersion: PETITION_CONSENT_VERSION,
        ipHash: keyedHash(this.config.APP_SECRET, 'ip', clientIp),
      },
      randomUUID(),
      { id: randomUUID(), queue: CONFIRMATIONS_QUEUE, jobName: ConfirmationJob.ProcessSignature },
    );
    if (!intent) {
      // The cached view said open, the database says otherwise: it changed a moment ago.
      const status = await this.petitions.findPetitionStatus(petitionId);
      if (status === 'closed') throw new GoneException('This petition is closed');
      throw new NotFoundException('No such petition');
    }
    this.relay.dispatchSoon(intent);
  }
}
