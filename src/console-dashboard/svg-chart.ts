import { html, SafeHtml } from '../console/console-html';

/**
 * Charts as server-rendered SVG: no script, no inline style (the console's CSP forbids
 * both), only presentation attributes. Each chart is an image with a title and a
 * description for assistive technology; the page puts its numbers in a table beside it.
 * Time runs left to right in every language (`direction="ltr"`), as axes do in Arabic and
 * Persian charts too.
 */
export interface ChartPoint {
  /** The x-axis text of the point (a short date). */
  label: string;
  value: number;
}

export interface ChartOptions {
  /** Unique on the page: the ids of the title and description derive from it. */
  id: string;
  title: string;
  description: string;
  width?: number;
  height?: number;
  /** How a y-axis number is written (the organizer's locale). */
  formatNumber?: (n: number) => string;
}

const PAD = { top: 12, right: 12, bottom: 28, left: 48 };
const BAR_COLOUR = '#1f5fa8';
const AXIS_COLOUR = '#555555';
const GRID_COLOUR = '#d0d0d0';

/** The smallest "nice" number (1, 2 or 5 times a power of ten) at or above `max`; 1 for nothing. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

interface Frame {
  width: number;
  height: number;
  plotWidth: number;
  plotHeight: number;
  top: number;
  /** y of a value. */
  y: (value: number) => number;
  axes: SafeHtml;
}

function frame(points: ChartPoint[], options: ChartOptions): Frame {
  const width = options.width ?? 640;
  const height = options.height ?? 200;
  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = height - PAD.top - PAD.bottom;
  const min = Math.min(0, ...points.map((p) => p.value));
  const ceiling = niceCeiling(Math.max(0, ...points.map((p) => p.value)));
  const floor = min < 0 ? -niceCeiling(-min) : 0;
  const y = (value: number): number => round(PAD.top + plotHeight - ((value - floor) / (ceiling - floor)) * plotHeight);
  const format = options.formatNumber ?? ((n: number) => String(n));
  const ticks = [...new Set([floor, floor < 0 ? 0 : (floor + ceiling) / 2, ceiling])];
  const grid = ticks.map(
    (t) =>
      html`<line x1="${PAD.left}" x2="${width - PAD.right}" y1="${y(t)}" y2="${y(t)}" stroke="${GRID_COLOUR}" stroke-width="1" />
        <text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11" fill="${AXIS_COLOUR}">${format(t)}</text>`,
  );
  // The first, middle and last labels: enough to read the time span without crowding.
  const step = points.length > 1 ? plotWidth / points.length : plotWidth;
  const shown = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])].filter((i) => i >= 0 && i < points.length);
  const labels = shown.map((i) => {
    const anchor = i === 0 && points.length > 1 ? 'start' : i === points.length - 1 && points.length > 1 ? 'end' : 'middle';
    const x = anchor === 'start' ? PAD.left : anchor === 'end' ? width - PAD.right : round(PAD.left + step * i + step / 2);
    return html`<text x="${x}" y="${height - 8}" text-anchor="${anchor}" font-size="11" fill="${AXIS_COLOUR}">${points[i].label}</text>`;
  });
  const axes = html`${grid}
    <line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotHeight}" stroke="${AXIS_COLOUR}" stroke-width="1" />
    ${labels}`;
  return { width, height, plotWidth, plotHeight, top: PAD.top, y, axes };
}

function svg(options: ChartOptions, f: Frame, marks: SafeHtml): SafeHtml {
  const titleId = `${options.id}-title`;
  const descId = `${options.id}-desc`;
  return html`<svg
    class="chart"
    id="${options.id}"
    role="img"
    aria-labelledby="${titleId} ${descId}"
    viewBox="0 0 ${f.width} ${f.height}"
    width="100%"
    preserveAspectRatio="xMidYMid meet"
    direction="ltr"
    font-family="sans-serif"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title id="${titleId}">${options.title}</title>
    <desc id="${descId}">${options.description}</desc>
    ${f.axes} ${marks}
  </svg>`;
}

/** One bar per point (per-day counts). */
export function barChart(points: ChartPoint[], options: ChartOptions): SafeHtml {
  const f = frame(points, options);
  const step = points.length > 0 ? f.plotWidth / points.length : f.plotWidth;
  const barWidth = Math.max(1, round(step * 0.8));
  const zero = f.y(0);
  const bars = points.map((p, i) => {
    const top = Math.min(f.y(p.value), zero);
    const height = Math.abs(zero - f.y(p.value));
    return html`<rect
      x="${round(PAD.left + step * i + (step - barWidth) / 2)}"
      y="${top}"
      width="${barWidth}"
      height="${height}"
      fill="${BAR_COLOUR}"
      ><title>${p.label}: ${(options.formatNumber ?? String)(p.value)}</title></rect
    >`;
  });
  return svg(options, f, html`${bars}`);
}

/** A line through the points (a running total). */
export function lineChart(points: ChartPoint[], options: ChartOptions): SafeHtml {
  const f = frame(points, options);
  const step = points.length > 0 ? f.plotWidth / points.length : f.plotWidth;
  const xy = points.map((p, i) => `${round(PAD.left + step * i + step / 2)},${f.y(p.value)}`);
  const line = points.length > 0 ? html`<polyline points="${xy.join(' ')}" fill="none" stroke="${BAR_COLOUR}" stroke-width="2" />` : html``;
  return svg(options, f, line);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
