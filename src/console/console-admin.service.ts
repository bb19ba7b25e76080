import { ConflictException, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Role } from '../organizers/organizer.entity';
import { OrganizersService } from '../organizers/organizers.service';
import { ConsoleInvitations } from './console-invitations.port';
import type { ConsoleRequest, ConsoleSession } from './console-session';
import { ConsoleSessionsService } from './console-sessions.service';

/**
 * The admin screens' rules, on the organizer API's services: the same roles and the same
 * audit log (`organizer.invite`, `organizer.role`, `organizer.revoke`, `organizer.reset`,
 * `api-key.create`, `api-key.revoke`). Nobody changes, resets or revokes themselves (409),
 * as the API refuses an admin revoking their own organizer: a lone admin would lock the
 * movement out. Revoking and changing a role end the organizer's sessions at once.
 */
@Injectable()
export class ConsoleAdminService {
  constructor(
    private readonly organizers: OrganizersService,
    private readonly invitations: ConsoleInvitations,
    private readonly sessions: ConsoleSessionsService,
    private readonly audit: AuditService,
  ) {}

  private notSelf(session: ConsoleSession, organizerId: string): void {
    if (session.organizerId === organizerId.toLowerCase())
      throw new ConflictException('You cannot do this to your own organizer; another admin can');
  }

  async invite(req: ConsoleRequest, session: ConsoleSession, email: string, role: Role): Promise<void> {
    const { organizerId } = await this.invitations.invite(email, role, session);
    await this.audit.record(req, { action: 'organizer.invite', targetType: 'organizer', targetId: organizerId, details: { role } });
  }

  async changeRole(req: ConsoleRequest, session: ConsoleSession, organizerId: string, role: Role): Promise<void> {
    this.notSelf(session, organizerId);
    await this.organizers.changeRole(organizerId, role);
    await this.sessions.endAllFor(organizerId);
    await this.audit.record(req, { action: 'organizer.role', targetType: 'organizer', targetId: organizerId, details: { role } });
  }

  async revoke(req: ConsoleRequest, session: ConsoleSession, organizerId: string): Promise<void> {
    this.notSelf(session, organizerId);
    await this.organizers.revoke(organizerId);
    await this.sessions.endAllFor(organizerId);
    await this.audit.record(req, { action: 'organizer.revoke', targetType: 'organizer', targetId: organizerId });
  }

  async reset(req: ConsoleRequest, session: ConsoleSession, organizerId: string): Promise<string> {
    this.notSelf(session, organizerId);
    const { email } = await this.invitations.reset(organizerId, session);
    await this.audit.record(req, { action: 'organizer.reset', targetType: 'organizer', targetId: organizerId });
    return email;
  }

  async createApiKey(req: ConsoleRequest, organizerId: string): Promise<string> {
    const { apiKey } = await this.organizers.createApiKey(organizerId);
    await this.audit.record(req, { action: 'api-key.create', targetType: 'organizer', targetId: organizerId });
    return apiKey;
  }

  async revokeApiKey(req: ConsoleRequest, keyId: string): Promise<void> {
    await this.organizers.revokeApiKey(keyId);
    await this.audit.record(req, { action: 'api-key.revoke', targetType: 'api-key', targetId: keyId });
  }
}
