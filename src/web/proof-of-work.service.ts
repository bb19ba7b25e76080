import { Inject, Injectable, Logger } from '@nestjs/common';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { Challenge } from 'altcha-lib/v1/types';
import type { RedisClient } from '../queues/redis-options';
import { keyedHash, sha256Hex } from '../common/crypto.util';
import { AppConfig } from '../config/app-config';
import { REDIS } from '../queues/redis.module';

/** How long a challenge may be solved and used; a used one is remembered as long. */
const CHALLENGE_TTL_SECONDS = 20 * 60;
/** An ALTCHA payload is base64 JSON of a few hundred bytes; anything far longer is not one. */
const MAX_PAYLOAD_LENGTH = 2_000;

export type ProofOfWorkProblem = 'missing' | 'invalid' | 'reused';

/**
 * Self-hosted proof of work (ALTCHA, v1 challenges): the browser searches the number whose
 * SHA-256 with the salt is the challenge; the server checks it against its own HMAC signature
 * (keyed from APP_SECRET, expiry in the signed salt), so no state is kept until a solution is
 * used. Each solution is then accepted once: its challenge's signature is remembered in Redis
 * (SET NX) until the challenge would have expired anyway.
 */
@Injectable()
export class ProofOfWorkService {
  private readonly logger = new Logger(ProofOfWorkService.name);
  private readonly hmacKey: string;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {
    this.hmacKey = keyedHash(config.APP_SECRET, 'altcha', 'hmac-key');
  }

  get enabled(): boolean {
    return this.config.proofOfWork;
  }

  challenge(): Promise<Challenge> {
    return createChallenge({
      hmacKey: this.hmacKey,
      maxnumber: this.config.PROOF_OF_WORK_MAX_NUMBER,
      expires: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000),
    });
  }

  /** Signature and expiry only, nothing remembered: for a form that is not valid yet. */
  async check(payload: unknown): Promise<ProofOfWorkProblem | null> {
    if (typeof payload !== 'string' || payload === '') return 'missing';
    if (payload.length > MAX_PAYLOAD_LENGTH) return 'invalid';
    try {
      return (await verifySolution(payload, this.hmacKey, true)) ? null : 'invalid';
    } catch {
      return 'invalid';
    }
  }

  /** Checks the solution and spends it: a second use of the same challenge is refused. */
  async spend(payload: unknown): Promise<ProofOfWorkProblem | null> {
    const problem = await this.check(payload);
    if (problem) return problem;
    const { signature } = JSON.parse(Buffer.from(payload as string, 'base64').toString('utf8')) as { signature: string };
    const expires = Number(extractParams(payload as string).expires);
    const ttl = Number.isFinite(expires) ? Math.max(1, Math.ceil(expires - Date.now() / 1000)) : CHALLENGE_TTL_SECONDS;
    try {
      const fresh = await this.redis.set(`${this.config.QUEUE_PREFIX}:altcha:${sha256Hex(signature)}`, '1', 'EX', ttl, 'NX');
      return fresh === 'OK' ? null : 'reused';
    } catch (err) {
      // Like the rate limit: while Redis is away a solution may be replayed, but supporters are not refused.
      this.logger.warn(`proof-of-work replay check skipped, Redis unavailable: ${(err as Error).message}`);
      return null;
    }
  }
}
