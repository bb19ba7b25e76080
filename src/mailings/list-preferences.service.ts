import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChangeFeed } from '../changes/change-feed.service';
import { resolveLanguage, SupportedLanguage } from '../common/languages';
import { TransactionRunner } from '../database/database.module';
import { ListLinkTokens } from './list-link-tokens.service';
import { ListPreferencesRepository } from './list-preferences.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type UnsubscribeView =
  { outcome: 'unknown'; language: SupportedLanguage } | { outcome: 'ready' | 'done'; language: SupportedLanguage; list: string };

export type PreferencesView =
  | { outcome: 'unknown'; language: SupportedLanguage }
  | { outcome: 'ready' | 'saved'; language: SupportedLanguage; lists: Array<{ id: string; name: string; subscribed: boolean }> };

/**
 * What the links in a newsletter's footer do. The token alone decides (no cookie, no login):
 * an unsubscribe token unsubscribes its one person from its one list; a preferences token
 * shows and changes its one person's lists.
 */
@Injectable()
export class ListPreferencesService {
  constructor(
    private readonly tokens: ListLinkTokens,
    private readonly repo: ListPreferencesRepository,
    private readonly transactions: TransactionRunner,
    private readonly changes: ChangeFeed,
  ) {}

  /** The change and its `person.unsubscribed` events (one per list left) commit together. */
  private async changeSubscriptions(personId: string, change: (tx: EntityManager) => Promise<string[]>): Promise<void> {
    await this.transactions.run(async (tx) => {
      if (!(await this.repo.lockPerson(tx, personId))) return;
      const left = await change(tx);
      await this.changes.recordMany(
        tx,
        left.map((listId) => ({ type: 'person.unsubscribed' as const, data: { personId, listId } })),
      );
    });
  }

  async inspectUnsubscribe(token: string): Promise<UnsubscribeView> {
    const target = this.tokens.readUnsubscribeToken(token);
    const person = target ? await this.repo.person(target.personId) : null;
    const list = target ? await this.repo.listName(target.listId) : null;
    if (!target || !person || list === null) return { outcome: 'unknown', language: 'en' };
    return { outcome: 'ready', language: resolveLanguage(person.language), list };
  }

  async unsubscribe(token: string): Promise<UnsubscribeView> {
    const view = await this.inspectUnsubscribe(token);
    if (view.outcome === 'unknown') return view;
    const target = this.tokens.readUnsubscribeToken(token)!;
    await this.changeSubscriptions(target.personId, (tx) => this.repo.unsubscribe(tx, target.personId, target.listId));
    return { ...view, outcome: 'done' };
  }

  async preferences(token: string): Promise<PreferencesView> {
    const target = this.tokens.readPreferencesToken(token);
    const person = target ? await this.repo.person(target.personId) : null;
    if (!person) return { outcome: 'unknown', language: 'en' };
    return { outcome: 'ready', language: resolveLanguage(person.language), lists: await this.repo.subscriptionsOf(person.id) };
  }

  async savePreferences(token: string, subscribed: string[]): Promise<PreferencesView> {
    const view = await this.preferences(token);
    if (view.outcome === 'unknown') return view;
    const target = this.tokens.readPreferencesToken(token)!;
    const lists = subscribed.filter((id) => UUID.test(id));
    await this.changeSubscriptions(target.personId, (tx) => this.repo.setSubscriptions(tx, target.personId, lists));
    return { ...(await this.preferences(token)), outcome: 'saved' } as PreferencesView;
  }
}
