import { Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { ClockModule } from './common/clock';
import { loggingModule } from './common/logging';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { QueuesModule } from './queues/queues.module';
import { RedisModule } from './queues/redis.module';

/**
 * What both entrypoints share, the truly global part: config, clock, logs, PostgreSQL, Redis,
 * queues and the audit log (every admin route records into it). Mail, tokens and the proof of
 * work are imported by the modules that use them.
 */
@Module({
  imports: [AppConfigModule, ClockModule, loggingModule, DatabaseModule, RedisModule, QueuesModule, AuditModule],
})
export class CoreModule {}
