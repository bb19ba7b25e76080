import type { FastifyReply } from 'fastify';
import { Catalog, SupportedLanguage } from '../common/languages';
import { PageContent, renderPage, sendHtml } from './html-page';

/** What a confirmation link (join, petition signature) can find. */
export type ConfirmOutcome = 'ready' | 'confirmed' | 'already-confirmed' | 'expired' | 'unknown';

export interface ConfirmResult {
  outcome: ConfirmOutcome;
  language: SupportedLanguage;
}

/** The texts a confirmation link's pages need, in every language. */
export type ConfirmPageKey =
  | 'confirmTitle'
  | 'confirmText'
  | 'confirmButton'
  | 'doneTitle'
  | 'doneText'
  | 'alreadyTitle'
  | 'alreadyText'
  | 'expiredTitle'
  | 'expiredText'
  | 'unknownTitle'
  | 'unknownText';

const STATUS: Record<ConfirmOutcome, number> = { ready: 200, confirmed: 200, 'already-confirmed': 200, expired: 410, unknown: 404 };

/** Answers a confirmation link: the button page (GET, changes nothing) or the outcome of the POST. */
export async function sendConfirmPage(reply: FastifyReply, catalog: Catalog<ConfirmPageKey>, result: ConfirmResult): Promise<void> {
  const t = catalog[result.language];
  const pages: Record<ConfirmOutcome, Omit<PageContent, 'language'>> = {
    ready: { title: t.confirmTitle, paragraphs: [t.confirmText], form: { button: t.confirmButton } },
    confirmed: { title: t.doneTitle, paragraphs: [t.doneText] },
    'already-confirmed': { title: t.alreadyTitle, paragraphs: [t.alreadyText] },
    expired: { title: t.expiredTitle, paragraphs: [t.expiredText] },
    unknown: { title: t.unknownTitle, paragraphs: [t.unknownText] },
  };
  await sendHtml(reply, STATUS[result.outcome], renderPage({ language: result.language, ...pages[result.outcome] }));
}
