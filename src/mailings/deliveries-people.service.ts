import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonSectionRegistry } from '../people/person-sections.registry';
import { DeliveriesRepository } from './deliveries.repository';

/**
 * Newsletter deliveries in the organizer tools: the `deliveries` section of the
 * subject-access export (not the detail: it grows with every mailing) and the erasure step
 * (rows kept as anonymous counts, see `anonymiseDeliveriesOf`).
 */
@Injectable()
export class DeliveriesPeopleService implements OnModuleInit {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly registry: PersonSectionRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({ key: 'deliveries', inDetail: false, load: (personId) => this.deliveries.deliveriesOf(personId) });
    this.registry.registerErasureStep({ name: 'deliveries', run: (tx, person) => this.deliveries.anonymiseDeliveriesOf(tx, person.id) });
  }
}
