import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { resolveLanguage } from '../common/languages';
import { fill, renderActionEmail } from '../mail/email-layout';
import { EmailMessage } from '../mail/email-message.entity';
import { OutgoingEmail } from '../mail/mailer.service';
import { MessageComposer, MessageComposerRegistry } from '../mail/message-composer.registry';
import { ActionTokenService } from '../tokens/action-token.service';
import { JOIN_EMAIL } from './join-messages';
import { SIGNUP_CONFIRMATION_EMAIL } from './process-signup.service';
import { SupportersRepository } from '../people/membership.repository';

/** Renders the join confirmation email from ids: the queue never carries its content. */
@Injectable()
export class SignupConfirmationComposer implements MessageComposer, OnModuleInit {
  constructor(
    private readonly registry: MessageComposerRegistry,
    private readonly supporters: SupportersRepository,
    private readonly tokens: ActionTokenService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(SIGNUP_CONFIRMATION_EMAIL, this);
  }

  async compose(message: Pick<EmailMessage, 'personId' | 'language' | 'params'>): Promise<OutgoingEmail | null> {
    const signup = await this.supporters.findSignup(message.params.signupId);
    const token = await this.tokens.tokenForId(message.params.tokenId);
    if (!signup || !token || !message.personId) return null;
    const language = resolveLanguage(message.language);
    const t = JOIN_EMAIL[language];
    // Name from this sign-up (what the person just typed), never a stored one they may not own.
    const givenName = signup.givenName;
    const rendered = renderActionEmail({
      language,
      subject: t.subject,
      greeting: givenName ? fill(t.greetingNamed, { givenName }) : t.greeting,
      paragraphs: [t.intro, t.expiry],
      actionLabel: t.action,
      actionUrl: `${this.config.publicUrl}/confirm/${token}`,
      fallbackLabel: t.fallback,
      footer: t.footer,
    });
    return { to: signup.email, ...rendered };
  }
}
