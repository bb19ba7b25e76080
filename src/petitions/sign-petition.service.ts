import { GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { pgErrorCode } from '../database/database.module';
import { ActionRequests } from '../actions/action-requests.service';
import { SignPetitionDto } from './dto/sign-petition.dto';
import { BatchOutcome, MicroBatcher } from '../common/micro-batcher';
import { NewSignature, PetitionsRepository, SignatureRequest } from './petitions.repository';
import { PublicPetitionsService } from './public-petitions.service';
import { PETITION_CONSENT_VERSION, SIGNATURE } from './signature.definition';

/** One statement stays small (a few hundred rows) and answers stay quick under any load. */
const MAX_BATCH = 256;
/** Connections the sign path holds at most; the rest of the pool stays free for everything else. */
const MAX_IN_FLIGHT = 2;
const DEADLOCK = '40P01';

/** Requests of one batch by (petition, address): repeats within it are one signature, several requests. */
export function groupSignatures(signatures: NewSignature[]): SignatureRequest[] {
  const byKey = new Map<string, SignatureRequest>();
  for (const signature of signatures) {
    const key = `${signature.petitionId}\n${signature.emailNormalized}`;
    const seen = byKey.get(key);
    // The first request's details stand, as they would had the repeat come a moment later.
    if (seen) seen.requests++;
    else byKey.set(key, { signature, signatureId: randomUUID(), requests: 1 });
  }
  return [...byKey.values()];
}

/**
 * The hot path: validate, then the request joins the batch being collected (every request
 * read meanwhile), and the batch is ONE statement (people, signatures, outbox intents) and
 * one commit. Each request is answered once its batch has committed; a batch that fails
 * fails its own requests only, and leaves nothing written. Whether the address is new,
 * pending, a signer already or suppressed is decided by the worker, so the answer and the
 * work are the same for every address.
 */
@Injectable()
export class SignPetitionService {
  private readonly batcher = new MicroBatcher<NewSignature, void>({
    run: (signatures) => this.write(signatures),
    maxBatch: MAX_BATCH,
    maxInFlight: MAX_IN_FLIGHT,
  });

  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly publicPetitions: PublicPetitionsService,
    private readonly requests: ActionRequests,
  ) {}

  async sign(slug: string, dto: SignPetitionDto, clientIp: string, acceptLanguage?: string): Promise<void> {
    const petitionId = await this.publicPetitions.signable(slug);
    if (this.requests.isBot(dto)) return;
    const { email, emailNormalized, language, ipHash, protected: isProtected } = this.requests.stamp(dto, clientIp, acceptLanguage);
    await this.batcher.submit({
      petitionId,
      email,
      emailNormalized,
      givenName: dto.givenName,
      familyName: dto.familyName || null,
      country: dto.country,
      // A protected person: no postal code, never in the public list (docs/safety.md).
      postalCode: isProtected ? null : dto.postalCode || null,
      comment: dto.comment || null,
      language,
      publicName: !isProtected && (dto.publicName ?? false),
      subscribe: dto.subscribe ?? false,
      referrerSource: dto.referrer?.source || null,
      referrerMedium: dto.referrer?.medium || null,
      referrerCampaign: dto.referrer?.campaign || null,
      referrerUrl: dto.referrer?.url || null,
      consentTextVersion: PETITION_CONSENT_VERSION,
      ipHash,
      protected: isProtected,
    });
  }

  private async write(signatures: NewSignature[]): Promise<Array<BatchOutcome<void>>> {
    const requests = groupSignatures(signatures);
    const intent = { queue: SIGNATURE.job.queue, jobName: SIGNATURE.job.name };
    let written: Awaited<ReturnType<PetitionsRepository['signMany']>>;
    try {
      written = await this.petitions.signMany(requests, intent);
    } catch (err) {
      // Address order keeps batches from deadlocking each other; another path's rows might
      // still. Nothing was written: once more, as the requests' own retry would.
      if (pgErrorCode(err) !== DEADLOCK) throw err;
      written = await this.petitions.signMany(requests, intent);
    }
    this.requests.dispatch(written.intents);
    // The cached view said open, the database says otherwise: it changed a moment ago.
    const refused = new Map<string, Promise<BatchOutcome<void>>>();
    for (const { petitionId } of signatures) {
      if (!written.openPetitionIds.has(petitionId) && !refused.has(petitionId)) refused.set(petitionId, this.refusal(petitionId));
    }
    return Promise.all(signatures.map((s) => refused.get(s.petitionId) ?? Promise.resolve({ value: undefined })));
  }

  /** Only the requests for that petition fail, whatever happens here: the others are committed. */
  private async refusal(petitionId: string): Promise<BatchOutcome<void>> {
    try {
      const status = await this.petitions.findPetitionStatus(petitionId);
      return { error: status === 'closed' ? new GoneException('This petition is closed') : new NotFoundException('No such petition') };
    } catch (err) {
      return { error: err };
    }
  }
}
