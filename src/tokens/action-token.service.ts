import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { sha256Hex } from '../common/crypto.util';
import { ActionTokenRepository } from './action-token.repository';
import { ActionToken } from './action-token.entity';

/**
 * What a token may do, one purpose each (`confirm-signup`, `cancel-rsvp`...). The action
 * kinds' confirmation purposes come from their definitions (src/actions checks them unique);
 * a feature's other links name their own (events' `cancel-rsvp`).
 */
export type TokenPurpose = string;

export type TokenLookup =
  { state: 'valid'; token: ActionToken } | { state: 'used'; token: ActionToken } | { state: 'expired' } | { state: 'unknown' };

/**
 * Link tokens: 256-bit HMACs of a 128-bit random nonce, one purpose, stored as SHA-256 only.
 * The nonce is kept so a worker that crashed after committing can render the same link
 * again; without APP_SECRET a copy of the database cannot.
 */
@Injectable()
export class ActionTokenService {
  constructor(
    private readonly tokens: ActionTokenRepository,
    private readonly config: AppConfig,
  ) {}

  /** The token of a stored row, rendered again from its nonce whenever an email needs it. */
  tokenFor(row: Pick<ActionToken, 'nonce'>): string {
    return createHmac('sha256', this.config.APP_SECRET).update(`action-token\u0000${row.nonce}`).digest('base64url');
  }

  async tokenForId(id: string): Promise<string | null> {
    const row = await this.tokens.findById(id);
    return row ? this.tokenFor(row) : null;
  }

  async issue(tx: EntityManager, purpose: TokenPurpose, subjectId: string, personId: string | null, ttlDays: number): Promise<string> {
    const id = randomUUID();
    const nonce = randomBytes(16).toString('hex');
    await this.tokens.insert(tx, {
      id,
      nonce,
      tokenHash: sha256Hex(this.tokenFor({ nonce })),
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
