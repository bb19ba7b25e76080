import { Injectable, NotFoundException, PipeTransform } from '@nestjs/common';
import { SLUG_PATTERN } from './validators';

/**
 * A path slug (petition, event): what is not one (a NUL byte, a dot, a thousand characters)
 * names nothing, so it answers the route's 404 before any query or cache lookup. Slugs are
 * created by the same rule and at most 100 characters long.
 */
@Injectable()
export class SlugPipe implements PipeTransform<string, string> {
  constructor(private readonly notFound = 'Not found') {}

  transform(value: string): string {
    if (typeof value === 'string' && value.length <= 100 && SLUG_PATTERN.test(value)) return value;
    throw new NotFoundException(this.notFound);
  }
}
