import { Module } from '@nestjs/common';
import { CanariesModule } from '../canaries/canaries.module';
import { CsvExportRepository } from './csv-export.repository';
import { CsvExportService } from './csv-export.service';

/** The streamed-CSV helper every export uses (people here; signatures and RSVPs in their features). */
@Module({ imports: [CanariesModule], providers: [CsvExportRepository, CsvExportService], exports: [CsvExportService] })
export class ExportsModule {}
