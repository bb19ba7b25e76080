import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

const MAC_BYTES = 16;

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidOf(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Stateless link tokens for newsletter footers, so a mailing of a million people writes no
 * token rows: the ids they name followed by a 128-bit HMAC under APP_SECRET, domain-separated
 * by purpose. An unsubscribe token names one person and one list and can only unsubscribe
 * that person from that list; a preferences token names one person and only opens their
 * preferences page. Neither expires: an old newsletter's unsubscribe link must keep working.
 */
@Injectable()
export class ListLinkTokens {
  constructor(private readonly config: AppConfig) {}

  private mac(purpose: string, ids: Buffer): Buffer {
    return createHmac('sha256', this.config.APP_SECRET).update(`${purpose}\u0000`).update(ids).digest().subarray(0, MAC_BYTES);
  }

  private issue(purpose: string, ids: string[]): string {
    const bytes = Buffer.concat(ids.map(uuidBytes));
    return Buffer.concat([bytes, this.mac(purpose, bytes)]).toString('base64url');
  }

  private verify(purpose: string, token: string, count: number): string[] | null {
    if (!/^[A-Za-z0-9_-]+$/.test(token) || token.length > 100) return null;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length !== count * 16 + MAC_BYTES) return null;
    const ids = raw.subarray(0, count * 16);
    if (!timingSafeEqual(raw.subarray(count * 16), this.mac(purpose, ids))) return null;
    // 16 bytes always make a well-formed UUID: no shape check is needed after the MAC.
    return Array.from({ length: count }, (_, i) => uuidOf(ids.subarray(i * 16, i * 16 + 16)));
  }

  unsubscribeToken(personId: string, listId: string): string {
    return this.issue('list-unsubscribe', [personId, listId]);
  }

  readUnsubscribeToken(token: string): { personId: string; listId: string } | null {
    const ids = this.verify('list-unsubscribe', token, 2);
    return ids ? { personId: ids[0], listId: ids[1] } : null;
  }

  preferencesToken(personId: string): string {
    return this.issue('list-preferences', [personId]);
  }

  readPreferencesToken(token: string): { personId: string } | null {
    const ids = this.verify('list-preferences', token, 1);
    return ids ? { personId: ids[0] } : null;
  }

  unsubscribeUrl(personId: string, listId: string): string {
    return `${this.config.publicUrl}/u/${this.unsubscribeToken(personId, listId)}`;
  }

  preferencesUrl(personId: string): string {
    return `${this.config.publicUrl}/preferences/${this.preferencesToken(personId)}`;
  }
}
