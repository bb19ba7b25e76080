import * as ical from 'node-ical';
import { CampaignEvent } from './campaign-event.entity';
import { buildEventCalendar, vtimezone, zoneOffsetMinutes } from './event-calendar';
import { canonicalTimeZone } from './dto/event.dto';

function event(overrides: Partial<CampaignEvent> = {}): CampaignEvent {
  return Object.assign(new CampaignEvent(), {
    id: '0d6f3e0c-6c1c-4c53-9d0b-6a4bb0d2a001',
    title: 'Summit; Paris, 2026',
    description: 'Bring a friend.',
    startsAt: new Date('2026-10-25T00:30:00Z'),
    endsAt: new Date('2026-10-25T03:00:00Z'),
    timezone: 'Europe/Paris',
    locationName: 'Hall',
    locationAddress: '1 Hidden Street',
    locationOnline: false,
    locationUrl: null,
    locationPrivate: true,
    revision: 3,
    status: 'published',
    ...overrides,
  });
}

function parse(ics: string): ical.VEvent {
  return Object.values(ical.sync.parseICS(ics)).find((c) => c?.type === 'VEVENT') as ical.VEvent;
}

describe('event calendar (.ics)', () => {
  it('keeps the instant and names the zone, with its VTIMEZONE', () => {
    // 20:30 in Paris, daylight time.
    const ics = buildEventCalendar(event({ startsAt: new Date('2026-07-01T18:30:00Z'), endsAt: new Date('2026-07-01T21:00:00Z') }), {
      host: 'act.example.org',
      includeAddress: true,
    });
    expect(ics).toContain('DTSTART;TZID=Europe/Paris:20260701T203000');
    expect(ics).toContain('DTEND;TZID=Europe/Paris:20260701T230000');
    expect(ics).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Paris');
    expect(ics).toMatch(/DTSTAMP:\d{8}T\d{6}Z/);
    const parsed = parse(ics);
    expect(parsed.start.toISOString()).toBe('2026-07-01T18:30:00.000Z');
    expect(parsed.start.tz).toBe('Europe/Paris');
    expect(parsed.end?.toISOString()).toBe('2026-07-01T21:00:00.000Z');
    expect(parsed.uid).toBe('0d6f3e0c-6c1c-4c53-9d0b-6a4bb0d2a001@act.example.org');
    expect(Number(parsed.sequence)).toBe(3);
    expect(parsed.location).toBe('Hall, 1 Hidden Street');
  });

  it('writes a time that happens twice (clocks going back) in UTC, exactly', () => {
    // 02:30 Paris summer time, half an hour before clocks go back to 02:00.
    const ics = buildEventCalendar(event(), { host: 'act.example.org', includeAddress: true });
    expect(ics).toContain('DTSTART:20261025T003000Z');
    expect(ics).not.toContain('TZID');
    expect(parse(ics).start.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('leaves a private address out unless the reader is going', () => {
    const ics = buildEventCalendar(event(), { host: 'act.example.org', includeAddress: false });
    expect(ics).not.toContain('Hidden');
    expect(parse(ics).location).toBe('Hall');
  });

  it('describes the zone with its real transitions, and zones without any', () => {
    const paris = vtimezone('Europe/Paris', new Date('2026-07-01T00:00:00Z'));
    expect(paris).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200');
    expect(paris).toContain('BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100');
    const tehran = vtimezone('Asia/Tehran', new Date('2026-07-01T00:00:00Z'));
    expect(tehran).toContain('TZOFFSETTO:+0330');
    expect(tehran).not.toContain('DAYLIGHT');
    expect(zoneOffsetMinutes(new Date('2026-01-15T12:00:00Z'), 'America/St_Johns')).toBe(-210);
  });

  it('accepts IANA zone names only, in their canonical spelling', () => {
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('Asia/Tehran')).toBe('Asia/Tehran');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(canonicalTimeZone('Europe/Paris\r\nX-EVIL:1')).toBeNull();
  });
});
