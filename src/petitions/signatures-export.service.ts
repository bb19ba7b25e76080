import { Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CsvExportService } from '../exports/csv-export.service';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PetitionsRepository, SignatureExportFilters } from './petitions.repository';

/**
 * The per-petition CSV export of signatures, for organizers (a person's signatures in their
 * record, erasure and retention come from the signature's definition).
 */
@Injectable()
export class SignaturesExportService {
  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly csv: CsvExportService,
  ) {}

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
