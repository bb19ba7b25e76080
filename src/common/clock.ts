import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The platform's idea of "now" for decisions that wait on time (reminders, expiries,
 * retention). One injectable seam, so tests move time with `jest.spyOn(clock, 'now')`
 * instead of sleeping. Timestamps PostgreSQL writes itself (`now()`) are unaffected.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
