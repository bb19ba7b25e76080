import { Global, Module } from '@nestjs/common';
import { ConsoleInvitations } from '../console/console-invitations.port';
import { MailModule } from '../mail/mail.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ConsoleAuthRepository } from './console-auth.repository';
import { EnrollmentService } from './enrollment.service';
import { InvitationMailComposer } from './invitation-mail.composer';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { PasskeysService } from './passkeys.service';
import { OrganizerInvitationsService } from './organizer-invitations.service';
import { SecurityController } from './security.controller';
import { SignInThrottle } from './sign-in-throttle.service';
import { SignInController } from './sign-in.controller';
import { SignInService } from './sign-in.service';

/** Invitations and their records: what the command line needs too (no HTTP, no Redis). */
@Module({
  providers: [ConsoleAuthRepository, InvitationsService],
  exports: [ConsoleAuthRepository, InvitationsService],
})
export class ConsoleAuthCoreModule {}

/** The invitation email, rendered and sent by the workers. */
@Module({ imports: [MailModule], providers: [ConsoleAuthRepository, InvitationMailComposer] })
export class ConsoleAuthMailModule {}

/**
 * Console sign-in (API process): invitations and enrollment, passkeys, password + TOTP,
 * recovery codes, the sign-in throttle. Global for one token: `ConsoleInvitations`, which the
 * console's organizers screen uses without importing this folder.
 */
@Global()
@Module({
  imports: [ConsoleAuthCoreModule, MailModule, OutboxModule],
  controllers: [SignInController, InvitationsController, SecurityController],
  providers: [
    SignInService,
    PasskeysService,
    SignInThrottle,
    EnrollmentService,
    OrganizerInvitationsService,
    { provide: ConsoleInvitations, useExisting: OrganizerInvitationsService },
  ],
  exports: [ConsoleInvitations],
})
export class ConsoleAuthModule {}
