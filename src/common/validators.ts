import { Transform } from 'class-transformer';
import { Matches, ValidationOptions } from 'class-validator';

/** Trims strings; leaves anything else for the type validators to refuse. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export const UpperCase = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value));

/**
 * One line of human text: any script, emoji, ZWJ/ZWNJ, but no control characters and no
 * line or paragraph separators, so it can never break a header, a log line or a CSV row.
 */
export const SingleLineText = (options?: ValidationOptions): PropertyDecorator =>
  Matches(/^[^\p{Cc}\u2028\u2029]*$/u, { message: '$property must be a single line without control characters', ...options });

/** BCP 47 language tag, e.g. `en`, `fa-IR`, `zh-Hant-TW`. */
export const LanguageTag = (options?: ValidationOptions): PropertyDecorator =>
  Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, {
    message: '$property must be a BCP 47 language tag (e.g. en, ar, fa-IR)',
    ...options,
  });

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
