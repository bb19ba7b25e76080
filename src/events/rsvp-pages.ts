import { SupportedLanguage } from '../common/languages';
import { fill } from '../mail/email-layout';
import { PageContent } from '../web/html-page';
import { EVENT_PAGES } from './event-messages';

/**
 * The pages behind the links in event emails: the confirmation link's (`ready`, `going`,
 * `waitlisted`, `full`, `closed`, `already`) and the cancel link's (`cancel-ready`,
 * `cancelled`, `already-cancelled`), and both links' `expired` and `unknown`.
 */
export function rsvpPageContent(language: SupportedLanguage, outcome: string, title = ''): Omit<PageContent, 'language'> {
  const t = EVENT_PAGES[language];
  const v = { title };
  switch (outcome) {
    case 'ready':
      return { title: t.confirmTitle, paragraphs: [fill(t.confirmText, v)], form: { button: t.confirmButton } };
    case 'going':
      return { title: t.goingTitle, paragraphs: [fill(t.goingText, v)] };
    case 'waitlisted':
      return { title: t.waitlistedTitle, paragraphs: [fill(t.waitlistedText, v)] };
    case 'full':
      return { title: t.fullTitle, paragraphs: [fill(t.fullText, v)] };
    case 'closed':
      return { title: t.closedTitle, paragraphs: [fill(t.closedText, v)] };
    case 'already':
    case 'already-cancelled':
      return { title: t.alreadyTitle, paragraphs: [t.alreadyText] };
    case 'cancel-ready':
      return { title: t.cancelTitle, paragraphs: [fill(t.cancelText, v)], form: { button: t.cancelButton } };
    case 'cancelled':
      return { title: t.cancelledTitle, paragraphs: [fill(t.cancelledText, v)] };
    case 'expired':
      return { title: t.expiredTitle, paragraphs: [t.expiredText] };
    default:
      return { title: t.unknownTitle, paragraphs: [t.unknownText] };
  }
}
