import { Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { ClockModule } from './common/clock';
import { loggingModule } from './common/logging';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { MailModule } from './mail/mail.module';
import { QueuesModule } from './queues/queues.module';
import { RedisModule } from './queues/redis.module';
import { TokensModule } from './tokens/tokens.module';

/** What both entrypoints share: config, clock, logs, PostgreSQL, Redis, queues, mail, tokens, audit log. */
@Module({
  imports: [AppConfigModule, ClockModule, loggingModule, DatabaseModule, RedisModule, QueuesModule, MailModule, TokensModule, AuditModule],
})
export class CoreModule {}
