import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/database.module';
import { EmailMessage } from '../mail/email-message.entity';
import { OutgoingEmail } from '../mail/mailer.service';
import { MessageComposer, MessageComposerRegistry } from '../mail/message-composer.registry';
import { PendingOutboxEntry } from '../outbox/outbox.repository';
import { CanariesRepository, CanaryTrace } from './canaries.repository';
import { CanaryRows, makeCanaryRows } from './canary-rows';
import { StoredEmailService } from '../mail/stored-email.service';

export const CANARY_ALERT_EMAIL = 'canary-alert';
export type SightingSource = 'signup' | 'signature' | 'rsvp' | 'import' | 'email-event';

/**
 * Traceable exports (docs/safety.md): canary rows for every bulk export, the trace of an
 * address, and the alert when a canary address comes back. Detection runs where the address
 * is already read (the worker's decision, an import's rows, the email-events webhook), never
 * on the public request itself: a domain comparison first, the table only for that domain.
 */
@Injectable()
export class CanaryService implements MessageComposer, OnModuleInit {
  private readonly logger = new Logger(CanaryService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly canaries: CanariesRepository,
    private readonly audit: AuditService,
    private readonly organizerMail: StoredEmailService,
    private readonly transactions: TransactionRunner,
    private readonly composers: MessageComposerRegistry,
  ) {}

  onModuleInit(): void {
    this.composers.register(CANARY_ALERT_EMAIL, this);
  }

  get enabled(): boolean {
    return Boolean(this.config.EXPORT_CANARY_DOMAIN);
  }

  /** Cheap: a string comparison, true only for addresses at EXPORT_CANARY_DOMAIN. */
  isCanaryAddress(email: string | null | undefined): boolean {
    const domain = this.config.EXPORT_CANARY_DOMAIN;
    return !!domain && !!email && email.trim().toLowerCase().endsWith(`@${domain.toLowerCase()}`);
  }

  /**
   * Canary rows for one export, recorded before a byte of it leaves (so every row that
   * leaves can be traced) under the id its audit entry will have. Null without a domain.
   */
  async forExport(spec: {
    kind: string;
    headers: string[];
    filters: Record<string, unknown>;
    organizerId: string | null;
  }): Promise<{ rows: CanaryRows; auditId: string } | null> {
    const domain = this.config.EXPORT_CANARY_DOMAIN;
    if (!domain) return null;
    const rows = makeCanaryRows({ kind: spec.kind, headers: spec.headers, filters: spec.filters, domain });
    const auditId = randomUUID();
    await this.canaries.insert(rows.emails, auditId, spec.kind, spec.organizerId);
    return { rows, auditId };
  }

  trace(email: string): Promise<CanaryTrace | null> {
    return this.canaries.find(email.trim().toLowerCase());
  }

  /**
   * A canary address used again, inside the caller's transaction: the sighting (once per
   * occurrence), its audit entry, an email to every admin. Returns the intents to dispatch
   * after the commit (none when the address is no canary or the occurrence is known).
   */
  async sighted(tx: EntityManager, email: string, source: SightingSource, reference: string): Promise<PendingOutboxEntry[]> {
    if (!this.isCanaryAddress(email)) return [];
    const canary = await this.canaries.find(email.trim().toLowerCase(), tx);
    if (!canary) return [];
    const sightingId = await this.canaries.addSighting(tx, {
      email: email.trim().toLowerCase(),
      source,
      reference,
      auditId: canary.auditId,
    });
    if (!sightingId) return [];
    this.logger.warn(`canary of export ${canary.auditId} seen in a ${source}: admins alerted`);
    await this.audit.record(
      undefined,
      {
        action: 'export.canary-seen',
        targetType: 'audit',
        targetId: canary.auditId,
        details: { source, reference, kind: canary.kind, exportedBy: canary.organizerId, exportedAt: canary.at, sightingId },
      },
      tx,
    );
    const entries: PendingOutboxEntry[] = [];
    for (const admin of await this.canaries.activeAdmins(tx)) {
      entries.push(
        await this.organizerMail.queue(tx, {
          kind: CANARY_ALERT_EMAIL,
          dedupeKey: `canary-alert:${sightingId}:${admin.id}`,
          params: { sightingId, organizerId: admin.id },
        }),
      );
    }
    return entries;
  }

  /** `sighted` in a transaction of its own, dispatched at once (imports, the email-events webhook). */
  async sightedNow(email: string, source: SightingSource, reference: string): Promise<void> {
    if (!this.isCanaryAddress(email)) return;
    const entries = await this.transactions.run((tx) => this.sighted(tx, email, source, reference));
    this.organizerMail.dispatch(entries);
  }

  dispatch(entries: PendingOutboxEntry[]): void {
    this.organizerMail.dispatch(entries);
  }

  async compose(message: Pick<EmailMessage, 'params'>): Promise<OutgoingEmail | null> {
    const [sighting, to] = await Promise.all([
      this.canaries.findSighting(message.params.sightingId),
      this.canaries.organizerEmail(message.params.organizerId),
    ]);
    if (!sighting || !to) return null;
    const subject = `Security alert: export ${sighting.auditId} has leaked`;
    const lines = [
      `A canary address that exists only in one export was just used in a ${sighting.source} (${sighting.seenAt.toISOString()}).`,
      `The export: audit entry ${sighting.auditId} (${sighting.kind}), downloaded by organizer ${sighting.organizerId ?? '(command line)'} at ${sighting.at.toISOString()}.`,
      'Whoever holds that file has shared it outside the movement. See GET /api/v1/admin/audit-log?action=export.canary-seen, and consider `node dist/cli.js security:lockdown`.',
    ];
    const text = `${lines.join('\n\n')}\n`;
    const html = `<!doctype html><html lang="en"><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`;
    return { to, subject, text, html };
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
