import { Injectable } from '@nestjs/common';
import { createHmac, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { sha256Hex } from '../common/crypto.util';
import { ActionTokenRepository } from './action-token.repository';
import { ActionToken } from './action-token.entity';

export type TokenPurpose = 'confirm-signup';

export type TokenLookup =
  { state: 'valid'; token: ActionToken } | { state: 'used'; token: ActionToken } | { state: 'expired' } | { state: 'unknown' };

/**
 * Link tokens: 256 bits, one purpose, stored as SHA-256 only. The token is an HMAC of the
 * row id, so it can be rendered again after a crash without being stored.
 */
@Injectable()
export class ActionTokenService {
  constructor(
    private readonly tokens: ActionTokenRepository,
    private readonly config: AppConfig,
  ) {}

  tokenFor(id: string): string {
    return createHmac('sha256', this.config.APP_SECRET).update(`action-token\u0000${id}`).digest('base64url');
  }

  async issue(tx: EntityManager, purpose: TokenPurpose, subjectId: string, personId: string | null, ttlDays: number): Promise<string> {
    const id = randomUUID();
    await this.tokens.insert(tx, {
      id,
      tokenHash: sha256Hex(this.tokenFor(id)),
      purpose,
      subjectId,
      personId,
      expiresAt: new Date(Date.now() + ttlDays * 86_400_000),
    });
    return id;
  }

  /** Looks a token up for one purpose; a token of another purpose is unknown here. */
  async lookup(token: string, purpose: TokenPurpose, tx?: EntityManager): Promise<TokenLookup> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: 'unknown' };
    const row = await this.tokens.findByHash(sha256Hex(token), tx);
    if (!row || row.purpose !== purpose) return { state: 'unknown' };
    if (row.usedAt) return { state: 'used', token: row };
    if (row.expiresAt.getTime() <= Date.now()) return { state: 'expired' };
    return { state: 'valid', token: row };
  }

  markUsed(tx: EntityManager, id: string): Promise<boolean> {
    return this.tokens.markUsed(tx, id);
  }
}
