import { Injectable } from '@nestjs/common';
import { StaleRecordsReconciler } from '../common/periodic-task';
import { EventsRepository } from './events.repository';
import { ProcessRsvpService } from './process-rsvp.service';

/** RSVP requests still undecided long after their job should have run are processed here. */
@Injectable()
export class RsvpsReconciler extends StaleRecordsReconciler {
  protected readonly noun = 'rsvp';

  constructor(
    private readonly events: EventsRepository,
    private readonly rsvps: ProcessRsvpService,
  ) {
    super();
  }

  protected findStale(olderThanSeconds: number): Promise<string[]> {
    return this.events.findUnprocessed(olderThanSeconds, 200);
  }

  protected async handle(id: string): Promise<boolean> {
    await this.rsvps.process(id);
    return true;
  }
}
