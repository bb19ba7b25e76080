import { Module } from '@nestjs/common';
import { CanariesModule } from '../canaries/canaries.module';
import { MailModule } from '../mail/mail.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PeopleModule } from '../people/people.module';
import { DeliveriesPeopleService } from './deliveries-people.service';
import { DeliveriesRepository } from './deliveries.repository';
import { EmailEventsService } from './email-events.service';
import { ListLinkTokens } from './list-link-tokens.service';
import { ListPreferencesRepository } from './list-preferences.repository';
import { MailingCompletion } from './mailing-completion.service';
import { ListPreferencesService } from './list-preferences.service';
import { MailingPlanner } from './mailing-planner.service';
import { MailingSender } from './mailing-sender.service';
import { MailingsRepository } from './mailings.repository';
import { MailingsService } from './mailings.service';
import { SendRateLimiter } from './send-rate-limiter.service';

/** Newsletters: services shared by the API and the worker (controllers and processors are added by each entrypoint). */
@Module({
  imports: [OutboxModule, PeopleModule, MailModule, CanariesModule],
  providers: [
    MailingsRepository,
    DeliveriesRepository,
    DeliveriesPeopleService,
    ListPreferencesRepository,
    MailingCompletion,
    ListLinkTokens,
    ListPreferencesService,
    EmailEventsService,
    MailingsService,
    SendRateLimiter,
    MailingPlanner,
    MailingSender,
  ],
  exports: [
    MailingsRepository,
    DeliveriesRepository,
    ListLinkTokens,
    ListPreferencesService,
    EmailEventsService,
    MailingsService,
    MailingPlanner,
    MailingSender,
  ],
})
export class MailingsModule {}
