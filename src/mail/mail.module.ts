import { Module } from '@nestjs/common';
import { EmailMessageRepository } from './email-message.repository';
import { MailerService } from './mailer.service';
import { MessageComposerRegistry } from './message-composer.registry';
import { OutboxRepository } from '../outbox/outbox.repository';
import { OutcomeRecorder } from './outcome-recorder.service';
import { StoredEmailService } from './stored-email.service';
import { SuppressionRepository } from './suppression.repository';
import { TransactionalMailService } from './transactional-mail.service';

/** Transactional mail, the SMTP transport and the suppression list: imported by the features that mail or check an address. */
@Module({
  providers: [
    MailerService,
    EmailMessageRepository,
    MessageComposerRegistry,
    SuppressionRepository,
    OutcomeRecorder,
    TransactionalMailService,
    // No OutboxModule: the command line (an import) has no queues; see StoredEmailService.
    OutboxRepository,
    StoredEmailService,
  ],
  exports: [
    MailerService,
    EmailMessageRepository,
    MessageComposerRegistry,
    SuppressionRepository,
    TransactionalMailService,
    StoredEmailService,
  ],
})
export class MailModule {}
