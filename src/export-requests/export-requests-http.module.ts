import { Module } from '@nestjs/common';
import { ExportRequestsController, ExportTraceController } from './export-requests.controller';
import { ExportRequestsModule } from './export-requests.module';

@Module({ imports: [ExportRequestsModule], controllers: [ExportRequestsController, ExportTraceController] })
export class ExportRequestsHttpModule {}
