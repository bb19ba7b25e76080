import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditInterceptor } from './audited.interceptor';

/** The append-only audit log of admin actions; global so every feature can record into it. */
@Global()
@Module({
  providers: [AuditRepository, AuditService, AuditInterceptor],
  exports: [AuditService, AuditInterceptor],
})
export class AuditModule {}
