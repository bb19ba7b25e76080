import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO31661Alpha2, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { EmailAddress, LanguageTag, SingleLineText, Trim, UpperCase } from './validators';

// The person fields of the public forms (join, petition signature, RSVP), validated alike
// everywhere. Each form still declares its own fields, in its own order, so error details
// keep their order; only whether a field is required differs between forms.

/**
 * Applies decorators as if they were stacked above a property in this order: the last one
 * first. With stopAtFirstError the registration order decides which message a bad value gets.
 */
const stacked = (...decorators: PropertyDecorator[]): PropertyDecorator => applyDecorators(...decorators.reverse());

export const EmailField = (): PropertyDecorator => stacked(ApiProperty({ example: 'amal@example.org', maxLength: 254 }), EmailAddress());

/** Trims a string; an optional name left empty is no name at all (stored as null). */
const TrimToUndefined = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value));

/**
 * A given or family name, always trimmed (the spaces of "  Ali  " would reach emails and
 * exports). Required names must not be empty; an optional one left blank is absent.
 */
export const NameField = (options: { example: string; required?: boolean }): PropertyDecorator => {
  const doc = { example: options.example, maxLength: 100 };
  return options.required
    ? stacked(ApiProperty(doc), Trim(), IsString(), MinLength(1), MaxLength(100), SingleLineText())
    : stacked(ApiPropertyOptional(doc), TrimToUndefined(), IsOptional(), IsString(), MaxLength(100), SingleLineText());
};

export const CountryField = (options: { required?: boolean } = {}): PropertyDecorator => {
  const doc = { example: 'LB', description: 'ISO 3166-1 alpha-2' };
  const checks = [UpperCase(), IsString(), IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })];
  return options.required ? stacked(ApiProperty(doc), ...checks) : stacked(ApiPropertyOptional(doc), IsOptional(), ...checks);
};

export const PostalCodeField = (): PropertyDecorator =>
  stacked(
    ApiPropertyOptional({ example: '1107', maxLength: 20 }),
    IsOptional(),
    Trim(),
    IsString(),
    MaxLength(20),
    Matches(/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u, {
      message: 'postalCode must start with a letter or digit and hold only letters, digits, spaces and dashes',
    }),
  );

export const LanguageField = (): PropertyDecorator =>
  stacked(ApiPropertyOptional({ example: 'ar', description: 'BCP 47 tag' }), IsOptional(), IsString(), MaxLength(35), LanguageTag());

/**
 * "Protect my identity" (docs/safety.md): never named in public (they still count), no postal
 * code kept, no IP hash, a short retention if never confirmed. A form's checkbox sends `on`.
 */
export const ProtectIdentityField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ default: false, description: 'Never show me in public, keep no postal code (protected people: docs/safety.md)' }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (value === 'on' || value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: 'protectIdentity must be a boolean' }),
  );

/** Honeypot: invisible in forms; a value means a bot filled it in. */
export const HoneypotField = (): PropertyDecorator =>
  stacked(
    ApiPropertyOptional({ description: 'Leave empty (anti-spam field hidden from people)' }),
    IsOptional(),
    IsString(),
    MaxLength(500),
  );

/** A solved proof-of-work challenge (ALTCHA), required only when PROOF_OF_WORK=on; checked by ProofOfWorkGuard. */
export const ProofOfWorkField = (): PropertyDecorator =>
  stacked(
    ApiPropertyOptional({
      description: 'With PROOF_OF_WORK=on: a solved challenge from GET /api/v1/challenge (base64 JSON); ignored when off',
    }),
    IsOptional(),
    IsString(),
    MaxLength(2000),
  );
