import { Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CsvExportService } from '../exports/csv-export.service';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PersonSectionRegistry } from '../people/person-sections.registry';
import { PetitionsRepository, SignatureExportFilters } from './petitions.repository';

/**
 * Signatures in the organizer tools: the `signatures` section of a person's detail and
 * subject-access export, the erasure step (a confirmed signature stays as an anonymous
 * count, a pending one goes) and the per-petition CSV export.
 */
@Injectable()
export class SignaturesPeopleService implements OnModuleInit {
  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly registry: PersonSectionRegistry,
    private readonly csv: CsvExportService,
  ) {}

  onModuleInit(): void {
    this.registry.register({ key: 'signatures', inDetail: true, load: (personId) => this.petitions.signaturesOf(personId) });
    this.registry.registerErasureStep({ name: 'signatures', run: (tx, person) => this.petitions.anonymiseSignaturesOf(tx, person.id) });
  }

  async exportCsv(
    req: AuthenticatedRequest,
    reply: FastifyReply,
    petitionId: string,
    filters: SignatureExportFilters,
    bom: boolean,
  ): Promise<void> {
    if (!(await this.petitions.findPetitionStatus(petitionId))) throw new NotFoundException('No such petition');
    await this.csv.send(req, reply, {
      query: this.petitions.signatureExportQuery(petitionId, filters),
      filename: 'signatures.csv',
      bom,
      action: 'export.signatures',
      targetType: 'petition',
      targetId: petitionId,
      filters: { ...filters },
    });
  }
}
