import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The identity of an address: trimmed, Unicode-normalised (NFC) and lower-cased. Compared,
 * unique in `people`, and the input of the suppression hash. For an ASCII address it is
 * exactly trim + lower-case, as it always was, so stored rows and suppression hashes keep
 * matching. Addresses whose lower-casing would turn a character beyond ASCII into ASCII
 * (KELVIN SIGN) are refused at the edge (isPlainEmail), so no two mailboxes share one.
 */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase().normalize('NFC');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A keyed hash, domain-separated by purpose so one hash can never stand in for another. */
export function keyedHash(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\u0000${value}`, 'utf8').digest('hex');
}

/** 256 random bits, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
