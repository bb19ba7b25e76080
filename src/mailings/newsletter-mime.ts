import { randomBytes } from 'node:crypto';
import MimeNode from 'nodemailer/lib/mime-node';
import { DkimSigner, HeaderField } from '../mail/dkim-signer';
import { CompiledNewsletter, escapeHtml, fillPieces, PersonalView, Piece, RenderedNewsletter } from './newsletter-template';

/*
 * Newsletter messages as bytes, built once per variant and filled per recipient (issue 16).
 * nodemailer builds every message from scratch (MIME tree, header encoding, choosing and
 * applying a transfer encoding over the whole body); for a newsletter everything but a few
 * personal values is the same for every recipient, so the parts are encoded once and only
 * the name, the links, the headers and the signature are made per message.
 *
 * The bodies are written in DKIM's relaxed canonical form (no blank at a line end, no run of
 * blanks, no empty line at the end), so the body hash is one SHA-256 over the bytes.
 */

const CRLF = '\r\n';
const LINE = 76;
const HEX = '0123456789ABCDEF';

/**
 * Quoted-printable (RFC 2045 6.7) of `text` as UTF-8, from column 0, lines of at most 76
 * characters with their soft break. Line breaks (LF or CRLF) become CRLF; a tab, `=`, a
 * second blank in a row, a blank before a line break or at the end, and every byte outside
 * printable ASCII are escaped, so the result is already canonical for DKIM's relaxed body.
 */
export function quotedPrintable(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  let line = 0;
  let lastBlank = false;
  const put = (token: string): void => {
    if (line + token.length > LINE - 1) {
      out += `=${CRLF}`;
      line = 0;
    }
    out += token;
    line += token.length;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] === 0x0a)) {
      if (b === 0x0d) i++;
      out += CRLF;
      line = 0;
      lastBlank = false;
      continue;
    }
    if (b === 0x20) {
      const next: number | undefined = bytes[i + 1];
      const literal: boolean = !lastBlank && next !== undefined && next !== 0x0a && next !== 0x0d;
      put(literal ? ' ' : '=20');
      lastBlank = literal;
      continue;
    }
    lastBlank = false;
    put(b > 0x20 && b < 0x7f && b !== 0x3d ? String.fromCharCode(b) : `=${HEX[b >> 4]}${HEX[b & 15]}`);
  }
  return out;
}

/** Base64 of `text` as UTF-8, in lines of 76 characters. */
export function base64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  let out = '';
  for (let i = 0; i < encoded.length; i += LINE) out += (i > 0 ? CRLF : '') + encoded.slice(i, i + LINE);
  return out;
}

/**
 * nodemailer's choice between the two encodings (`_getTextEncoding`): quoted-printable when
 * Latin letters outnumber the other characters, else base64 (Arabic or Persian text would
 * take three bytes on the wire for every one in quoted-printable).
 */
export function prefersQuotedPrintable(text: string): boolean {
  let other = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x08 || c === 0x0b || c === 0x0c || (c >= 0x0e && c <= 0x1f) || c >= 0x80) other++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) latin++;
  }
  return other < latin;
}

/**
 * Joins quoted-printable runs encoded from column 0 with a soft break, unless the run before
 * already ends a line (looked up on the run: asking the joined string would flatten it each time).
 */
function joinQuotedPrintable(runs: string[]): string {
  let out = '';
  let lineOpen = false;
  for (const run of runs) {
    if (run === '') continue;
    if (lineOpen) out += `=${CRLF}`;
    out += run;
    lineOpen = !run.endsWith(CRLF);
  }
  return out;
}

type Escape = (s: string) => string;
const asIs: Escape = (s) => s;

/** One text part (plain or HTML) of a variant, encoded once where it is the same for everyone. */
class PreparedPart {
  private readonly header: string;
  /** Quoted-printable: each piece encoded on its own (a string), or the slot to encode per recipient. */
  private readonly encoded?: Piece[];

  constructor(
    private readonly pieces: Piece[],
    type: 'text/plain' | 'text/html',
    private readonly escape: Escape,
  ) {
    const qp = prefersQuotedPrintable(pieces.filter((p) => typeof p === 'string').join(''));
    this.header = `Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: ${qp ? 'quoted-printable' : 'base64'}`;
    if (qp) this.encoded = pieces.map((p) => (typeof p === 'string' ? quotedPrintable(p) : p));
  }

  /** The part's headers, a blank line and its encoded body, for one recipient. */
  render(view: PersonalView): string {
    const body = this.encoded
      ? joinQuotedPrintable(this.encoded.map((p) => (typeof p === 'string' ? p : quotedPrintable(this.escape(view[p.slot])))))
      : base64Lines(fillPieces(this.pieces, view, this.escape));
    return `${this.header}${CRLF}${CRLF}${body}`;
  }
}

/** What differs from one message of a mailing to the next, besides the personal values. */
export interface NewsletterEnvelope {
  /** The recipient's address, plain ASCII (others go through nodemailer, which encodes them). */
  to: string;
  messageId: string;
  listUnsubscribeUrl: string;
  /** `List-Id` as it goes out (`listIdHeader`). */
  listId: string;
}

/**
 * A `Subject` value: printable ASCII as it is (folded at blanks past 76 characters), anything
 * else, or text that would read as an encoded word (`=?`), as RFC 2047 encoded words of at
 * most 39 bytes each (lines stay under 78), so a name typed as `=?UTF-8?B?...?=` is shown as typed, never decoded.
 */
export function encodeSubject(subject: string): string {
  if (/^[\x20-\x7e]*$/.test(subject) && !subject.includes('=?')) {
    let out = '';
    let rest = subject;
    // "Subject: " takes 9 of the first line's 78.
    let room = LINE - 9;
    while (rest.length > room) {
      const at = rest.lastIndexOf(' ', room);
      if (at <= 0) break;
      out += rest.slice(0, at) + CRLF;
      rest = rest.slice(at);
      room = LINE;
    }
    return out + rest;
  }
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const ch of subject) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > 39) {
      words.push(chunk);
      chunk = '';
      bytes = 0;
    }
    chunk += ch;
    bytes += size;
  }
  if (chunk !== '') words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

/** The `From` value as nodemailer encodes it (a display name beyond ASCII as encoded words), worked out once. */
export function encodedFrom(mailFrom: string): string {
  const built = new MimeNode('text/plain').setHeader('From', mailFrom).buildHeaders();
  const match = /^From: (.*(?:\r\n[ \t].*)*)/m.exec(built);
  if (!match) throw new Error('could not encode MAIL_FROM');
  return match[1];
}

/** `Date` in RFC 5322 form, as nodemailer writes it. */
function dateHeader(now: Date): string {
  return now.toUTCString().replace(/GMT$/, '+0000');
}

/** The messages of one variant of a mailing: its parts encoded once, its headers and signature made per recipient. */
export class PreparedNewsletter {
  private readonly text: PreparedPart;
  private readonly html: PreparedPart;
  private readonly boundary = `=_nl_${randomBytes(12).toString('hex')}`;

  constructor(
    private readonly compiled: CompiledNewsletter,
    private readonly from: string,
    private readonly signer: DkimSigner | null,
  ) {
    this.text = new PreparedPart(compiled.text, 'text/plain', asIs);
    this.html = new PreparedPart(compiled.html, 'text/html', escapeHtml);
  }

  /** One recipient's message, DKIM-signed when a key is configured. */
  async build(view: PersonalView, envelope: NewsletterEnvelope, now = new Date()): Promise<Buffer> {
    const subject = fillPieces(this.compiled.subject, view)
      .replace(/[\r\n\u2028\u2029]+/g, ' ')
      .trim();
    const fields: HeaderField[] = [
      // Prepared: one unfolded line, as mailbox providers' one-click parsers expect it.
      { name: 'List-Unsubscribe', value: `<${envelope.listUnsubscribeUrl}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      { name: 'List-ID', value: envelope.listId },
      { name: 'From', value: this.from },
      { name: 'To', value: envelope.to },
      { name: 'Subject', value: encodeSubject(subject) },
      { name: 'Message-ID', value: envelope.messageId },
      { name: 'Date', value: dateHeader(now) },
      { name: 'MIME-Version', value: '1.0' },
      { name: 'Content-Type', value: `multipart/alternative; boundary="${this.boundary}"` },
    ];
    const b = this.boundary;
    const body = Buffer.from(
      `--${b}${CRLF}${this.text.render(view)}${CRLF}--${b}${CRLF}${this.html.render(view)}${CRLF}--${b}--${CRLF}`,
      'latin1',
    );
    if (this.signer) fields.unshift(await this.signer.sign(fields, body, { canonicalBody: true }));
    let head = '';
    for (const f of fields) head += `${f.name}: ${f.value}${CRLF}`;
    return Buffer.concat([Buffer.from(head + CRLF, 'latin1'), body]);
  }
}

/** Whole rendered parts as pieces without slots: for a variant or a value that cannot be filled in (see `slotSafe`). */
export function wholeNewsletter(rendered: RenderedNewsletter): CompiledNewsletter {
  return { subject: [rendered.subject], html: [rendered.html], text: [rendered.text] };
}
