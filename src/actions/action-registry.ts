import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { PersonSectionRegistry } from '../people/person-sections.registry';
import { RetentionService } from '../retention/retention.service';
import { ActionDefinition, ActionKind } from './action-definition';

/**
 * Every action kind, found at boot (providers marked `@ActionKind()`), and what is derived
 * from their definitions instead of being listed by hand: the email kinds the daily caps
 * count, the kind behind a link path, an email kind or a job. Here the kinds also join the
 * person record (a section, an erasure step, a holding table) and retention (its expired
 * records, a keep condition); `ActionWorker` registers their jobs, `ActionEmails` their
 * emails' composer, and `ActionsReconciler` looks for their undecided requests.
 */
@Injectable()
export class ActionRegistry implements OnModuleInit {
  private definitions?: ActionDefinition[];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly record: PersonSectionRegistry,
    private readonly retention: RetentionService,
  ) {}

  onModuleInit(): void {
    for (const definition of this.all()) {
      const { record, section } = definition.spec;
      const { table } = record;
      this.record.register({ key: section.key, inDetail: section.inDetail, load: (personId) => definition.recordsOf(personId) });
      this.record.registerErasureStep({ name: table, run: (tx, person) => definition.erase(tx, person) });
      this.record.registerHolder(table);
      this.retention.registerExpiry(table, definition.spec.sql.expired);
      // A record left (a recent pending one, whose link may still be used) keeps a never-confirmed person.
      this.retention.registerPersonKeepCondition(`EXISTS (SELECT 1 FROM ${table} x WHERE x.person_id = p.id)`);
    }
  }

  /** Every definition, in discovery order; the first call finds them and checks that no two share a name. */
  all(): ActionDefinition[] {
    this.definitions ??= this.discover();
    return this.definitions;
  }

  get(kind: string): ActionDefinition {
    const definition = this.all().find((d) => d.spec.kind === kind);
    if (!definition) throw new Error(`no action kind ${kind}`);
    return definition;
  }

  /** The definition whose emails include this kind, if any. */
  byEmailKind(emailKind: string): ActionDefinition | undefined {
    return this.all().find((d) => emailKindsOf(d).includes(emailKind));
  }

  /** Every email kind that counts toward the per-address daily ceiling: each kind's confirmation and the emails capped with it. */
  cappedEmailKinds(): string[] {
    return this.all().flatMap(emailKindsOf);
  }

  private discover(): ActionDefinition[] {
    const found = this.discovery
      .getProviders({ metadataKey: ActionKind.KEY })
      .map((wrapper) => wrapper.instance as ActionDefinition | undefined)
      .filter((instance): instance is ActionDefinition => Boolean(instance?.spec));
    const seen = new Map<string, string>();
    const claim = (what: string, value: string, kind: string): void => {
      const key = `${what} ${value}`;
      const other = seen.get(key);
      if (other) throw new Error(`action kinds ${other} and ${kind} share the ${key}`);
      seen.set(key, kind);
    };
    for (const { spec } of found) {
      claim('kind', spec.kind, spec.kind);
      claim('table', spec.record.table, spec.kind);
      claim('job', `${spec.job.queue}:${spec.job.name}`, spec.kind);
      claim('link path', spec.link.path, spec.kind);
      claim('token purpose', spec.link.purpose, spec.kind);
      claim('person section', spec.section.key, spec.kind);
      for (const emailKind of emailKindsOf({ spec })) claim('email kind', emailKind, spec.kind);
    }
    return found;
  }
}

function emailKindsOf(definition: Pick<ActionDefinition, 'spec'>): string[] {
  return [definition.spec.emails.confirmation, ...(definition.spec.emails.alsoCapped ?? [])];
}
