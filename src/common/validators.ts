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

export function isPlainEmail(value: string): boolean {
  return value.length <= 254 && PLAIN_EMAIL.test(value) && isEmail(value, { allow_display_name: false, allow_ip_domain: false });
}

/** An email address as people type it: trimmed, plain (see PLAIN_EMAIL), at most 254 characters. */
export const EmailAddress = (): PropertyDecorator =>
  applyDecorators(
    Trim(),
    IsString(),
    MaxLength(254),
    ValidateBy({
      name: 'isPlainEmail',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isPlainEmail(v),
        defaultMessage: () => 'email must be an email address',
      },
    }),
  );

/** BCP 47 language tag, e.g. `en`, `fa-IR`, `zh-Hant-TW`. */
export const LanguageTag = (options?: ValidationOptions): PropertyDecorator =>
  Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, {
    message: '$property must be a BCP 47 language tag (e.g. en, ar, fa-IR)',
    ...options,
  });

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
