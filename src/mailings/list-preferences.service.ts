import { Injectable } from '@nestjs/common';
import { resolveLanguage, SupportedLanguage } from '../common/languages';
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
  ) {}

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
    await this.repo.unsubscribe(target.personId, target.listId);
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
    await this.repo.setSubscriptions(
      target.personId,
      subscribed.filter((id) => UUID.test(id)),
    );
    return { ...(await this.preferences(token)), outcome: 'saved' } as PreferencesView;
  }
}
