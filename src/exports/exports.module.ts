import { Module } from '@nestjs/common';
import { CsvExportRepository } from './csv-export.repository';
import { CsvExportService } from './csv-export.service';

/** The streamed-CSV helper every export uses (people here; signatures and RSVPs in their features). */
@Module({ providers: [CsvExportRepository, CsvExportService], exports: [CsvExportService] })
export class ExportsModule {}
