/**
 * HTML built from a tagged template that escapes every interpolated value unless it is
 * itself `SafeHtml` (another `html` result, or `raw()` of trusted markup). The console's
 * only way to make markup: what an organizer or a supporter typed cannot become a tag.
 *
 *   html`<p>${person.name}</p>`                 escaped
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`   arrays are joined, each escaped
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text (or a double- or single-quoted attribute value) made safe for HTML. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

type Interpolated = SafeHtml | string | number | boolean | null | undefined | ReadonlyArray<Interpolated>;

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v: Interpolated) => render(v)).join('');
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Markup the caller vouches for (never anything a person typed). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A table: one header row of column names (`scope="col"`), then the rows as rendered. */
export function dataTable(columns: string[], rows: SafeHtml[]): SafeHtml {
  return html`<table>
    <thead>
      <tr>
        ${columns.map((c) => html`<th scope="col">${c}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}
