import { formatChange, formatCount, formatDay, formatInZone, formatPercent } from './console-format';

describe('console number and date formats', () => {
  it('writes counts in the organizer’s digits', () => {
    expect(formatCount('en', 1234)).toBe('1,234');
    expect(formatCount('ar', 12)).toBe('١٢');
    expect(formatCount('fa', 12)).toBe('۱۲');
    expect(formatChange('en', 3)).toBe('+3');
    expect(formatChange('en', 0)).toBe('0');
    expect(formatPercent('en', 0.5)).toBe('50%');
  });

  it('writes a UTC day short and long', () => {
    expect(formatDay('en', '2026-12-06')).toBe('6 Dec');
    expect(formatDay('en', '2026-12-06', true)).toBe('6 December 2026');
  });

  it('writes an event’s start in its own zone, and survives an unknown zone', () => {
    expect(formatInZone('en', '2026-12-06T18:00:00Z', 'Europe/Paris')).toMatch(/19:00/);
    expect(formatInZone('en', '2026-12-06T18:00:00Z', 'Not/AZone')).toMatch(/18:00 UTC/);
  });
});
