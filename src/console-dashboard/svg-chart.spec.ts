import { barChart, lineChart, niceCeiling } from './svg-chart';

const points = [
  { label: '1 Dec', value: 0 },
  { label: '2 Dec', value: 5 },
  { label: '3 Dec', value: 10 },
];
/** Each bar's numeric attributes. */
function rects(svg: string): Array<Record<string, number>> {
  return [...svg.matchAll(/<rect\b([^>]*)>/g)].map((m) =>
    Object.fromEntries([...m[1].matchAll(/([a-z-]+)="([\d.-]+)"/g)].map((a) => [a[1], Number(a[2])])),
  );
}

const options = { id: 'c', title: 'Sign-ups', description: 'Per day' };

describe('svg charts', () => {
  it('rounds the scale up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 180, 999].map(niceCeiling)).toEqual([1, 1, 5, 10, 10, 20, 200, 1000]);
  });

  it('draws one bar per point, its height proportional to its value, with no inline style', () => {
    const svg = barChart(points, options).value;
    const bars = rects(svg).map((r) => [r.x, r.y, r.width, r.height]);
    expect(bars).toHaveLength(3);
    expect(bars[0][3]).toBe(0);
    expect(bars[2][3]).toBeCloseTo(bars[1][3] * 2, 0);
    // The tallest bar reaches the top of the plot (scale 10 for a maximum of 10).
    expect(bars[2][1]).toBe(12);
    expect(bars[0][0]).toBeLessThan(bars[1][0]);
    expect(svg).not.toMatch(/style=/);
    expect(svg).not.toMatch(/<script/);
  });

  it('is an image named by its title and description', () => {
    const svg = barChart(points, options).value;
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="c-title c-desc"');
    expect(svg).toContain('<title id="c-title">Sign-ups</title>');
    expect(svg).toContain('<desc id="c-desc">Per day</desc>');
  });

  it('escapes every text it is given', () => {
    const svg = barChart([{ label: '<b>x</b>', value: 1 }], { ...options, title: '"><script>alert(1)</script>' }).value;
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('draws a line through every point, lower values lower', () => {
    const svg = lineChart(points, options).value;
    const coords = /points="([^"]+)"/
      .exec(svg)![1]
      .split(' ')
      .map((p) => p.split(',').map(Number));
    expect(coords).toHaveLength(3);
    expect(coords[0][1]).toBeGreaterThan(coords[1][1]);
    expect(coords[1][1]).toBeGreaterThan(coords[2][1]);
  });

  it('draws an empty chart and a negative value without breaking', () => {
    expect(barChart([], options).value).toContain('<svg');
    const svg = barChart(
      [
        { label: 'a', value: -3 },
        { label: 'b', value: 2 },
      ],
      options,
    ).value;
    const heights = rects(svg).map((r) => r.height);
    expect(heights.every((h) => h > 0)).toBe(true);
    expect(svg).not.toContain('NaN');
  });
});
