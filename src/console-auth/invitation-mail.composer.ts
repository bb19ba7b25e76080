import { Injectable, OnModuleInit } from '@nestjs/common';
import { keyedHash } from '../common/crypto.util';
import { resolveLanguage } from '../common/languages';
import { AppConfig } from '../config/app-config';
import { roleName } from '../console/console-messages';
import { fill, renderActionEmail } from '../mail/email-layout';
import type { EmailMessage } from '../mail/email-message.entity';
import type { OutgoingEmail } from '../mail/mailer.service';
import { MessageComposer, MessageComposerRegistry } from '../mail/message-composer.registry';
import { messages } from '../messages/catalogue';
import { ConsoleAuthRepository } from './console-auth.repository';
import { INVITATION_EMAIL_KIND } from './invitations.service';

const TEXTS = messages((m) => ({ email: m.console.email, console: m.console }));

/**
 * The invitation email, rendered by the worker from the invitation's id (stored and sent by
 * StoredEmailService; the job carries the message id only): an invitation used, replaced or expired meanwhile is not sent.
 */
@Injectable()
export class InvitationMailComposer implements MessageComposer, OnModuleInit {
  constructor(
    private readonly registry: MessageComposerRegistry,
    private readonly repo: ConsoleAuthRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(INVITATION_EMAIL_KIND, this);
  }

  async compose(message: Pick<EmailMessage, 'kind' | 'language' | 'params'>): Promise<OutgoingEmail | null> {
    const invitation = await this.repo.findInvitationById(message.params.invitationId);
    if (!invitation?.email) return null;
    const language = resolveLanguage(message.language);
    const { email: t, console: c } = TEXTS[language];
    // The same derivation as InvitationsService.tokenFor (kept here so the worker needs no HTTP-side service).
    const token = keyedHash(this.config.APP_SECRET, 'console-invitation', invitation.id);
    const rendered = renderActionEmail({
      language,
      subject: t.inviteSubject,
      greeting: t.greeting,
      paragraphs: [fill(t.inviteIntro, { role: roleName(c, invitation.role) }), t.inviteExpiry],
      actionLabel: t.inviteAction,
      actionUrl: `${this.config.publicUrl}/console/invitations/${token}`,
      fallbackLabel: t.fallback,
      footer: t.footer,
    });
    return { to: invitation.email, ...rendered };
  }
}
