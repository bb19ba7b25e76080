import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { keyIdOf, SuppressionRepository } from '../mail/suppression.repository';
import { SecurityRepository } from './security.repository';

const PAGE = 5_000;

export interface RotationReport {
  oldKeyId: string;
  newKeyId: string;
  rekeyed: number;
  /** Suppressions still under the old key: addresses the platform no longer knows (erased). */
  remaining: number;
}

/**
 * Rotating APP_SECRET without emptying the suppression list (docs/safety.md). The list keeps
 * only keyed hashes, so a hash can be re-keyed only where the address is known: every
 * address still held (people, RSVPs, sign-ups) is re-keyed here; an erased address is
 * re-keyed the next time it is seen (`SuppressionRepository.isSuppressed`). Until `remaining`
 * is 0, APP_SECRET_PREVIOUS stays set, and the old key keeps matching.
 */
@Injectable()
export class SecretRotationService {
  constructor(
    private readonly config: AppConfig,
    private readonly security: SecurityRepository,
    private readonly suppressions: SuppressionRepository,
  ) {}

  async rotate(): Promise<RotationReport> {
    const previous = this.config.APP_SECRET_PREVIOUS;
    if (!previous) throw new Error('APP_SECRET_PREVIOUS must hold the secret being replaced (APP_SECRET the new one)');
    if (previous === this.config.APP_SECRET) throw new Error('APP_SECRET_PREVIOUS and APP_SECRET are the same secret');
    const oldKeyId = keyIdOf(previous);
    const newKeyId = keyIdOf(this.config.APP_SECRET);
    // Rows from before the first rotation carry no key id: they are the old secret's.
    await this.security.tagLegacySuppressions(oldKeyId);
    let rekeyed = 0;
    let after = '';
    for (;;) {
      const page = await this.security.knownAddresses(after, PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1].email;
      const pairs = page.map(({ email }) => ({
        oldHash: this.suppressions.hashWith(previous, email),
        newHash: this.suppressions.hashOf(email),
      }));
      rekeyed += await this.security.rekey(pairs, oldKeyId, newKeyId);
    }
    return { oldKeyId, newKeyId, rekeyed, remaining: await this.security.countSuppressions(oldKeyId) };
  }
}
