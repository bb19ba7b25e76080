import { PageContent } from './html-page';

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

/**
 * The page of a confirmation link (join, petition signature): the button (GET, changes
 * nothing: `ready`), or what the POST did (`confirmed`, `already`), or why nothing can be
 * done (`expired`, `unknown`).
 */
export function confirmPageContent(t: Record<ConfirmPageKey, string>, outcome: string): Omit<PageContent, 'language'> {
  switch (outcome) {
    case 'ready':
      return { title: t.confirmTitle, paragraphs: [t.confirmText], form: { button: t.confirmButton } };
    case 'confirmed':
      return { title: t.doneTitle, paragraphs: [t.doneText] };
    case 'already':
      return { title: t.alreadyTitle, paragraphs: [t.alreadyText] };
    case 'expired':
      return { title: t.expiredTitle, paragraphs: [t.expiredText] };
    default:
      return { title: t.unknownTitle, paragraphs: [t.unknownText] };
  }
}
