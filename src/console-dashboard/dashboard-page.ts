import type { SupportedLanguage } from '../common/languages';
import { dataTable, html, SafeHtml } from '../console/console-html';
import { fill } from '../console/console-messages';
import { messages } from '../messages/catalogue';
import { formatChange, formatCount, formatDay, formatInZone, formatPercent } from './console-format';
import { Dashboard, DASHBOARD_RANGES, DayCount } from './dashboard.service';
import { barChart, lineChart } from './svg-chart';

export const DASHBOARD_MESSAGES = messages((m) => m.consoleDashboard);
export type DashboardMessages = (typeof DASHBOARD_MESSAGES)['en'];

/** The dashboard's body: every figure is a number in a table; the per-day ones are also a chart. */
export function dashboardBody(d: Dashboard, lang: SupportedLanguage): SafeHtml {
  const t = DASHBOARD_MESSAGES[lang];
  const n = (v: number): string => formatCount(lang, v);
  const ranges = DASHBOARD_RANGES.map(
    (days) =>
      html`<li>
        <a href="/console/dashboard?days=${days}" ${days === d.days ? html`aria-current="true"` : ''}
          >${fill(t.range, { days: n(days) })}</a
        >
      </li>`,
  );
  return html`    <p>${t.intro}</p>
    <nav aria-label="${t.rangeLabel}">
      <ul class="ranges">
        ${ranges}
      </ul>
    </nav>
    ${perDaySection('signups', t.signupsTitle, d.signups, d.days, lang)}
    ${perDaySection('signatures', t.signaturesTitle, d.signatures, d.days, lang)} ${listsSection(d, lang)} ${petitionsSection(d, lang)}
    ${eventsSection(d, lang)} ${mailingsSection(d, lang)}`;
}

function perDaySection(id: string, title: string, counts: DayCount[], days: number, lang: SupportedLanguage): SafeHtml {
  const t = DASHBOARD_MESSAGES[lang];
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const max = counts.reduce((m, c) => Math.max(m, c.count), 0);
  const description = fill(t.perDayDescription, {
    total: formatCount(lang, total),
    days: formatCount(lang, days),
    max: formatCount(lang, max),
  });
  const chart = barChart(
    counts.map((c) => ({ label: formatDay(lang, c.day), value: c.count })),
    { id: `chart-${id}`, title, description, formatNumber: (v) => formatCount(lang, v) },
  );
  return html`<section class="card" aria-labelledby="${id}-heading" id="${id}">
    <h2 id="${id}-heading">${title}</h2>
    <p data-total="${total}">${description}</p>
    <figure>${chart}</figure>
    ${numbersTable(id, title, counts, lang, (v) => formatCount(lang, v))}
  </section>`;
}

function numbersTable(id: string, caption: string, counts: DayCount[], lang: SupportedLanguage, format: (v: number) => string): SafeHtml {
  const t = DASHBOARD_MESSAGES[lang];
  // Newest first: the day an organizer looks for most.
  const rows = [...counts].reverse().map(
    (c) =>
      html`<tr data-day="${c.day}">
        <th scope="row">${formatDay(lang, c.day, true)}</th>
        <td data-value="${c.count}">${format(c.count)}</td>
      </tr>`,
  );
  return html`<details>
    <summary>${t.numbers}</summary>
    <table id="${id}-numbers">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.dayColumn}</th>
          <th scope="col">${t.countColumn}</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </details>`;
}

function listsSection(d: Dashboard, lang: SupportedLanguage): SafeHtml {
  const t = DASHBOARD_MESSAGES[lang];
  const days = formatCount(lang, d.days);
  const defaultList = d.lists.find((l) => l.isDefault);
  let chart = html``;
  if (defaultList) {
    const title = fill(t.listGrowthTitle, { list: defaultList.name });
    const description = fill(t.listGrowthDescription, {
      total: formatCount(lang, defaultList.subscribers),
      change: formatChange(lang, defaultList.recent),
      days,
    });
    chart = html`<h3>${title}</h3>
      <p>${description}</p>
      <figure>
        ${lineChart(
          d.defaultListGrowth.map((c) => ({ label: formatDay(lang, c.day), value: c.count })),
          { id: 'chart-list-growth', title, description, formatNumber: (v) => formatCount(lang, v) },
        )}
      </figure>
      ${numbersTable('list-growth', title, d.defaultListGrowth, lang, (v) => formatCount(lang, v))}`;
  }
  const rows = d.lists.map(
    (l) =>
      html`<tr data-list="${l.slug}">
        <th scope="row">${l.name}</th>
        <td data-value="${l.subscribers}">${formatCount(lang, l.subscribers)}</td>
        <td data-value="${l.recent}">${formatChange(lang, l.recent)}</td>
      </tr>`,
  );
  return html`<section class="card" aria-labelledby="lists-heading" id="lists">
    <h2 id="lists-heading">${t.listsTitle}</h2>
    ${chart}
    ${
      d.lists.length === 0
        ? html`<p>${t.noLists}</p>`
        : html`<div class="table-scroll"><table id="lists-table">
            <caption>
              ${t.listsTitle}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.listColumn}</th>
                <th scope="col">${t.subscribersColumn}</th>
                <th scope="col">${fill(t.changeColumn, { days })}</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table></div>`
    }
  </section>`;
}

function petitionsSection(d: Dashboard, lang: SupportedLanguage): SafeHtml {
  const t = DASHBOARD_MESSAGES[lang];
  const rows = d.petitions.map((p) => {
    const fraction = p.goal > 0 ? Math.min(1, p.signatureCount / p.goal) : 0;
    const percent = formatPercent(lang, p.goal > 0 ? p.signatureCount / p.goal : 0);
    return html`<tr data-petition="${p.id}">
      <th scope="row">${p.title}</th>
      <td data-value="${p.signatureCount}">${formatCount(lang, p.signatureCount)}</td>
      <td data-value="${p.goal}">${formatCount(lang, p.goal)}</td>
      <td>
        <progress max="1" value="${fraction.toFixed(3)}" aria-label="${fill(t.progressLabel, { title: p.title, percent })}"></progress>
        ${percent}
      </td>
    </tr>`;
  });
  return tableCard(
    'petitions',
    t.petitionsTitle,
    d.petitions.length === 0 ? t.petitionsEmpty : null,
    [t.petitionColumn, t.signaturesColumn, t.goalColumn, t.progressColumn],
    rows,
  );
}

function eventsSection(d: Dashboard, lang: SupportedLanguage): SafeHtml {
  const t = DASHBOARD_MESSAGES[lang];
  const rows = d.events.map(
    (e) =>
      html`<tr data-event="${e.id}">
        <th scope="row">${e.title}</th>
        <td>${formatInZone(lang, e.startsAt, e.timezone)}</td>
        <td data-value="${e.seatsTaken}">
          ${formatCount(lang, e.seatsTaken)} / ${e.capacity === null ? t.noLimit : formatCount(lang, e.capacity)}
        </td>
      </tr>`,
  );
  return tableCard(
    'events',
    t.eventsTitle,
    d.events.length === 0 ? t.eventsEmpty : null,
    [t.eventColumn, t.startsColumn, t.seatsColumn],
    rows,
  );
}

function mailingsSection(d: Dashboard, lang: SupportedLanguage): SafeHtml {
  const t = DASHBOARD_MESSAGES[lang];
  const cell = (v: number): SafeHtml => html`<td data-value="${v}">${formatCount(lang, v)}</td>`;
  const rows = d.mailings.map(
    (m) =>
      html`<tr data-mailing="${m.id}">
        <th scope="row">${m.name}</th>
        <td>${t.status[m.status as keyof DashboardMessages['status']] ?? m.status}</td>
        ${cell(m.stats.recipients)} ${cell(m.stats.sent)} ${cell(m.stats.failed)} ${cell(m.stats.bounced)} ${cell(m.stats.unsubscribed)}
      </tr>`,
  );
  return tableCard(
    'mailings',
    t.mailingsTitle,
    d.mailings.length === 0 ? t.mailingsEmpty : null,
    [t.mailingColumn, t.statusColumn, t.recipientsColumn, t.sentColumn, t.failedColumn, t.bouncedColumn, t.unsubscribedColumn],
    rows,
  );
}

/** A card of the dashboard holding one table, or the sentence saying there is nothing to list. */
function tableCard(id: string, title: string, empty: string | null, columns: string[], rows: SafeHtml[]): SafeHtml {
  return html`<section class="card" aria-labelledby="${id}-heading" id="${id}">
    <h2 id="${id}-heading">${title}</h2>
    ${empty !== null ? html`<p>${empty}</p>` : html`<div class="table-scroll">${dataTable(columns, rows)}</div>`}
  </section>`;
}
