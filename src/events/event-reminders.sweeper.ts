import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { EventRemindersService } from './event-reminders.service';

/**
 * The reminders' safety net: every minute, sends the reminders that are due and were not
 * sent (their delayed job was lost with Redis, or fired while a worker was down). What is
 * due is derived from PostgreSQL alone, and the email's dedupe key keeps it to one send.
 */
@Injectable()
export class EventRemindersSweeper extends PeriodicTask {
  protected readonly everyMs = 60_000;
  protected override readonly firstRunAfterMs = 30_000;

  constructor(private readonly reminders: EventRemindersService) {
    super();
  }

  async runOnce(): Promise<number> {
    const sent = await this.reminders.sweepDue();
    if (sent > 0) this.logger.warn(`sent ${sent} due reminder(s) whose job never ran`);
    return sent;
  }
}
