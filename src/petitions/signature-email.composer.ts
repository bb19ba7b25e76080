import { Injectable, OnModuleInit } from '@nestjs/common';
import { resolveLanguage } from '../common/languages';
import { AppConfig } from '../config/app-config';
import { fill, renderActionEmail } from '../mail/email-layout';
import { EmailMessage } from '../mail/email-message.entity';
import { OutgoingEmail } from '../mail/mailer.service';
import { MessageComposer, MessageComposerRegistry } from '../mail/message-composer.registry';
import { ActionTokenService } from '../tokens/action-token.service';
import { chooseLanguage, contentIn } from './petition-content';
import { SIGNATURE_EMAIL, SIGNATURE_REMINDER_EMAIL } from './petition-messages';
import { PetitionsRepository } from './petitions.repository';
import { SIGNATURE_CONFIRMATION_EMAIL, SIGNATURE_REMINDER_EMAIL as REMINDER_KIND } from './signature-emails';

/** Renders the signature confirmation and reminder emails from ids, in the signer's language. */
@Injectable()
export class SignatureEmailComposer implements MessageComposer, OnModuleInit {
  constructor(
    private readonly registry: MessageComposerRegistry,
    private readonly petitions: PetitionsRepository,
    private readonly tokens: ActionTokenService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(SIGNATURE_CONFIRMATION_EMAIL, this);
    this.registry.register(REMINDER_KIND, this);
  }

  async compose(message: Pick<EmailMessage, 'kind' | 'personId' | 'language' | 'params'>): Promise<OutgoingEmail | null> {
    const sig = await this.petitions.findSignature(message.params.signatureId);
    const token = await this.tokens.tokenForId(message.params.tokenId);
    // Confirmed meanwhile (by another link): nothing left to ask.
    if (!sig || !token || sig.status !== 'pending') return null;
    const petition = await this.petitions.findPetition(sig.petitionId);
    if (!petition) return null;
    const language = resolveLanguage(message.language);
    const t = (message.kind === REMINDER_KIND ? SIGNATURE_REMINDER_EMAIL : SIGNATURE_EMAIL)[language];
    const title = contentIn(petition, chooseLanguage(petition.language, Object.keys(petition.translations), language, undefined)).title;
    const rendered = renderActionEmail({
      language,
      subject: t.subject,
      // The name this signer typed, never a stored one they may not own.
      greeting: fill(t.greetingNamed, { givenName: sig.givenName }),
      paragraphs: [fill(t.intro, { title }), t.expiry],
      actionLabel: t.action,
      actionUrl: `${this.config.publicUrl}/petitions/confirm/${token}`,
      fallbackLabel: t.fallback,
      footer: t.footer,
    });
    return { to: sig.personEmail, ...rendered };
  }
}
