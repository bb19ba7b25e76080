/**
 * The OData subset OSDI clients send in `filter=` (Action Network's dialect):
 *
 *   filter   := or
 *   or       := and ("or" and)*
 *   and      := primary ("and" primary)*
 *   primary  := "(" or ")" | field op value
 *   field    := modified_date | created_date | email_address
 *   op       := eq | ne | gt | ge | lt | le        (email_address: eq | ne)
 *   value    := '...'   single quotes, '' for a quote inside
 *
 * Times are ISO 8601 (`2026-01-01`, `2026-01-01T10:00:00Z`, with offset or fraction; no
 * zone means UTC). The parser builds a tree; `toSql` turns it into a parameterised
 * condition over column expressions the caller names in code, so nothing typed reaches the
 * SQL text. Anything else is a `FilterError` (a 400).
 */

export const FILTER_FIELDS = ['modified_date', 'created_date', 'email_address'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
const OPERATORS = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;
type Operator = keyof typeof OPERATORS;

export type FilterNode =
  { kind: 'and' | 'or'; left: FilterNode; right: FilterNode } | { kind: 'cmp'; field: FilterField; op: Operator; value: string | Date };

export class FilterError extends Error {}

const MAX_LENGTH = 2000;
const MAX_COMPARISONS = 32;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

type Token = { type: 'word'; text: string; at: number } | { type: 'string'; text: string; at: number } | { type: '(' | ')'; at: number };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ type: c, at: i });
      i++;
    } else if (c === "'") {
      const start = i;
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterError(`unterminated quoted value at position ${start + 1}`);
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += input[i++];
      }
      tokens.push({ type: 'string', text, at: start });
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < input.length && /[A-Za-z0-9_]/.test(input[i])) i++;
      tokens.push({ type: 'word', text: input.slice(start, i), at: start });
    } else {
      throw new FilterError(`unexpected character at position ${i + 1}`);
    }
  }
  return tokens;
}

/** An ISO 8601 date or time, strictly (a real calendar date, hours below 24). */
export function parseIsoTime(text: string): Date | null {
  const m = ISO_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${(frac + '000').slice(0, 3)}${offset}`);
  if (Number.isNaN(date.getTime())) return null;
  // `2026-02-31` rolls over in Date: refuse it instead.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCDate() !== Number(d)) return null;
  return date;
}

class Parser {
  private pos = 0;
  private comparisons = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.or();
    const extra = this.tokens[this.pos];
    if (extra) throw new FilterError(`unexpected ${describe(extra)} at position ${extra.at + 1}`);
    return node;
  }

  private or(): FilterNode {
    let node = this.and();
    while (this.keyword('or')) node = { kind: 'or', left: node, right: this.and() };
    return node;
  }

  private and(): FilterNode {
    let node = this.primary();
    while (this.keyword('and')) node = { kind: 'and', left: node, right: this.primary() };
    return node;
  }

  private primary(): FilterNode {
    const token = this.next('a comparison');
    if (token.type === '(') {
      const node = this.or();
      const close = this.next("')'");
      if (close.type !== ')') throw new FilterError(`expected ')' at position ${close.at + 1}`);
      return node;
    }
    if (token.type !== 'word') throw new FilterError(`expected a field name at position ${token.at + 1}`);
    const field = token.text.toLowerCase() as FilterField;
    if (!FILTER_FIELDS.includes(field))
      throw new FilterError(`unknown field "${token.text.slice(0, 40)}"; filter on ${FILTER_FIELDS.join(', ')}`);
    const opToken = this.next('an operator');
    const op = (opToken.type === 'word' ? opToken.text.toLowerCase() : '') as Operator;
    if (!(op in OPERATORS)) throw new FilterError(`expected one of ${Object.keys(OPERATORS).join(' ')} at position ${opToken.at + 1}`);
    if (field === 'email_address' && op !== 'eq' && op !== 'ne') throw new FilterError('email_address takes eq or ne');
    const valueToken = this.next('a quoted value');
    if (valueToken.type !== 'string') throw new FilterError(`expected a value in single quotes at position ${valueToken.at + 1}`);
    if (++this.comparisons > MAX_COMPARISONS) throw new FilterError(`at most ${MAX_COMPARISONS} comparisons`);
    if (field === 'email_address') return { kind: 'cmp', field, op, value: valueToken.text.trim().normalize('NFC').toLowerCase() };
    const time = parseIsoTime(valueToken.text);
    if (!time) throw new FilterError(`${field} needs an ISO 8601 time in single quotes, e.g. '2026-01-01T00:00:00Z'`);
    return { kind: 'cmp', field, op, value: time };
  }

  private keyword(word: string): boolean {
    const token = this.tokens[this.pos];
    if (token?.type === 'word' && token.text.toLowerCase() === word) {
      this.pos++;
      return true;
    }
    return false;
  }

  private next(expected: string): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw new FilterError(`expected ${expected} at the end of the filter`);
    return token;
  }
}

function describe(token: Token): string {
  return token.type === 'word' ? `"${token.text.slice(0, 40)}"` : token.type === 'string' ? 'a quoted value' : `'${token.type}'`;
}

export function parseFilter(input: string): FilterNode {
  if (input.length > MAX_LENGTH) throw new FilterError(`a filter may be at most ${MAX_LENGTH} characters`);
  const tokens = tokenize(input);
  if (tokens.length === 0) throw new FilterError('the filter is empty');
  return new Parser(tokens).parse();
}

/** The column expression (written in code, never typed by a client) of each field a collection filters on. */
export type FilterColumns = Record<FilterField, string>;

/**
 * The condition as SQL with `$n` placeholders numbered from `firstParam`; the values go in
 * `params`, in order.
 */
export function toSql(node: FilterNode, columns: FilterColumns, firstParam: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const walk = (n: FilterNode): string => {
    if (n.kind === 'cmp') {
      params.push(n.value instanceof Date ? n.value.toISOString() : n.value);
      const cast = n.value instanceof Date ? '::timestamptz' : '::text';
      return `${columns[n.field]} ${OPERATORS[n.op]} $${firstParam + params.length - 1}${cast}`;
    }
    return `(${walk(n.left)} ${n.kind.toUpperCase()} ${walk(n.right)})`;
  };
  return { sql: walk(node), params };
}

/** The fields a filter names, for the audit log (its values may be addresses). */
export function filterFields(node: FilterNode): FilterField[] {
  const fields = new Set<FilterField>();
  const walk = (n: FilterNode): void => {
    if (n.kind === 'cmp') fields.add(n.field);
    else {
      walk(n.left);
      walk(n.right);
    }
  };
  walk(node);
  return [...fields].sort();
}
