import { Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CsvExportService } from '../exports/csv-export.service';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PersonSectionRegistry } from '../people/person-sections.registry';
import { EventsRepository } from './events.repository';
import type { RsvpStatus } from './rsvp.entity';

/**
 * RSVPs in the organizer tools: the `rsvps` section of a person's detail and
 * subject-access export, the erasure step (a going RSVP keeps its seat anonymously,
 * anything waiting is cancelled) and the per-event CSV export.
 */
@Injectable()
export class RsvpsPeopleService implements OnModuleInit {
  constructor(
    private readonly events: EventsRepository,
    private readonly registry: PersonSectionRegistry,
    private readonly csv: CsvExportService,
  ) {}

  onModuleInit(): void {
    this.registry.register({ key: 'rsvps', inDetail: true, load: (personId) => this.events.rsvpsOf(personId) });
    this.registry.registerErasureStep({ name: 'rsvps', run: (tx, person) => this.events.anonymiseRsvpsOf(tx, person.id) });
  }

  async exportCsv(
    req: AuthenticatedRequest,
    reply: FastifyReply,
    eventId: string,
    filters: { status?: RsvpStatus },
    bom: boolean,
  ): Promise<void> {
    if (!(await this.events.findEvent(eventId))) throw new NotFoundException('No such event');
    await this.csv.send(req, reply, {
      query: this.events.rsvpExportQuery(eventId, filters),
      filename: 'rsvps.csv',
      bom,
      action: 'export.rsvps',
      targetType: 'event',
      targetId: eventId,
      filters: { ...filters },
    });
  }
}
