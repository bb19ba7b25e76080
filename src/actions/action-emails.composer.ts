import { Injectable, OnModuleInit } from '@nestjs/common';
import { resolveLanguage } from '../common/languages';
import { AppConfig } from '../config/app-config';
import { fill, greetingFor, renderActionEmail } from '../mail/email-layout';
import { EmailMessage } from '../mail/email-message.entity';
import { OutgoingEmail } from '../mail/mailer.service';
import { MessageComposer, MessageComposerRegistry } from '../mail/message-composer.registry';
import { CATALOGUE } from '../messages/catalogue';
import { ActionTokenService } from '../tokens/action-token.service';
import { ActionRegistry } from './action-registry';

/**
 * Renders every kind's confirmation email (and the emails capped with it: the signature
 * reminder) from ids, at the moment it is sent: the record and the link are read again, so
 * an email whose reason is gone (confirmed by another link, the event unpublished) is not
 * sent. The words are the kind's; the link, the layout and the recipient are the same for all.
 * Each goes to an address nobody has proven for this request, so it carries nothing its
 * requester typed: a neutral greeting, and only the organizer's words (titles, times,
 * places) and numbers (guests) beside the catalogue's.
 */
@Injectable()
export class ActionEmails implements MessageComposer, OnModuleInit {
  constructor(
    private readonly registry: ActionRegistry,
    private readonly composers: MessageComposerRegistry,
    private readonly tokens: ActionTokenService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    for (const kind of this.registry.cappedEmailKinds()) this.composers.register(kind, this);
  }

  async compose(message: Pick<EmailMessage, 'kind' | 'personId' | 'language' | 'params'>): Promise<OutgoingEmail | null> {
    const definition = this.registry.byEmailKind(message.kind);
    if (!definition || !message.personId) return null;
    const record = await definition.findForLink(message.params[definition.spec.record.idParam]);
    const token = await this.tokens.tokenForId(message.params.tokenId);
    if (!record || !token || !definition.awaitsConfirmation(record)) return null;
    const language = resolveLanguage(message.language);
    const words = await definition.confirmationEmail(record, message.kind, language);
    if (!words) return null;
    const { texts, vars = {}, details = [] } = words;
    const rendered = renderActionEmail({
      language,
      // A protected person's inbox (or whoever looks over their shoulder) learns nothing from the subject.
      subject: record.protected ? CATALOGUE[language].safety.neutralSubject : fill(texts.subject, vars),
      greeting: greetingFor(texts, { addressProven: false }),
      paragraphs: [fill(texts.intro, vars), ...details, texts.expiry],
      actionLabel: texts.action,
      actionUrl: `${this.config.publicUrl}/${definition.spec.link.path}/${token}`,
      fallbackLabel: texts.fallback,
      footer: texts.footer,
    });
    return { to: record.email, ...rendered };
  }
}
