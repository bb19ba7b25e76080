import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { keyedHash, normalizeEmail, sha256Hex } from '../common/crypto.util';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation, TransactionRunner } from '../database/database.module';
import type { Role } from '../organizers/organizer.entity';
import { OrganizersService } from '../organizers/organizers.service';
import { ConsoleAuthRepository, InvitationRow } from './console-auth.repository';

/** More work in the invitation's transaction (queue its email, end sessions): it commits or fails with it. */
export type WithinInvitation = (tx: EntityManager, invitationId: string, organizerId: string) => Promise<void>;

/** Valid for 72 hours, used once (CONTRACT section 6). */
export const INVITATION_HOURS = 72;
export const INVITATION_EMAIL_KIND = 'console-invitation';

/**
 * Invitations to the console: by the command line (`organizer:invite`, the URL printed), by
 * an admin in the console (emailed through the outbox: the job carries the message id, the
 * worker renders the URL from the invitation id), by an admin's reset of another organizer's
 * credentials, and the first admin's set-up link (`npm start` on an install with no organizer).
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly repo: ConsoleAuthRepository,
    private readonly organizers: OrganizersService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  /** The URL's token: an HMAC of the id, so the worker can rebuild the link from the id alone. */
  tokenFor(invitationId: string): string {
    return keyedHash(this.config.APP_SECRET, 'console-invitation', invitationId);
  }

  urlFor(invitationId: string): string {
    return `${this.config.publicUrl}/console/invitations/${this.tokenFor(invitationId)}`;
  }

  /** A new organizer (no API key) with an invitation; 409 when the address is taken. */
  async invite(
    email: string,
    role: Role,
    options: { createdBy: string | null; within?: WithinInvitation },
  ): Promise<{ organizerId: string; url: string }> {
    const normalized = normalizeEmail(email);
    return this.transactions
      .run(async (tx) => {
        const organizer = await this.organizers.createWithoutKey(tx, normalized, role);
        const invitationId = await this.addInvitation(tx, organizer.id, role, options.createdBy);
        await options.within?.(tx, invitationId, organizer.id);
        return { organizerId: organizer.id, url: this.urlFor(invitationId) };
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new ConflictException('An organizer with this email exists; reset its sign-in instead');
        throw err;
      });
  }

  /**
   * An admin's reset of an organizer's console credentials: passkeys, password, TOTP and
   * recovery codes gone, sessions ended, a new invitation (emailed when asked).
   */
  async reset(
    organizerId: string,
    options: { createdBy: string | null; within?: WithinInvitation },
  ): Promise<{ url: string; email: string }> {
    const organizer = await this.repo.findActiveOrganizer(organizerId);
    if (!organizer) throw new NotFoundException('No active organizer with this id');
    const url = await this.transactions.run(async (tx) => {
      await this.repo.deleteCredentials(tx, organizerId);
      const invitationId = await this.addInvitation(tx, organizerId, organizer.role, options.createdBy);
      await options.within?.(tx, invitationId, organizerId);
      return this.urlFor(invitationId);
    });
    return { url, email: organizer.email };
  }

  /** The first admin's set-up link, only while no active organizer exists (else null). */
  async setupLink(): Promise<string | null> {
    return this.transactions.run(async (tx) => {
      await this.repo.lockFirstAdmin(tx);
      if ((await this.repo.activeOrganizerCount(tx)) > 0) return null;
      return this.urlFor(await this.addInvitation(tx, null, 'admin', null));
    });
  }

  /** The usable invitation a URL token stands for, or null (unknown, used, expired, organizer revoked). */
  async find(token: string): Promise<InvitationRow | null> {
    if (!/^[0-9a-f]{64}$/.test(token)) return null;
    return this.repo.findUsableInvitation(sha256Hex(token));
  }

  /**
   * The set-up invitation gets its admin: created now, with the address typed, in the same
   * transaction that checks (under a lock) that there still is no active organizer.
   */
  async createFirstAdmin(invitation: InvitationRow, email: string): Promise<void> {
    await this.transactions
      .run(async (tx) => {
        await this.repo.lockFirstAdmin(tx);
        if (invitation.organizerId || (await this.repo.activeOrganizerCount(tx)) > 0) {
          throw new ConflictException('An admin exists already: ask them for an invitation');
        }
        const organizer = await this.organizers.createWithoutKey(tx, normalizeEmail(email), 'admin');
        await this.repo.attachInvitation(tx, invitation.id, organizer.id);
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new ConflictException('An organizer with this email exists');
        throw err;
      });
  }

  /** Uses the invitation inside the enrollment's transaction; false when someone used it first. */
  claim(tx: EntityManager, invitationId: string): Promise<boolean> {
    return this.repo.claimInvitation(tx, invitationId);
  }

  private async addInvitation(tx: EntityManager, organizerId: string | null, role: Role, createdBy: string | null): Promise<string> {
    const id = randomUUID();
    await this.repo.insertInvitation(tx, {
      id,
      organizerId,
      role,
      tokenHash: sha256Hex(this.tokenFor(id)),
      createdBy,
      expiresAt: new Date(Date.now() + INVITATION_HOURS * 3_600_000),
    });
    return id;
  }
}
