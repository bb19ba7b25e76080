import { ArgumentMetadata, BadRequestException, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from './error-response';

export class RequestValidationException extends BadRequestException {
  constructor(readonly details: FieldError[]) {
    super('Validation failed');
  }
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      // whitelist errors read "property X should not exist"; say it in terms of the field.
      out.push({ field, message: message.startsWith('property ') ? 'is not an allowed field' : message });
    }
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(flatten(errors)),
  });
}

/** Parameters that sharing tools add to any link; they mean nothing to the platform. */
const TRACKING_PARAMETER = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)$/;

/**
 * `?country=&cursor=` means "no filter", as in the contract's own URL forms, and a shared
 * link's `?utm_source=` must not break the call. Any other unknown parameter is still
 * refused: a misspelt filter on an export must not silently export everyone.
 */
function normalizeQuery(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(Object.entries(query).filter(([key, value]) => value !== '' && !TRACKING_PARAMETER.test(key)));
}

/** Global pipe: DTOs only, unknown fields refused, one detail per bad field. */
export class AppValidationPipe implements PipeTransform {
  private readonly pipe = validationPipe();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    return this.pipe.transform(metadata.type === 'query' ? normalizeQuery(value) : value, metadata);
  }
}

export function createValidationPipe(): AppValidationPipe {
  return new AppValidationPipe();
}
