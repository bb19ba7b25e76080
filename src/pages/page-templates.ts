import { PublicEventResponse } from '../events/dto/event.dto';
import { PublicPetitionResponse, PublicSigner } from '../petitions/dto/petition.dto';
import { SupportedLanguage } from '../common/languages';
import { format, formatEventTime, formatNumber, MESSAGES } from '../web/i18n';
import { renderTemplate } from '../web/layout';

const paragraphs = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

const SHARE = `<section class="share" aria-labelledby="share-title">
<h2 id="share-title">{{t.shareTitle}}</h2>
<ul class="share-links">
{{#links}}
<li><a href="{{href}}" target="_blank" rel="noopener noreferrer">{{name}}</a></li>
{{/links}}
</ul>
<button type="button" class="copy-link" data-copy-link="{{url}}" data-copied="{{t.linkCopied}}" hidden>{{t.copyLink}}</button>
</section>`;

/** Share links as plain anchors (intent URLs): nothing from those sites is loaded until someone clicks. */
export function renderShare(language: SupportedLanguage, url: string, text: string): string {
  const t = MESSAGES[language];
  const u = encodeURIComponent(url);
  const both = encodeURIComponent(`${text} ${url}`);
  const links = [
    { name: 'WhatsApp', href: `https://wa.me/?text=${both}` },
    { name: 'Telegram', href: `https://t.me/share/url?url=${u}&text=${encodeURIComponent(text)}` },
    { name: 'X', href: `https://x.com/intent/post?url=${u}&text=${encodeURIComponent(text)}` },
    { name: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { name: t.shareEmail, href: `mailto:?subject=${encodeURIComponent(text)}&body=${both}` },
  ];
  return renderTemplate(SHARE, { t, links, url });
}

const JOIN = `<div class="card">
<h1>{{t.joinTitle}}</h1>
<p>{{t.joinIntro}}</p>
{{{form}}}
</div>`;

export function renderJoin(language: SupportedLanguage, form: string): string {
  return renderTemplate(JOIN, { t: MESSAGES[language], form });
}

const THANKS = `<div class="card thanks" data-thanks tabindex="-1">
<h1>{{t.thanksTitle}}</h1>
<p>{{t.thanksText}}</p>
</div>`;

/** The answer to every accepted form: the same bytes whatever the address's history. */
export function renderThanks(language: SupportedLanguage): string {
  return renderTemplate(THANKS, { t: MESSAGES[language] });
}

const PETITION = `<article class="card petition" data-poll="{{poll}}" data-number-locale="{{numberLocale}}">
<h1{{#contentLang}} lang="{{contentLang}}" dir="auto"{{/contentLang}}>{{title}}</h1>
<p class="target">{{targetText}}</p>
<div class="progress">
<p class="count"><span class="count-number" data-signature-count>{{count}}</span> {{t.signatures}}</p>
<progress data-signature-progress max="{{goal}}" value="{{countValue}}" aria-label="{{t.progressLabel}}">{{count}}</progress>
<p class="goal">{{goalText}}</p>
</div>
{{^embed}}
<div class="text"{{#contentLang}} lang="{{contentLang}}" dir="auto"{{/contentLang}}>
<p class="summary">{{summary}}</p>
{{#body}}
<p>{{.}}</p>
{{/body}}
</div>
{{/embed}}
{{#open}}
<section class="sign" aria-labelledby="sign-title">
<h2 id="sign-title">{{t.signTitle}}</h2>
{{{form}}}
</section>
{{/open}}
{{^open}}
<section class="notice closed" role="status">
<h2>{{t.petitionClosedTitle}}</h2>
<p>{{t.petitionClosedText}}</p>
</section>
{{/open}}
{{^embed}}
{{{share}}}
<section class="signers" aria-labelledby="signers-title">
<h2 id="signers-title">{{t.recentSigners}}</h2>
{{#hasSigners}}
<ul>
{{#signers}}
<li><span class="signer-name" dir="auto">{{name}}</span>{{#country}} <span class="signer-country">{{country}}</span>{{/country}}{{#comment}}<q dir="auto">{{comment}}</q>{{/comment}}</li>
{{/signers}}
</ul>
{{/hasSigners}}
{{^hasSigners}}
<p>{{t.noSigners}}</p>
{{/hasSigners}}
</section>
{{/embed}}
</article>`;

export interface PetitionView {
  language: SupportedLanguage;
  petition: PublicPetitionResponse;
  signers: PublicSigner[];
  numberLocale: string;
  /** The sign form, when the petition is open. */
  form: string | null;
  share: string;
  embed: boolean;
}

export function renderPetition(view: PetitionView): string {
  const { petition: p, language } = view;
  const t = MESSAGES[language];
  const region = new Intl.DisplayNames([language], { type: 'region' });
  return renderTemplate(PETITION, {
    t,
    embed: view.embed,
    poll: `/api/v1/petitions/${p.slug}`,
    numberLocale: view.numberLocale,
    contentLang: p.language.split('-')[0] !== language ? p.language : null,
    title: p.title,
    targetText: format(t.petitionTarget, { target: p.target }),
    count: formatNumber(language, p.signatureCount),
    countValue: Math.min(p.signatureCount, p.goal),
    goal: p.goal,
    goalText: format(t.goal, { goal: formatNumber(language, p.goal) }),
    summary: p.summary,
    body: paragraphs(p.body),
    open: view.form !== null,
    form: view.form,
    share: view.share,
    hasSigners: view.signers.length > 0,
    signers: view.signers.map((s) => ({ ...s, country: s.country ? region.of(s.country) : null })),
  });
}

const EVENT = `<article class="card event" data-poll="{{poll}}" data-number-locale="{{numberLocale}}">
<h1 dir="auto">{{title}}</h1>
<dl class="event-facts">
<dt>{{t.eventWhen}}</dt>
<dd><time datetime="{{startsAt}}">{{when}}</time></dd>
{{#hasPlace}}
<dt>{{t.eventWhere}}</dt>
<dd>{{#location.name}}<span dir="auto">{{location.name}}</span>{{/location.name}}{{#location.address}}<br><span dir="auto">{{location.address}}</span>{{/location.address}}{{#location.online}}{{#location.name}}<br>{{/location.name}}{{t.eventOnline}}{{/location.online}}{{#location.url}} <a href="{{location.url}}" rel="noopener noreferrer">{{t.eventOnlineLink}}</a>{{/location.url}}</dd>
{{/hasPlace}}
</dl>
{{#hasSpots}}
<p class="spots"><span class="count-number" data-spots-left>{{spotsLeft}}</span> {{t.spotsLeft}}</p>
{{/hasSpots}}
{{#full}}
<p class="notice">{{fullText}}</p>
{{/full}}
{{^embed}}
<div class="text" dir="auto">
{{#description}}
<p>{{.}}</p>
{{/description}}
</div>
{{/embed}}
{{#open}}
<section class="rsvp" aria-labelledby="rsvp-title">
<h2 id="rsvp-title">{{t.rsvpTitle}}</h2>
{{{form}}}
</section>
{{/open}}
{{^open}}
<section class="notice closed" role="status">
<h2>{{t.eventClosedTitle}}</h2>
<p>{{closedText}}</p>
</section>
{{/open}}
{{^embed}}
{{{share}}}
{{/embed}}
</article>`;

export interface EventView {
  language: SupportedLanguage;
  event: PublicEventResponse;
  numberLocale: string;
  /** The RSVP form, when the event takes answers. */
  form: string | null;
  closedReason: 'cancelled' | 'started' | null;
  share: string;
  embed: boolean;
}

export function renderEvent(view: EventView): string {
  const { event: e, language } = view;
  const t = MESSAGES[language];
  const startsAt = new Date(e.startsAt);
  const location = e.location ?? { online: false };
  const spotsLeft = e.spotsLeft;
  return renderTemplate(EVENT, {
    t,
    embed: view.embed,
    poll: `/api/v1/events/${e.slug}`,
    numberLocale: view.numberLocale,
    title: e.title,
    startsAt: startsAt.toISOString(),
    when: formatEventTime(language, startsAt, new Date(e.endsAt), e.timezone),
    location,
    hasPlace: Boolean(location.name || location.address || location.online || location.url),
    hasSpots: spotsLeft !== undefined && spotsLeft !== null,
    spotsLeft: spotsLeft === undefined || spotsLeft === null ? '' : formatNumber(language, spotsLeft),
    full: spotsLeft === 0 && view.form !== null,
    fullText: e.waitlist ? t.eventWaitlist : t.eventFull,
    description: paragraphs(e.description ?? ''),
    open: view.form !== null,
    form: view.form,
    closedText: view.closedReason === 'cancelled' ? t.eventCancelledText : t.eventStartedText,
    share: view.share,
  });
}

const MESSAGE = `<div class="card">
<h1>{{title}}</h1>
<p>{{text}}</p>
</div>`;

export function renderMessage(title: string, text: string): string {
  return renderTemplate(MESSAGE, { title, text });
}
