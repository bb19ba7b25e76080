import { html, SafeHtml } from '../console/console-html';
import { csrfField } from '../console/console-layout';
import { fill } from '../console/console-messages';
import { roleAtLeast } from '../organizers/roles';
import type { ConsoleSession } from '../console/console-session';
import { formatCount } from '../console-dashboard/console-format';
import type { ListResponse } from '../lists/dto/list.dto';
import { messages } from '../messages/catalogue';

export const LISTS_MESSAGES = messages((m) => m.consoleLists);
export const LIST_NOTICES = ['created', 'renamed', 'public', 'private', 'default'] as const;
export type ListNotice = (typeof LIST_NOTICES)[number];

/** The lists table; the forms that change a list only for organizers and admins. */
export function listsBody(
  session: ConsoleSession,
  lists: ListResponse[],
  subscribers: Map<string, number>,
  notice: ListNotice | null,
): SafeHtml {
  const t = LISTS_MESSAGES[session.lang];
  const canEdit = roleAtLeast(session.role, 'organizer');
  const notices: Record<ListNotice, string> = {
    created: t.created,
    renamed: t.renamed,
    public: t.madePublic,
    private: t.madePrivate,
    default: t.madeDefault,
  };
  const rows = lists.map((l) => {
    const actions = canEdit
      ? html`<td>
          <form class="inline" method="post" action="/console/lists/${l.id}/name">
            ${csrfField(session)}
            <label for="name-${l.id}">${t.nameField}</label>
            <input id="name-${l.id}" name="name" value="${l.name}" required maxlength="200" />
            <button type="submit" class="secondary">${t.rename}</button>
          </form>
          ${
            l.isDefault
              ? ''
              : html`<form class="inline" method="post" action="/console/lists/${l.id}/public">
                  ${csrfField(session)}<input type="hidden" name="public" value="${l.public ? 'false' : 'true'}" />
                  <button type="submit" class="secondary">${l.public ? t.makePrivate : t.makePublic}</button>
                </form>
                <form class="inline" method="post" action="/console/lists/${l.id}/default">
                  ${csrfField(session)}<button type="submit" class="secondary">${t.makeDefault}</button>
                </form>`
          }
        </td>`
      : '';
    const count = subscribers.get(l.id) ?? 0;
    return html`<tr data-list="${l.slug}">
      <th scope="row">${l.name}</th>
      <td class="ltr">${l.slug}</td>
      <td>${l.public ? t.publicYes : t.publicNo}</td>
      <td>${l.isDefault ? t.defaultYes : ''}</td>
      <td data-value="${count}">${formatCount(session.lang, count)}</td>
      ${actions}
    </tr>`;
  });
  const createForm = canEdit
    ? html`<section class="card" aria-labelledby="create-heading">
        <h2 id="create-heading">${t.createTitle}</h2>
        <form class="stack" method="post" action="/console/lists">
          ${csrfField(session)}
          <div class="field">
            <label for="list-name">${t.nameField}</label><input id="list-name" name="name" required maxlength="200" />
          </div>
          <div class="field">
            <label for="list-slug">${t.slugField}</label>
            <input id="list-slug" name="slug" required maxlength="64" pattern="[a-z0-9]+(-[a-z0-9]+)*" dir="ltr" aria-describedby="list-slug-help" />
            <p class="help" id="list-slug-help">${t.slugHelp}</p>
          </div>
          <div class="field">
            <input type="checkbox" id="list-public" name="public" aria-describedby="list-public-help" />
            <label for="list-public">${t.publicField}</label>
            <p class="help" id="list-public-help">${t.publicHelp}</p>
          </div>
          <div class="field">
            <input type="checkbox" id="list-default" name="isDefault" /> <label for="list-default">${t.defaultField}</label>
          </div>
          <p><button type="submit">${t.create}</button></p>
        </form>
      </section>`
    : html`<p class="help">${t.readOnly}</p>`;
  return html`    ${notice ? html`<p class="notice" role="status">${notices[notice]}</p>` : ''}
    <p>${t.intro}</p>
    ${createForm}
    ${
      lists.length === 0
        ? html`<p>${t.empty}</p>`
        : html`<div class="table-scroll"><table id="lists-table">
          <caption>${fill(t.caption, { count: formatCount(session.lang, lists.length) })}</caption>
          <thead>
            <tr>
              <th scope="col">${t.nameColumn}</th><th scope="col">${t.slugColumn}</th><th scope="col">${t.publicColumn}</th
              ><th scope="col">${t.defaultColumn}</th><th scope="col">${t.subscribersColumn}</th>
              ${canEdit ? html`<th scope="col">${t.actionsColumn}</th>` : ''}
            </tr>
          </thead>
          <tbody>${rows}</tbody>
        </table></div>`
    }`;
}
