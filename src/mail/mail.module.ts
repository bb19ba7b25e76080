import { Global, Module } from '@nestjs/common';
import { EmailMessageRepository } from './email-message.repository';
import { MailerService } from './mailer.service';
import { MessageComposerRegistry } from './message-composer.registry';
import { SuppressionRepository } from './suppression.repository';
import { TransactionalMailService } from './transactional-mail.service';

@Global()
@Module({
  providers: [MailerService, EmailMessageRepository, MessageComposerRegistry, SuppressionRepository, TransactionalMailService],
  exports: [MailerService, EmailMessageRepository, MessageComposerRegistry, SuppressionRepository, TransactionalMailService],
})
export class MailModule {}
