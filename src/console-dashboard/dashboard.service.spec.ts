import { runningTotals, utcDays } from './dashboard.service';

describe('dashboard days', () => {
  it('lists the UTC days ending today, oldest first', () => {
    expect(utcDays(new Date('2026-03-02T23:30:00-05:00'), 3)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(utcDays(new Date('2026-01-01T00:00:00Z'), 2)).toEqual(['2025-12-31', '2026-01-01']);
  });

  it('walks a total back through each day’s net change', () => {
    const daily = new Map([
      ['2026-03-02', 3],
      ['2026-03-03', -1],
    ]);
    expect(runningTotals(['2026-03-01', '2026-03-02', '2026-03-03'], daily, 10)).toEqual([
      { day: '2026-03-01', count: 8 },
      { day: '2026-03-02', count: 11 },
      { day: '2026-03-03', count: 10 },
    ]);
  });
});
