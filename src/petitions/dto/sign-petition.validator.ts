import { getMetadataStorage, isISO31661Alpha2, isURL, matches, maxLength, minLength } from 'class-validator';
import { registerCompiledValidator } from '../../common/validation';
import { canonicalEmailInput, isPlainEmail, LANGUAGE_TAG_PATTERN } from '../../common/validators';
import { COMMENT_MAX, ReferrerDto, SignPetitionDto } from './sign-petition.dto';

// The same rules as the decorators of SignPetitionDto (and NamedRequestDto, person-fields.ts),
// written out for the one body that arrives thousands of times a second: class-transformer
// and class-validator walk metadata, build error objects and run every rule of every field
// for each request. This only ever ACCEPTS: a body it does not pass in full goes to the
// ValidationPipe as it is, which answers with the usual details. So a rule here can be
// stricter than the decorator (that body just takes the slow path) but never looser; the
// unit spec runs both on the same bodies and compares. Length and format checks are
// class-validator's own functions (its MaxLength counts a surrogate pair as one character).

const SINGLE_LINE = /^[^\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/u;
const POSTAL_CODE = /^[\p{L}\p{N}][\p{L}\p{N} -]*$/u;
const COMMENT = /^(?:[^\p{Cc}\u202A-\u202E\u2066-\u2069]|\n)*$/u;
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/** A value the pipe would refuse: the body goes to the slow path. */
const REFUSED = Symbol('refused');
type Checked<T> = T | typeof REFUSED;

const absent = (v: unknown): v is null | undefined => v === null || v === undefined;

function singleLine(value: unknown, trim: 'trim' | 'trim-to-undefined', min: number, max: number): Checked<string | undefined> {
  if (typeof value !== 'string') return REFUSED;
  const text = value.trim();
  if (trim === 'trim-to-undefined' && text === '') return undefined;
  return minLength(text, min) && maxLength(text, max) && SINGLE_LINE.test(text) ? text : REFUSED;
}

function optionalString(value: unknown, max: number): Checked<string | null | undefined> {
  if (absent(value)) return value;
  return typeof value === 'string' && maxLength(value, max) ? value : REFUSED;
}

function optionalBoolean(value: unknown): Checked<boolean | null | undefined> {
  return absent(value) || typeof value === 'boolean' ? value : REFUSED;
}

const REFERRER_TEXT = ['source', 'medium', 'campaign'] as const;

function referrer(value: unknown): Checked<ReferrerDto | null | undefined> {
  if (absent(value)) return value;
  if (typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return REFUSED;
  const out = new ReferrerDto();
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if ((REFERRER_TEXT as readonly string[]).includes(key)) {
      if (absent(raw)) {
        out[key as (typeof REFERRER_TEXT)[number]] = raw as undefined;
        continue;
      }
      const text = singleLine(raw, 'trim', 0, 100);
      if (text === REFUSED) return REFUSED;
      out[key as (typeof REFERRER_TEXT)[number]] = text;
    } else if (key === 'url') {
      if (absent(raw)) {
        out.url = raw as undefined;
        continue;
      }
      if (typeof raw !== 'string') return REFUSED;
      const url = raw.trim();
      if (!maxLength(url, 2000) || !isURL(url, URL_OPTIONS)) return REFUSED;
      out.url = url;
    } else return REFUSED;
  }
  return out;
}

/** Every field the fast path knows; `protectIdentity` only where the DTO declares it. */
const KNOWN = [
  'email',
  'givenName',
  'familyName',
  'country',
  'postalCode',
  'comment',
  'publicName',
  'subscribe',
  'language',
  'referrer',
  'website',
  'altcha',
  'protectIdentity',
];

function declaredFields(target: new () => object): Set<string> {
  return new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(target, '', true, false)
      .map((m) => m.propertyName),
  );
}

/**
 * The fast check of a signature body, or null when SignPetitionDto declares a field this does
 * not know (someone added one and not here): then every body takes the ValidationPipe.
 */
export function compileSignPetitionValidator(): ((body: unknown) => SignPetitionDto | undefined) | null {
  const declared = declaredFields(SignPetitionDto);
  if ([...declared].some((field) => !KNOWN.includes(field))) return null;
  const referrerDeclared = declaredFields(ReferrerDto);
  if ([...referrerDeclared].some((field) => ![...REFERRER_TEXT, 'url'].includes(field))) return null;

  const check = (key: string, value: unknown): Checked<unknown> => {
    switch (key) {
      case 'email': {
        if (typeof value !== 'string') return REFUSED;
        const email = canonicalEmailInput(value);
        return maxLength(email, 254) && isPlainEmail(email) ? email : REFUSED;
      }
      case 'givenName':
        return singleLine(value, 'trim', 1, 100);
      case 'familyName':
        return absent(value) ? value : singleLine(value, 'trim-to-undefined', 0, 100);
      case 'country': {
        if (typeof value !== 'string') return REFUSED;
        const code = value.trim().toUpperCase();
        return isISO31661Alpha2(code) ? code : REFUSED;
      }
      case 'postalCode': {
        if (absent(value)) return value;
        if (typeof value !== 'string') return REFUSED;
        const code = value.trim();
        return maxLength(code, 20) && matches(code, POSTAL_CODE) ? code : REFUSED;
      }
      case 'comment': {
        if (absent(value)) return value;
        if (typeof value !== 'string') return REFUSED;
        const comment = value.trim().replace(/\r\n/g, '\n');
        return maxLength(comment, COMMENT_MAX) && COMMENT.test(comment) ? comment : REFUSED;
      }
      case 'publicName':
      case 'subscribe':
      case 'protectIdentity':
        return optionalBoolean(value);
      case 'language':
        if (absent(value)) return value;
        return typeof value === 'string' && maxLength(value, 35) && LANGUAGE_TAG_PATTERN.test(value) ? value : REFUSED;
      case 'referrer':
        return referrer(value);
      case 'website':
        return optionalString(value, 500);
      case 'altcha':
        return optionalString(value, 2000);
      default:
        return REFUSED;
    }
  };

  return (body: unknown): SignPetitionDto | undefined => {
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.getPrototypeOf(body) !== Object.prototype)
      return undefined;
    const dto = new SignPetitionDto() as unknown as Record<string, unknown>;
    const input = body as Record<string, unknown>;
    // Required fields present (a missing one is the pipe's "should not be empty" and the like).
    if (!('email' in input) || !('givenName' in input) || !('country' in input)) return undefined;
    for (const key of Object.keys(input)) {
      if (!declared.has(key)) return undefined;
      const value = check(key, input[key]);
      if (value === REFUSED) return undefined;
      dto[key] = value;
    }
    return dto as unknown as SignPetitionDto;
  };
}

const compiled = compileSignPetitionValidator();
if (compiled) registerCompiledValidator(SignPetitionDto, compiled);
