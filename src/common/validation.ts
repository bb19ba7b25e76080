import { ArgumentMetadata, BadRequestException, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from './error-response';

export class RequestValidationException extends BadRequestException {
  constructor(readonly details: FieldError[]) {
    super('Validation failed');
  }
}

/**
 * When a value breaks several rules, the one to report: an unknown field first, then a
 * missing or mistyped value (`"2"` for guests is "must be an integer", not "greater than
 * 10"), then whatever rule comes first on the field.
 */
const FIRST_REPORTED = [
  'whitelistValidation',
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isUuid',
  'isEnum',
  'isIn',
  'isDateString',
  'isIso8601',
  'nestedValidation',
];

function reportedMessage(constraints: Record<string, string>): string | undefined {
  const key = FIRST_REPORTED.find((name) => name in constraints) ?? Object.keys(constraints)[0];
  return key === undefined ? undefined : constraints[key];
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const message = reportedMessage(error.constraints ?? {});
    // whitelist errors read "property X should not exist"; say it in terms of the field.
    if (message !== undefined) out.push({ field, message: message.startsWith('property ') ? 'is not an allowed field' : message });
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

/** The class-validator pipe alone, without compiled validators (their spec compares against it). */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Every rule runs (they all check the type they expect) and flatten() reports one per field.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(flatten(errors)),
  });
}

/** Parameters that sharing tools add to any link; they mean nothing to the platform. */
export const TRACKING_PARAMETER = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)$/;

/**
 * `?country=&cursor=` means "no filter", as in the contract's own URL forms, and a shared
 * link's `?utm_source=` must not break the call. Any other unknown parameter is still
 * refused: a misspelt filter on an export must not silently export everyone.
 */
function normalizeQuery(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(Object.entries(query).filter(([key, value]) => value !== '' && !TRACKING_PARAMETER.test(key)));
}

/**
 * A hand-written check of one DTO's body for a hot route: returns the DTO exactly as the
 * pipe would (transformed), or undefined for anything it does not accept in full, which
 * then takes the pipe (and gets its error details). It may refuse more than the pipe, never less.
 */
export type CompiledValidator = (body: unknown) => object | undefined;

const compiledValidators = new WeakMap<object, CompiledValidator>();

export function registerCompiledValidator(dto: abstract new () => object, validate: CompiledValidator): void {
  compiledValidators.set(dto, validate);
}

/** Global pipe: DTOs only, unknown fields refused, one detail per bad field. */
export class AppValidationPipe implements PipeTransform {
  private readonly pipe = validationPipe();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' && metadata.metatype) {
      const accepted = compiledValidators.get(metadata.metatype)?.(value);
      if (accepted !== undefined) return accepted;
    }
    return this.pipe.transform(metadata.type === 'query' ? normalizeQuery(value) : value, metadata);
  }
}

export function createValidationPipe(): AppValidationPipe {
  return new AppValidationPipe();
}
