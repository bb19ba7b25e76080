import { Module } from '@nestjs/common';
import { loggingModule } from './common/logging';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { MailModule } from './mail/mail.module';
import { QueuesModule } from './queues/queues.module';
import { RedisModule } from './queues/redis.module';
import { TokensModule } from './tokens/tokens.module';

/** What both entrypoints share: config, logs, PostgreSQL, Redis, queues, mail, tokens. */
@Module({
  imports: [AppConfigModule, loggingModule, DatabaseModule, RedisModule, QueuesModule, MailModule, TokensModule],
})
export class CoreModule {}
