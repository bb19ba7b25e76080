import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { OrganizersService } from '../organizers/organizers.service';
import { SecurityRepository } from './security.repository';

/**
 * One thing a lockdown ends. Steps run in order in one transaction, after the new admin
 * exists (so a failed lockdown never leaves nobody able to act); each returns how many it
 * ended, for the report and the audit entry.
 */
export interface LockdownStep {
  name: string;
  run(tx: EntityManager, keep: { organizerId: string }): Promise<number>;
}

export interface LockdownReport {
  organizerId: string;
  email: string;
  apiKey: string;
  ended: Record<string, number>;
}

/**
 * Panic button (`node dist/cli.js security:lockdown`, docs/safety.md): a stolen key or an
 * insider, and every organizer credential ends at once but one new admin key. The steps are
 * the extension point: the console's sessions add a step here (`register`), nothing else
 * changes.
 */
@Injectable()
export class LockdownService {
  private readonly logger = new Logger(LockdownService.name);
  private readonly steps: LockdownStep[] = [
    { name: 'apiKeys', run: (tx, keep) => this.security.revokeApiKeys(tx, keep.organizerId) },
    // The console's sessions live in PostgreSQL, so the CLI ends them without the console's module.
    { name: 'consoleSessions', run: (tx) => this.security.endConsoleSessions(tx) },
  ];

  constructor(
    private readonly security: SecurityRepository,
    private readonly organizers: OrganizersService,
    private readonly audit: AuditService,
  ) {}

  register(step: LockdownStep): void {
    if (this.steps.some((s) => s.name === step.name)) throw new Error(`two lockdown steps named ${step.name}`);
    this.steps.push(step);
  }

  async run(email: string): Promise<LockdownReport> {
    const { organizer, apiKey } = await this.organizers.create(email, 'admin');
    const ended = await this.security.transaction(async (tx) => {
      const counts: Record<string, number> = {};
      for (const step of this.steps) counts[step.name] = await step.run(tx, { organizerId: organizer.id });
      await this.audit.record(
        undefined,
        { action: 'security.lockdown', targetType: 'organizer', targetId: organizer.id, details: counts },
        tx,
      );
      return counts;
    });
    this.logger.warn(`lockdown: ${JSON.stringify(ended)} ended; new admin ${organizer.id}`);
    return { organizerId: organizer.id, email: organizer.email, apiKey, ended };
  }
}
