import { Injectable, OnModuleInit } from '@nestjs/common';
import { ChangeFeed } from '../changes/change-feed.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksRepository } from './webhooks.repository';

/**
 * The webhooks' subscription to the change feed: each published change becomes one delivery
 * row per enabled webhook taking its type, in the relay's transaction (so a change is owed to
 * its webhooks exactly when it is marked published); after the commit the first attempts go
 * on the queue, best effort.
 */
@Injectable()
export class WebhookFanOut implements OnModuleInit {
  constructor(
    private readonly feed: ChangeFeed,
    private readonly webhooks: WebhooksRepository,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  onModuleInit(): void {
    this.feed.subscribe({
      name: 'webhooks',
      accept: async (tx, changes) => {
        const due = await this.webhooks.fanOut(tx, changes);
        return () => this.dispatcher.enqueueSoon(due);
      },
    });
  }
}
