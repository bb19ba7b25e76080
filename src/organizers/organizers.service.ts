import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { normalizeEmail, randomToken, sha256Hex } from '../common/crypto.util';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { isUniqueViolation, TransactionRunner } from '../database/database.module';
import { Role } from './organizer.entity';
import type { EntityManager } from 'typeorm';
import { ApiKeyView, AuthenticatedOrganizer, OrganizersRepository } from './organizers.repository';

export const API_KEY_PREFIX = 'cpk_';
/** last_used_at is a hint, not an audit trail: write it at most once a minute per key. */
const TOUCH_EVERY_MS = 60_000;

function newApiKey(): { apiKey: string; keyPrefix: string } {
  const apiKey = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { apiKey, keyPrefix: apiKey.slice(0, 12) };
}

export interface OrganizerView {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  revokedAt: Date | null;
  keyPrefix: string | null;
  lastUsedAt: Date | null;
}

@Injectable()
export class OrganizersService {
  constructor(
    private readonly organizers: OrganizersRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Creates an organizer with a new API key, returned here and never again. */
  async create(email: string, role: Role): Promise<{ organizer: OrganizerView; apiKey: string }> {
    const normalized = normalizeEmail(email);
    const { apiKey, keyPrefix } = newApiKey();
    const organizer = await this.transactions
      .run(async (tx) => {
        const created = await this.organizers.insertOrganizer(tx, normalized, role);
        await this.organizers.insertApiKey(tx, created.id, sha256Hex(apiKey), keyPrefix);
        return created;
      })
      .catch((err: unknown) => {
        // The unique index decides, so two concurrent creates cannot both succeed.
        if (isUniqueViolation(err)) throw new ConflictException('An organizer with this email exists');
        throw err;
      });
    return { organizer: { ...organizer, keyPrefix, lastUsedAt: null }, apiKey };
  }

  /**
   * An organizer without an API key, in the caller's transaction: the console's invitations
   * (src/console-auth). A duplicate address fails with the unique violation for the caller to map.
   */
  createWithoutKey(tx: EntityManager, email: string, role: Role): Promise<{ id: string; email: string; role: Role }> {
    return this.organizers.insertOrganizer(tx, normalizeEmail(email), role);
  }

  async findActive(id: string): Promise<{ id: string; email: string; role: Role } | null> {
    const organizer = await this.organizers.findById(id);
    return organizer && !organizer.revokedAt ? organizer : null;
  }

  /** A new API key for an active organizer, returned here and never again. */
  async createApiKey(organizerId: string): Promise<{ apiKey: string; keyPrefix: string }> {
    const key = newApiKey();
    await this.transactions.run(async (tx) => {
      if (!(await this.organizers.activeOrganizerExists(organizerId, tx))) throw new NotFoundException('No active organizer with this id');
      await this.organizers.insertApiKey(tx, organizerId, sha256Hex(key.apiKey), key.keyPrefix);
    });
    return key;
  }

  listApiKeys(limit = 500): Promise<ApiKeyView[]> {
    return this.organizers.listKeys(limit);
  }

  async revokeApiKey(id: string): Promise<void> {
    if (!(await this.organizers.revokeKey(id))) throw new NotFoundException('No active API key with this id');
  }

  /** Changes an active organizer's role (its console sessions end at once: they hold the old role). */
  async changeRole(id: string, role: Role): Promise<void> {
    const organizer = await this.findActive(id);
    if (!organizer) throw new NotFoundException('No active organizer with this id');
    if (organizer.role === role) return;
    if (!(await this.organizers.changeRole(id, role))) throw new ConflictException('The organizer changed meanwhile; try again');
  }

  async authenticate(apiKey: string): Promise<AuthenticatedOrganizer | null> {
    if (!apiKey.startsWith(API_KEY_PREFIX) || apiKey.length > 100) return null;
    const found = await this.organizers.findActiveKey(sha256Hex(apiKey));
    if (!found) return null;
    if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      await this.organizers.touchKey(found.apiKeyId);
    }
    return { organizerId: found.organizerId, apiKeyId: found.apiKeyId, email: found.email, role: found.role };
  }

  async list(limit: number, cursor?: string): Promise<Page<OrganizerView>> {
    const rows = await this.organizers.page(limit, decodeCursor(cursor));
    return toPage(rows, limit, (row) => row);
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.organizers.revoke(id))) throw new NotFoundException('No active organizer with this id');
  }
}
