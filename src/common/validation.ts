import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Global pipe: DTOs only, unknown fields refused, one detail per bad field. */
export function createValidationPipe(): ValidationPipe {
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
