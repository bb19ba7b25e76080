import { Injectable } from '@nestjs/common';
import { EmailMessage } from './email-message.entity';
import { OutgoingEmail } from './mailer.service';

/**
 * Turns a stored message (ids only) into the email to send, reading current data. Returns
 * null when there is nothing to send any more (person erased, token gone).
 */
export interface MessageComposer {
  compose(message: Pick<EmailMessage, 'id' | 'kind' | 'personId' | 'language' | 'params'>): Promise<OutgoingEmail | null>;
}

/** Each feature registers the composers of the message kinds it owns. */
@Injectable()
export class MessageComposerRegistry {
  private readonly composers = new Map<string, MessageComposer>();

  register(kind: string, composer: MessageComposer): void {
    if (this.composers.has(kind)) throw new Error(`two composers for email kind ${kind}`);
    this.composers.set(kind, composer);
  }

  get(kind: string): MessageComposer {
    const composer = this.composers.get(kind);
    if (!composer) throw new Error(`no composer for email kind ${kind}`);
    return composer;
  }
}
