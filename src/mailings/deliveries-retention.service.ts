import { Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionService } from '../retention/retention.service';

/**
 * Worker side: a person a newsletter was planned for is never purged by retention (their
 * deliveries would go with them by cascade and falsify the mailing's stats). In practice
 * such a person is already kept by their `subscribed` subscription; this keeps them after
 * they unsubscribe too.
 */
@Injectable()
export class DeliveriesRetentionService implements OnModuleInit {
  constructor(private readonly retention: RetentionService) {}

  onModuleInit(): void {
    this.retention.registerPersonKeepCondition(`EXISTS (SELECT 1 FROM mailing_deliveries x WHERE x.person_id = p.id)`);
  }
}
