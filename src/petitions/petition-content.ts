import { parseAcceptLanguage } from '../common/languages';
import type { Petition, PetitionContent } from './petition.entity';

/**
 * Picks the content language: `?lang=` first, then Accept-Language in order of preference,
 * matched exactly or by primary subtag against the petition's own language and its
 * translations; else the petition's own. Returns a key of `available`, so callers can use it
 * to name a cache entry (a bounded set, whatever clients send).
 */
export function chooseLanguage(own: string, translations: string[], lang: string | undefined, acceptLanguage: string | undefined): string {
  const available = [own, ...translations];
  const match = (tag: string): string | undefined => {
    const wanted = tag.toLowerCase();
    const exact = available.find((a) => a.toLowerCase() === wanted);
    if (exact) return exact;
    const primary = wanted.split('-')[0];
    return available.find((a) => a.toLowerCase().split('-')[0] === primary);
  };
  if (lang) {
    const found = match(lang);
    if (found) return found;
  }
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    const found = match(tag);
    if (found) return found;
  }
  return own;
}

/** The petition's content in `language` (one of its own or translations' keys). */
export function contentIn(
  petition: Pick<Petition, 'language' | 'title' | 'summary' | 'body' | 'translations'>,
  language: string,
): PetitionContent {
  if (language !== petition.language && petition.translations[language]) return petition.translations[language];
  return { title: petition.title, summary: petition.summary, body: petition.body };
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `Amal H.`: the given name and the family name's first letter (a whole grapheme). */
export function publicName(givenName: string, familyName: string | null): string {
  // Invisible format marks (LRM/RLM, ZWJ at the start...) are allowed in names but are no
  // initial: skip them, or an Arabic name typed after an RLM shows as "G ‏."
  const family = (familyName ?? '').replace(/^[\p{Cf}\s]+/u, '');
  if (!family) return givenName;
  const first = GRAPHEMES.segment(family)[Symbol.iterator]().next().value?.segment ?? '';
  return `${givenName} ${first}.`;
}
