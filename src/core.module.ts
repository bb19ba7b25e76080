import { Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { ChangesModule } from './changes/changes.module';
import { ClockModule } from './common/clock';
import { loggingModule } from './common/logging';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { QueuesModule } from './queues/queues.module';
import { RedisModule } from './queues/redis.module';

/**
 * What both entrypoints share, the truly global part: config, clock, logs, PostgreSQL, Redis,
 * queues, the audit log (every admin route records into it) and the change feed (every
 * change worth telling is recorded into it). Mail, tokens and the proof of
 * work are imported by the modules that use them.
 */
@Module({
  imports: [AppConfigModule, ClockModule, loggingModule, DatabaseModule, RedisModule, QueuesModule, AuditModule, ChangesModule],
})
export class CoreModule {}
