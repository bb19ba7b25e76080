import { Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CsvExportService } from '../exports/csv-export.service';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { EventsRepository } from './events.repository';
import type { RsvpStatus } from './rsvp.entity';

/**
 * The per-event CSV export of RSVPs, for organizers (a person's RSVPs in their record,
 * erasure and retention come from the RSVP's definition).
 */
@Injectable()
export class RsvpsExportService {
  constructor(
    private readonly events: EventsRepository,
    private readonly csv: CsvExportService,
  ) {}

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
