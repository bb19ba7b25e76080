import { randomInt, randomUUID } from 'node:crypto';

/**
 * Canary rows: one to three made-up supporters per bulk export, each with an address at
 * EXPORT_CANARY_DOMAIN that exists nowhere else. They look like the rows around them (names
 * of the export's language, its filters' country and status), sit among the first rows at
 * random places, and are recorded with the export's audit entry.
 */

/** Given and family names per language, with the Latin spelling the address is made of. */
const NAMES: Record<string, { given: Array<[string, string]>; family: Array<[string, string]>; countries: string[] }> = {
  en: {
    given: [
      ['Emily', 'emily'],
      ['James', 'james'],
      ['Olivia', 'olivia'],
      ['Daniel', 'daniel'],
      ['Grace', 'grace'],
      ['Thomas', 'thomas'],
    ],
    family: [
      ['Walker', 'walker'],
      ['Bennett', 'bennett'],
      ['Hughes', 'hughes'],
      ['Carter', 'carter'],
      ['Morgan', 'morgan'],
      ['Price', 'price'],
    ],
    countries: ['GB', 'US', 'CA', 'AU', 'IE'],
  },
  fr: {
    given: [
      ['Camille', 'camille'],
      ['Julien', 'julien'],
      ['Léa', 'lea'],
      ['Mathieu', 'mathieu'],
      ['Chloé', 'chloe'],
      ['Antoine', 'antoine'],
    ],
    family: [
      ['Lefèvre', 'lefevre'],
      ['Moreau', 'moreau'],
      ['Girard', 'girard'],
      ['Lambert', 'lambert'],
      ['Fontaine', 'fontaine'],
      ['Roux', 'roux'],
    ],
    countries: ['FR', 'BE', 'CH', 'CA', 'SN'],
  },
  ar: {
    given: [
      ['ليلى', 'layla'],
      ['كريم', 'karim'],
      ['نور', 'nour'],
      ['يوسف', 'youssef'],
      ['سلمى', 'salma'],
      ['عمر', 'omar'],
    ],
    family: [
      ['منصور', 'mansour'],
      ['الخطيب', 'alkhatib'],
      ['حداد', 'haddad'],
      ['سعيد', 'said'],
      ['العلي', 'alali'],
      ['ناصر', 'nasser'],
    ],
    countries: ['LB', 'JO', 'EG', 'MA', 'TN'],
  },
  fa: {
    given: [
      ['مریم', 'maryam'],
      ['آرش', 'arash'],
      ['نگار', 'negar'],
      ['بهرام', 'bahram'],
      ['شیرین', 'shirin'],
      ['کاوه', 'kaveh'],
    ],
    family: [
      ['رضایی', 'rezaei'],
      ['کریمی', 'karimi'],
      ['احمدی', 'ahmadi'],
      ['موسوی', 'mousavi'],
      ['حسینی', 'hosseini'],
      ['صادقی', 'sadeghi'],
    ],
    countries: ['DE', 'SE', 'CA', 'GB', 'NL'],
  },
};

const pick = <T>(items: T[]): T => items[randomInt(items.length)];

export interface CanaryContext {
  /** `people`, `signatures`, `rsvps`. */
  kind: string;
  headers: string[];
  filters: Record<string, unknown>;
  domain: string;
}

export interface CanaryRows {
  emails: string[];
  /** One CSV line each, `\n`-terminated, in the export's columns. */
  lines: string[];
  /** Where each goes: before the real row of this index (ascending). */
  positions: number[];
}

/** RFC 4180 cell. */
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function iso(date: Date): string {
  return date.toISOString();
}

/** The made-up value of one column, from its header (unknown columns stay empty, as a NULL would). */
function valueOf(header: string, person: Record<string, string>, context: CanaryContext, createdAt: Date): string {
  const status = typeof context.filters.status === 'string' ? context.filters.status : context.kind === 'rsvps' ? 'going' : 'confirmed';
  switch (header) {
    case 'email':
    case 'givenName':
    case 'familyName':
    case 'country':
    case 'language':
      return person[header];
    case 'status':
      return context.kind === 'people' ? '' : status;
    case 'createdAt':
      return iso(createdAt);
    case 'confirmedAt':
      return status === 'pending' ? '' : iso(new Date(createdAt.getTime() + randomInt(60_000, 3_600_000)));
    case 'guests':
      return '0';
    case 'publicName':
    case 'subscribe':
    case 'protected':
    case 'attended':
      return header === 'subscribe' && randomInt(2) === 1 ? 'true' : context.kind === 'people' && header === 'attended' ? '' : 'false';
    case 'lists':
      return typeof context.filters.list === 'string' ? context.filters.list : '';
    default:
      return /Id$|^id$/.test(header) ? randomUUID() : '';
  }
}

/** One to three canary rows for an export with these columns and filters. */
export function makeCanaryRows(context: CanaryContext): CanaryRows {
  const count = randomInt(1, 4);
  const language = typeof context.filters.language === 'string' && NAMES[context.filters.language] ? context.filters.language : null;
  const emails: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const lang = language ?? pick(Object.keys(NAMES));
    const names = NAMES[lang];
    const [given, givenLatin] = pick(names.given);
    const [family, familyLatin] = pick(names.family);
    // Random digits make the address unique to this export (the table's key refuses a repeat).
    const email = `${givenLatin}.${familyLatin}${randomInt(10, 100_000)}@${context.domain}`.toLowerCase();
    const country = typeof context.filters.country === 'string' ? context.filters.country : pick(names.countries);
    const person = { email, givenName: given, familyName: family, country, language: lang };
    const createdAt = new Date(Date.now() - randomInt(3_600_000, 120 * 86_400_000));
    emails.push(email);
    lines.push(`${context.headers.map((h) => cell(valueOf(h, person, context, createdAt))).join(',')}\n`);
  }
  const positions = lines.map(() => randomInt(0, 200)).sort((a, b) => a - b);
  return { emails, lines, positions };
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * The export's rows with the canary lines placed before the rows at `positions` (any left
 * when the rows run out go last). A row ends at a line feed outside quotes (PostgreSQL's
 * CSV doubles a quote inside a cell, so quotes toggle in pairs); once every canary is placed
 * the rest passes through untouched.
 */
export async function* withCanaries(rows: AsyncIterable<Buffer>, canaries: CanaryRows): AsyncGenerator<Buffer | string> {
  let next = 0;
  let row = 0;
  let inQuotes = false;
  for await (const chunk of rows) {
    if (next >= canaries.lines.length) {
      yield chunk;
      continue;
    }
    let start = 0;
    let i = 0;
    while (next < canaries.lines.length) {
      if (row === canaries.positions[next] && !inQuotes) {
        if (i > start) yield chunk.subarray(start, i);
        start = i;
        while (next < canaries.lines.length && canaries.positions[next] === row) yield canaries.lines[next++];
        continue;
      }
      const nl = chunk.indexOf(NEWLINE, i);
      if (nl < 0) {
        inQuotes = countQuotes(chunk, i, chunk.length) % 2 === 1 ? !inQuotes : inQuotes;
        break;
      }
      if (countQuotes(chunk, i, nl) % 2 === 1) inQuotes = !inQuotes;
      i = nl + 1;
      if (!inQuotes) row++;
    }
    if (start < chunk.length) yield start === 0 ? chunk : chunk.subarray(start);
  }
  while (next < canaries.lines.length) yield canaries.lines[next++];
}

function countQuotes(buffer: Buffer, from: number, to: number): number {
  let n = 0;
  for (let at = buffer.indexOf(QUOTE, from); at >= 0 && at < to; at = buffer.indexOf(QUOTE, at + 1)) n++;
  return n;
}
