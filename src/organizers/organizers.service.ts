import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { normalizeEmail, randomToken, sha256Hex } from '../common/crypto.util';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { isUniqueViolation, TransactionRunner } from '../database/database.module';
import { Role } from './organizer.entity';
import { AuthenticatedOrganizer, OrganizersRepository } from './organizers.repository';

export const API_KEY_PREFIX = 'cpk_';
/** last_used_at is a hint, not an audit trail: write it at most once a minute per key. */
const TOUCH_EVERY_MS = 60_000;

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
    const apiKey = `${API_KEY_PREFIX}${randomToken(32)}`;
    const keyPrefix = apiKey.slice(0, 12);
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
