import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChangeData, ChangeType } from './change-types';
import { ChangesRepository, PublishedChange } from './changes.repository';

/**
 * A consumer of the feed (a feature: webhooks). `accept` runs inside the relay's
 * transaction, so what it writes (its deliveries) commits with the changes marked published,
 * or not at all; what it returns runs after the commit (enqueueing, best effort: the
 * subscriber re-drives from its own rows).
 */
export interface ChangeSubscriber {
  name: string;
  accept(tx: EntityManager, changes: PublishedChange[]): Promise<(() => Promise<void>) | void>;
}

/**
 * The change feed: `record(tx, type, data)` inside the transaction that makes the change, so
 * the change and its event commit together (or neither does). Nothing here needs Redis: an
 * event committed while Redis is down waits in `change_events` and is published by the
 * worker's relay, whose subscribers keep their own intents in PostgreSQL too.
 */
@Injectable()
export class ChangeFeed {
  private readonly subscribers: ChangeSubscriber[] = [];

  constructor(private readonly changes: ChangesRepository) {}

  async record(tx: EntityManager, type: ChangeType, data: ChangeData): Promise<void> {
    await this.changes.insert(tx, [{ type, data }]);
  }

  async recordMany(tx: EntityManager, rows: Array<{ type: ChangeType; data: ChangeData }>): Promise<void> {
    await this.changes.insert(tx, rows);
  }

  subscribe(subscriber: ChangeSubscriber): void {
    if (this.subscribers.some((s) => s.name === subscriber.name)) throw new Error(`two change subscribers named ${subscriber.name}`);
    this.subscribers.push(subscriber);
  }

  all(): readonly ChangeSubscriber[] {
    return this.subscribers;
  }
}
