import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO31661Alpha2, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
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

/** A given or family name. Required names are trimmed and must not be empty. */
export const NameField = (options: { example: string; required?: boolean; trim?: boolean }): PropertyDecorator => {
  const doc = { example: options.example, maxLength: 100 };
  return options.required
    ? stacked(ApiProperty(doc), Trim(), IsString(), MinLength(1), MaxLength(100), SingleLineText())
    : stacked(ApiPropertyOptional(doc), IsOptional(), ...(options.trim ? [Trim()] : []), IsString(), MaxLength(100), SingleLineText());
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
    Matches(/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u, { message: 'postalCode must hold letters, digits, spaces and dashes only' }),
  );

export const LanguageField = (): PropertyDecorator =>
  stacked(ApiPropertyOptional({ example: 'ar', description: 'BCP 47 tag' }), IsOptional(), IsString(), MaxLength(35), LanguageTag());

/** Honeypot: invisible in forms; a value means a bot filled it in. */
export const HoneypotField = (): PropertyDecorator =>
  stacked(
    ApiPropertyOptional({ description: 'Leave empty (anti-spam field hidden from people)' }),
    IsOptional(),
    IsString(),
    MaxLength(500),
  );
