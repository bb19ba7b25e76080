import { createHash, createPrivateKey, KeyObject, sign } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** One header field as it goes on the wire: `value` may hold folds (CRLF followed by a blank). */
export interface HeaderField {
  name: string;
  value: string;
}

/**
 * The fields a signature covers when the message has them: RFC 6376's recommended set and
 * both List-Unsubscribe fields, which RFC 8058 requires to be signed for one-click
 * unsubscribe (the same names nodemailer signs on the transactional path).
 */
const SIGNED_FIELDS = new Set([
  'from',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'to',
  'cc',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'list-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
]);

/** Relaxed header canonicalization (RFC 6376 3.4.2): lower-case name, unfolded, runs of blanks as one space, trimmed. */
export function relaxedHeader(field: HeaderField): string {
  return `${field.name.toLowerCase()}:${field.value
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim()}`;
}

/**
 * Relaxed body canonicalization (RFC 6376 3.4.4): no blanks at line ends, runs of blanks as
 * one space, no empty lines at the end, one CRLF last. For bodies built elsewhere; the
 * newsletter builder writes bodies already in this form and skips it.
 */
export function relaxedBody(body: Buffer): Buffer {
  const text = body
    .toString('latin1')
    .replace(/[ \t]+/g, ' ')
    .replace(/ \r\n/g, '\r\n')
    .replace(/(\r\n)*$/, '');
  return Buffer.from(text === '' ? '' : `${text}\r\n`, 'latin1');
}

/**
 * DKIM signatures (RFC 6376, rsa-sha256, relaxed/relaxed) for messages the platform builds
 * itself: the key is parsed once (signing with a PEM string parses it again on every
 * message, which is three quarters of the cost of an RSA signature), the body hash is one
 * SHA-256 over the bytes, the header hash is built from fields the caller already holds.
 */
export class DkimSigner {
  private constructor(
    private readonly domain: string,
    private readonly selector: string,
    private readonly key: KeyObject,
  ) {}

  /** The signer of DKIM_DOMAIN / DKIM_SELECTOR / DKIM_PRIVATE_KEY, or null when DKIM is off. */
  static fromConfig(config: Pick<AppConfig, 'DKIM_DOMAIN' | 'DKIM_SELECTOR' | 'DKIM_PRIVATE_KEY'>): DkimSigner | null {
    if (!config.DKIM_DOMAIN || !config.DKIM_SELECTOR || !config.DKIM_PRIVATE_KEY) return null;
    return new DkimSigner(config.DKIM_DOMAIN, config.DKIM_SELECTOR, createPrivateKey(config.DKIM_PRIVATE_KEY));
  }

  /** The parsed key, for nodemailer's own signer on the other paths. */
  get privateKey(): KeyObject {
    return this.key;
  }

  /**
   * The DKIM-Signature field for a message of these header fields and this body, to be put
   * before them. `canonicalBody`: the body is already in relaxed canonical form. The RSA
   * signature (a quarter of a millisecond of CPU) is made on libuv's thread pool, so the
   * event loop keeps serving the connections meanwhile and a second core can sign too.
   */
  async sign(fields: HeaderField[], body: Buffer, { canonicalBody = false }: { canonicalBody?: boolean } = {}): Promise<HeaderField> {
    const bodyHash = createHash('sha256')
      .update(canonicalBody ? body : relaxedBody(body))
      .digest('base64');
    const signed = fields.filter((f) => SIGNED_FIELDS.has(f.name.toLowerCase()));
    const names = signed.map((f) => f.name.toLowerCase()).join(':');
    // Folded between tags: each fold unfolds to the single space the signed form holds.
    const value = `v=1; a=rsa-sha256; c=relaxed/relaxed; d=${this.domain}; q=dns/txt; s=${this.selector};\r\n bh=${bodyHash};\r\n h=${names};\r\n b=`;
    let input = '';
    for (const f of signed) input += `${relaxedHeader(f)}\r\n`;
    input += relaxedHeader({ name: 'DKIM-Signature', value });
    const signature = await new Promise<string>((resolve, reject) =>
      sign('sha256', Buffer.from(input, 'latin1'), this.key, (err, result) => (err ? reject(err) : resolve(result.toString('base64')))),
    );
    // Folded every 72 characters; verifiers ignore blanks inside b=.
    return { name: 'DKIM-Signature', value: value + signature.replace(/.{72}(?=.)/g, '$&\r\n ') };
  }
}
