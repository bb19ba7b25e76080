import { ForbiddenException, HttpException, HttpStatus } from '@nestjs/common';

/** No live session on a console page: a GET is sent to the sign-in page, anything else refused (403). */
export class ConsoleSignInRequired extends HttpException {
  constructor() {
    super('Sign in to the console first', HttpStatus.UNAUTHORIZED);
  }
}

/** A state-changing request without the session's CSRF token, or not from our own origin. */
export class ConsoleCsrfRefused extends ForbiddenException {
  constructor(reason: string) {
    super(`Request refused: ${reason}`);
  }
}

/** Too many attempts: 429 with Retry-After (seconds). */
export class ConsoleThrottled extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many attempts; try again later', HttpStatus.TOO_MANY_REQUESTS);
  }
}
