import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditHttpModule } from './audit-log/audit-log-http.module';
import { AuditInterceptor } from './audit/audited.interceptor';
import { AllExceptionsFilter } from './common/http-exception.filter';
import { LeanReadsModule } from './web/lean-reads';
import { RateLimitModule } from './web/rate-limit';
import { ConsoleAuthModule } from './console-auth/console-auth.module';
import { ConsoleDashboardModule } from './console-dashboard/console-dashboard.module';
import { ConsoleEventsModule } from './console-events/console-events.module';
import { ConsoleListsModule } from './console-lists/console-lists.module';
import { ConsoleModule } from './console/console.module';
import { ConsoleExportsModule } from './console-exports/console-exports.module';
import { ConsoleImportsModule } from './console-imports/console-imports.module';
import { ConsolePeopleModule } from './console-people/console-people.module';
import { CoreModule } from './core.module';
import { EventsHttpModule } from './events/events-http.module';
import { HealthModule } from './health/health.module';
import { ListsHttpModule } from './lists/lists-http.module';
import { MailHttpModule } from './mail/mail-http.module';
import { ImportsHttpModule } from './imports/imports-http.module';
import { MailingsHttpModule } from './mailings/mailings-http.module';
import { OrganizersHttpModule } from './organizers/organizers-http.module';
import { OrganizersModule } from './organizers/organizers.module';
import { OsdiModule } from './osdi/osdi.module';
import { PagesModule } from './pages/pages.module';
import { ProofOfWorkModule } from './web/proof-of-work.module';
import { PeopleHttpModule } from './people/people-http.module';
import { PetitionsHttpModule } from './petitions/petitions-http.module';
import { JoinHttpModule } from './join/join-http.module';
import { ExportRequestsHttpModule } from './export-requests/export-requests-http.module';
import { WebhooksHttpModule } from './webhooks/webhooks-http.module';

/** The HTTP API (dist/main.js). No queue consumer lives here. */
@Module({
  imports: [
    CoreModule,
    LeanReadsModule,
    RateLimitModule,
    HealthModule,
    OrganizersModule,
    OrganizersHttpModule,
    JoinHttpModule,
    MailHttpModule,
    AuditHttpModule,
    PeopleHttpModule,
    ImportsHttpModule,
    PetitionsHttpModule,
    EventsHttpModule,
    ListsHttpModule,
    MailingsHttpModule,
    OsdiModule,
    ExportRequestsHttpModule,
    WebhooksHttpModule,
    ProofOfWorkModule,
    PagesModule,
    ConsoleModule,
    ConsoleAuthModule,
    ConsolePeopleModule,
    ConsoleImportsModule,
    ConsoleExportsModule,
    ConsoleDashboardModule,
    ConsoleListsModule,
    ConsoleEventsModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_INTERCEPTOR, useExisting: AuditInterceptor },
  ],
})
export class AppModule {}
