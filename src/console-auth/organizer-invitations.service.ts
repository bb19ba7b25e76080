import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConsoleInvitations } from '../console/console-invitations.port';
import type { ConsoleSession } from '../console/console-session';
import { ConsoleSessionsService } from '../console/console-sessions.service';
import { StoredEmailService } from '../mail/stored-email.service';
import type { Role } from '../organizers/organizer.entity';
import type { PendingOutboxEntry } from '../outbox/outbox.repository';
import { INVITATION_EMAIL_KIND, InvitationsService } from './invitations.service';

/**
 * Invitations an admin sends from the console: emailed through the outbox in the
 * invitation's own transaction (the queue payload carries the message id only; the worker
 * renders the link from the invitation id). A reset also ends the organizer's sessions.
 */
@Injectable()
export class OrganizerInvitationsService extends ConsoleInvitations {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly storedEmails: StoredEmailService,
    private readonly sessions: ConsoleSessionsService,
  ) {
    super();
  }

  async invite(email: string, role: Role, by: ConsoleSession): Promise<{ organizerId: string }> {
    const entries: PendingOutboxEntry[] = [];
    const { organizerId } = await this.invitations.invite(email, role, {
      createdBy: by.organizerId,
      within: async (tx, invitationId) => {
        entries.push(await this.queueEmail(tx, invitationId, by.lang));
      },
    });
    this.storedEmails.dispatch(entries);
    return { organizerId };
  }

  async reset(organizerId: string, by: ConsoleSession): Promise<{ email: string }> {
    const entries: PendingOutboxEntry[] = [];
    const { email } = await this.invitations.reset(organizerId, {
      createdBy: by.organizerId,
      within: async (tx, invitationId) => {
        await this.sessions.endAllFor(organizerId, tx);
        entries.push(await this.queueEmail(tx, invitationId, by.lang));
      },
    });
    this.storedEmails.dispatch(entries);
    return { email };
  }

  private queueEmail(tx: EntityManager, invitationId: string, language: string): Promise<PendingOutboxEntry> {
    return this.storedEmails.queue(tx, {
      kind: INVITATION_EMAIL_KIND,
      dedupeKey: `console-invitation:${invitationId}`,
      language,
      params: { invitationId },
    });
  }
}
