import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { isEmail, IsString, Matches, MaxLength, ValidateBy, ValidationOptions } from 'class-validator';

/** Trims strings; leaves anything else for the type validators to refuse. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export const UpperCase = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value));

/**
 * One line of human text: any script, emoji, ZWJ/ZWNJ and LRM/RLM, but no control
 * characters, no line or paragraph separators (they could break a header, a log line or a
 * CSV row) and no bidi embeddings, overrides or isolates (they could disguise the text
 * around a name in someone else's email).
 */
export const SingleLineText = (options?: ValidationOptions): PropertyDecorator =>
  Matches(/^[^\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/u, {
    message: '$property must be a single line without control or direction-override characters',
    ...options,
  });

// Plain addresses only: no quoted local parts, comments, whitespace or invisible
// characters, so one mailbox has one spelling (`"x"@d` would be delivered to `x@d`).
const PLAIN_EMAIL = /^[^\s"(),:;<>@[\\\]\p{Cc}\p{Cf}]+@[^\s"(),:;<>@[\\\]\p{Cc}\p{Cf}]+$/u;

const hasAscii = (text: string): boolean => [...text].some((c) => c.charCodeAt(0) < 0x80);

/**
 * Whether the address holds a character beyond ASCII that turns into ASCII when lower-cased
 * or compatibility-normalised: KELVIN SIGN (K, lower-cased `k`), İ (`i̇`), fullwidth letters
 * (`ｋ`), ligatures (`ﬁ`), the long s (`ſ`). Addresses are compared lower-cased, so
 * `\u212Aate@rt.example` would be the person `kate@rt.example` while its emails went to
 * another mailbox; such an address is refused rather than guessed at.
 */
export function hasAsciiStandIn(value: string): boolean {
  for (const ch of value) {
    if (ch.charCodeAt(0) < 0x80) continue;
    if (hasAscii(ch.toLowerCase()) || hasAscii(ch.normalize('NFKC'))) return true;
  }
  return false;
}

/**
 * The one form of an address that is stored, compared (lower-cased, see normalizeEmail) and
 * mailed: trimmed, NFC. An address typed with a stand-in for ASCII is left as typed, for
 * isPlainEmail to refuse: NFC alone would quietly turn KELVIN SIGN into K.
 */
export function canonicalEmailInput(value: string): string {
  const trimmed = value.trim();
  return hasAsciiStandIn(trimmed) ? trimmed : trimmed.normalize('NFC');
}

export function isPlainEmail(value: string): boolean {
  return (
    value.length <= 254 &&
    PLAIN_EMAIL.test(value) &&
    !hasAsciiStandIn(value) &&
    isEmail(value, { allow_display_name: false, allow_ip_domain: false })
  );
}

/**
 * An email address as people type it: trimmed and Unicode-normalised (NFC, so `é` typed as
 * `e` + accent is the address typed as `é`), plain (see PLAIN_EMAIL), at most 254 characters.
 */
export const EmailAddress = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? canonicalEmailInput(value) : value)),
    IsString(),
    MaxLength(254),
    ValidateBy({
      name: 'isPlainEmail',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isPlainEmail(v),
        defaultMessage: (args) =>
          typeof args?.value === 'string' && hasAsciiStandIn(args.value)
            ? 'email holds a character that stands for a plain letter or digit (such as the Kelvin sign K): type the plain one'
            : 'email must be an email address',
      },
    }),
  );

/** BCP 47 language tag, e.g. `en`, `fa-IR`, `zh-Hant-TW` (the lean public reads test a `?lang=` with it too). */
export const LANGUAGE_TAG_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

export const LanguageTag = (options?: ValidationOptions): PropertyDecorator =>
  Matches(LANGUAGE_TAG_PATTERN, {
    message: '$property must be a BCP 47 language tag (e.g. en, ar, fa-IR)',
    ...options,
  });

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
