import { Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionService } from '../retention/retention.service';
import { EventsRepository } from './events.repository';

/**
 * Worker side: the retention job deletes RSVPs still pending after
 * RETENTION_UNCONFIRMED_DAYS (counted from their last request). A person who used an RSVP
 * link is confirmed and never purged; a never-confirmed one is kept while an RSVP of
 * theirs remains, i.e. while a pending one is recent enough for its link to be used.
 */
@Injectable()
export class RsvpsRetentionService implements OnModuleInit {
  constructor(
    private readonly events: EventsRepository,
    private readonly retention: RetentionService,
  ) {}

  onModuleInit(): void {
    this.retention.registerStep({ name: 'rsvps', run: (c) => this.events.deleteUnconfirmedRsvps(c.cutoff, c.stopping) });
    this.retention.registerPersonKeepCondition(`EXISTS (SELECT 1 FROM rsvps x WHERE x.person_id = p.id)`);
  }
}
