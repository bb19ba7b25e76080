import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { RequestValidationException } from './validation';

/**
 * A path id that must be a UUID. Nest's ParseUUIDPipe answers without the `details` the
 * contract gives every validation error; this one names the parameter.
 */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (isUUID(value)) return value;
    const field = metadata.data ?? 'id';
    throw new RequestValidationException([{ field, message: `${field} must be a UUID` }]);
  }
}
