import type { SupportedLanguage } from '../common/languages';
import { html, SafeHtml } from '../console/console-html';
import { csrfField } from '../console/console-layout';
import { fill } from '../console/console-messages';
import { roleAtLeast } from '../organizers/roles';
import type { ConsoleSession } from '../console/console-session';
import { formatCount, formatInZone } from '../console-dashboard/console-format';
import type { AdminEventResponse } from '../events/dto/event.dto';
import { messages } from '../messages/catalogue';
import type { DoorCounts, DoorRsvp } from './check-in.repository';

export const EVENTS_MESSAGES = messages((m) => m.consoleEvents);
type EventsMessages = (typeof EVENTS_MESSAGES)['en'];

export function personName(t: EventsMessages, r: Pick<DoorRsvp, 'givenName' | 'familyName' | 'email'>): string {
  const name = [r.givenName, r.familyName].filter(Boolean).join(' ');
  return name || (r.email ? t.noName : t.erased);
}

export function eventsBody(session: ConsoleSession, events: AdminEventResponse[], nextCursor: string | null): SafeHtml {
  const t = EVENTS_MESSAGES[session.lang];
  const organizer = roleAtLeast(session.role, 'organizer');
  const rows = events.map(
    (e) =>
      html`<tr data-event="${e.id}">
        <th scope="row">${e.title}</th>
        <td>${formatInZone(session.lang, e.startsAt, e.timezone)}</td>
        <td>${t.status[e.status]}</td>
        <td data-value="${e.seatsTaken}">
          ${formatCount(session.lang, e.seatsTaken)} / ${e.capacity === null ? t.noLimit : formatCount(session.lang, e.capacity)}
        </td>
        ${
          organizer
            ? html`<td>
              <a href="/console/events/${e.id}/rsvps">${t.rsvpsLink}</a> · <a href="/console/events/${e.id}/check-in">${t.checkInLink}</a>
            </td>`
            : ''
        }
      </tr>`,
  );
  return html`    <p>${t.intro}</p>
    ${
      events.length === 0
        ? html`<p>${t.empty}</p>`
        : html`<table>
          <thead>
            <tr>
              <th scope="col">${t.eventColumn}</th><th scope="col">${t.startsColumn}</th><th scope="col">${t.statusColumn}</th
              ><th scope="col">${t.seatsColumn}</th>${organizer ? html`<th scope="col">${t.linksColumn}</th>` : ''}
            </tr>
          </thead>
          <tbody>${rows}</tbody>
        </table>`
    }
    ${nextCursor ? html`<p><a href="/console/events?cursor=${nextCursor}">${t.nextPage}</a></p>` : ''}`;
}

/** Going (seat order) and the waitlist (its order), with the attended mark. */
export function rsvpsBody(lang: SupportedLanguage, event: AdminEventResponse, rsvps: DoorRsvp[], limit: number): SafeHtml {
  const t = EVENTS_MESSAGES[lang];
  const going = rsvps.filter((r) => r.status === 'going');
  const waiting = rsvps.filter((r) => r.status === 'waitlisted');
  const table = (id: string, caption: string, rows: DoorRsvp[], attended: boolean): SafeHtml =>
    html`<div class="table-scroll"><table id="${id}">
      <caption>${caption}</caption>
      <thead>
        <tr>
          <th scope="col">${t.positionColumn}</th><th scope="col">${t.nameColumn}</th><th scope="col">${t.emailColumn}</th
          ><th scope="col">${t.guestsColumn}</th>${attended ? html`<th scope="col">${t.attendedColumn}</th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r, i) =>
            html`<tr data-rsvp="${r.id}">
              <td>${formatCount(lang, i + 1)}</td>
              <th scope="row">${personName(t, r)}</th>
              <td class="ltr">${r.email ?? ''}</td>
              <td>${formatCount(lang, r.guests)}</td>
              ${attended ? html`<td>${r.attended ? t.attendedYes : t.attendedNo}</td>` : ''}
            </tr>`,
        )}
      </tbody>
    </table></div>`;
  return html`    <p>
      <a href="/console/events">${t.backToEvents}</a> · <a href="/console/events/${event.id}/check-in">${t.checkInLink}</a>
    </p>
    ${rsvps.length >= limit ? html`<p class="help">${fill(t.shownFirst, { count: formatCount(lang, limit) })}</p>` : ''}
    <section class="card" aria-labelledby="going-heading">
      <h2 id="going-heading">${t.goingTitle}</h2>
      ${going.length === 0 ? html`<p>${t.noneGoing}</p>` : table('going', t.goingTitle, going, true)}
    </section>
    <section class="card" aria-labelledby="waitlist-heading">
      <h2 id="waitlist-heading">${t.waitlistTitle}</h2>
      ${waiting.length === 0 ? html`<p>${t.noneWaiting}</p>` : table('waitlist', t.waitlistTitle, waiting, false)}
    </section>`;
}

export interface CheckInView {
  event: AdminEventResponse;
  counts: DoorCounts;
  query: string;
  results: DoorRsvp[] | null;
  notice: string | null;
}

/** The door: one search field, big buttons, one card per person; works on a phone without script. */
export function checkInBody(session: ConsoleSession, v: CheckInView): SafeHtml {
  const t = EVENTS_MESSAGES[session.lang];
  const n = (x: number): string => formatCount(session.lang, x);
  const cards = (v.results ?? []).map((r) => {
    const name = personName(t, r);
    const action =
      r.status === 'going'
        ? html`<form method="post" action="/console/events/${v.event.id}/rsvps/${r.id}/attended">
            ${csrfField(session)}
            <input type="hidden" name="attended" value="${r.attended ? 'false' : 'true'}" />
            <input type="hidden" name="q" value="${v.query}" />
            <button type="submit" class="${r.attended ? 'secondary' : ''}" aria-label="${r.attended ? t.undoAttended : t.markAttended}: ${name}">
              ${r.attended ? t.undoAttended : t.markAttended}
            </button>
          </form>`
        : html`<p>${fill(t.onWaitlist, { position: n(r.waitlistPosition ?? 0) })}</p>`;
    return html`<li class="card" id="rsvp-${r.id}" data-rsvp="${r.id}">
      <p>
        <strong>${name}</strong>${r.guests > 0 ? html` · ${fill(t.withGuests, { count: n(r.guests) })}` : ''}
        ${r.attended ? html` · <span data-attended="true">${t.checkedIn}</span>` : ''}
      </p>
      <p class="ltr help">${r.email ?? ''}</p>
      ${action}
    </li>`;
  });
  const results =
    v.results === null
      ? ''
      : v.results.length === 0
        ? html`<p role="status">${fill(t.noMatch, { query: v.query })}</p>`
        : html`<section aria-labelledby="results-heading">
            <h2 id="results-heading">${fill(t.results, { query: v.query })}</h2>
            <ul class="check-in">${cards}</ul>
          </section>`;
  return html`    ${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
    <p data-attended-count="${v.counts.attended}">
      ${fill(t.counts, {
        attended: n(v.counts.attended),
        going: n(v.counts.going),
        attendedSeats: n(v.counts.attendedWithGuests),
        goingSeats: n(v.counts.goingWithGuests),
        waitlisted: n(v.counts.waitlisted),
      })}
    </p>
    <form class="stack" method="get" action="/console/events/${v.event.id}/check-in" role="search">
      <div class="field">
        <label for="check-in-q">${t.searchLabel}</label>
        <input type="search" id="check-in-q" name="q" value="${v.query}" maxlength="100" autocomplete="off" aria-describedby="check-in-help" />
        <p class="help" id="check-in-help">${t.searchHelp}</p>
      </div>
      <p><button type="submit">${t.searchButton}</button></p>
    </form>
    ${results}
    <p><a href="/console/events/${v.event.id}/rsvps">${t.rsvpsLink}</a> · <a href="/console/events">${t.backToEvents}</a></p>`;
}
