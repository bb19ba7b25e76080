import { html, SafeHtml } from '../console/console-html';

/**
 * The few rules the dashboard, lists and events screens add to the console's stylesheet
 * (src/console/assets/console.css, which this folder does not own): served from our own
 * origin at /console/dashboard/screens.css, never inline (the CSP forbids it).
 */
export const SCREENS_CSS = `.ranges { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; }
.ranges a[aria-current] { font-weight: 700; text-decoration-thickness: 3px; }
figure { margin: 0 0 0.75rem; }
svg.chart { display: block; max-width: 100%; height: auto; }
.table-scroll { overflow-x: auto; }
ul.check-in { list-style: none; padding: 0; margin: 0; }
ul.check-in li p { margin: 0.25rem 0; }
ul.check-in button { width: 100%; min-height: 3rem; font-size: 1.1rem; }
input[type='search'] { font-size: 1.1rem; min-height: 2.75rem; width: 100%; box-sizing: border-box; }
`;

export const SCREENS_CSS_PATH = '/console/dashboard/screens.css';

/** The stylesheet link, first thing in a screen's body (a body-ok <link>). */
export function screensStylesheet(): SafeHtml {
  return html`<link rel="stylesheet" href="${SCREENS_CSS_PATH}" />`;
}
