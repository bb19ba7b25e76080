import { CanariesModule } from '../canaries/canaries.module';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ExportsModule } from '../exports/exports.module';
import { MailModule } from '../mail/mail.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PeopleModule } from '../people/people.module';
import { RetentionModule } from '../retention/retention.module';
import { TokensModule } from '../tokens/tokens.module';
import { ActionEmails } from './action-emails.composer';
import { ActionRegistry } from './action-registry';
import { ActionRequests } from './action-requests.service';
import { ActionWorker } from './action-worker.service';
import { ActionsRepository } from './actions.repository';
import { ConfirmLinks } from './confirm-links.service';
import { ProofOfAddress } from './proof-of-address.service';
import { RecordsExport } from './records-export';

/**
 * The action lifecycle, once for every kind (see README.md). A kind's module imports this
 * one and provides its `@ActionKind()` definition; its HTTP module adds
 * `confirmLinksController(SPEC)` (and `recordsExportController` for an export). The
 * reconciler (`ActionsReconciler`) is the worker's.
 */
@Module({
  imports: [DiscoveryModule, PeopleModule, MailModule, TokensModule, OutboxModule, RetentionModule, ExportsModule, CanariesModule],
  providers: [ActionRegistry, ActionsRepository, ActionWorker, ActionEmails, ActionRequests, ConfirmLinks, ProofOfAddress, RecordsExport],
  exports: [
    ActionRegistry,
    ActionsRepository,
    ActionWorker,
    ActionRequests,
    ConfirmLinks,
    ProofOfAddress,
    RecordsExport,
    PeopleModule,
    TokensModule,
    OutboxModule,
  ],
})
export class ActionsModule {}
