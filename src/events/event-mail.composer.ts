import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { resolveLanguage, SupportedLanguage } from '../common/languages';
import { AppConfig } from '../config/app-config';
import { fill, greetingFor, renderActionEmail } from '../mail/email-layout';
import { EmailMessage } from '../mail/email-message.entity';
import { OutgoingEmail } from '../mail/mailer.service';
import { MessageComposer, MessageComposerRegistry } from '../mail/message-composer.registry';
import { CATALOGUE } from '../messages/catalogue';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { ConfirmationJob, CONFIRMATIONS_QUEUE } from '../queues/confirmations.queue';
import type { SendEventEmailPayload } from '../queues/confirmations.queue';
import { OnJob } from '../queues/job-handlers';
import { ActionTokenService } from '../tokens/action-token.service';
import { CampaignEvent } from './campaign-event.entity';
import { buildEventCalendar, locationLine } from './event-calendar';
import { EVENT_EMAIL, formatEventTime } from './event-messages';
import { EventsRepository } from './events.repository';
import { Rsvp } from './rsvp.entity';
import { EventEmail, EventEmailKind } from './seat-allocation.service';

type Text = (typeof EVENT_EMAIL)[SupportedLanguage];

/** The event's time, place, link and the party's guests, as an email's lines; the address only for those going. */
export function eventDetailLines(t: Text, event: CampaignEvent, rsvp: Rsvp, going: boolean, language: SupportedLanguage): string[] {
  const lines = [fill(t.when, { when: formatEventTime(event.startsAt, event.timezone, language) })];
  const where = locationLine(event, going);
  if (where) lines.push(fill(t.where, { where }));
  if (event.locationOnline && event.locationUrl) lines.push(fill(t.online, { url: event.locationUrl }));
  if (rsvp.guests > 0) lines.push(fill(t.guests, { guests: String(rsvp.guests) }));
  return lines;
}

/** The emails a seat decision leads to (the confirmation email is the RSVP action's, see rsvp.definition.ts). */
type DecisionEmailKind = Exclude<EventEmailKind, typeof EventEmail.Confirmation>;
const DECISION_EMAILS = Object.values(EventEmail).filter((kind): kind is DecisionEmailKind => kind !== EventEmail.Confirmation);

/**
 * Renders every event email about a seat from ids, reading the current event and RSVP: an
 * email whose reason is gone by the time it is sent (the person cancelled, the event was
 * cancelled) is not sent. Only `going` attendees' emails carry a private address and the .ics.
 */
@Injectable()
export class EventMailComposer implements MessageComposer, OnModuleInit {
  constructor(
    private readonly registry: MessageComposerRegistry,
    private readonly events: EventsRepository,
    private readonly tokens: ActionTokenService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mail: TransactionalMailService,
  ) {}

  onModuleInit(): void {
    for (const kind of DECISION_EMAILS) this.registry.register(kind, this);
  }

  /** Sends one stored event email (seat decision, promotion, cancellation), written as an intent with its decision. */
  @OnJob({ queue: CONFIRMATIONS_QUEUE, name: ConfirmationJob.SendEventEmail })
  async sendStored(data: SendEventEmailPayload): Promise<void> {
    await this.mail.send(data.messageId);
  }

  async compose(message: Pick<EmailMessage, 'kind' | 'personId' | 'language' | 'params'>): Promise<OutgoingEmail | null> {
    const rsvp = await this.events.findRsvp(message.params.rsvpId);
    const event = rsvp ? await this.events.findEvent(rsvp.eventId) : null;
    // An erased person's RSVP has no address and no name left: nothing to send.
    if (!rsvp?.email || !rsvp.personId || !event || !message.personId) return null;
    const language = resolveLanguage(message.language);
    const t = EVENT_EMAIL[language];
    const kind = message.kind as DecisionEmailKind;
    if (!this.stillTrue(kind, rsvp, event)) return null;
    const vars = { title: event.title, when: formatEventTime(event.startsAt, event.timezone, language) };
    const going = rsvp.status === 'going' && kind !== EventEmail.Cancelled;
    const details = eventDetailLines(t, event, rsvp, going, language);
    // These follow a used link (going, waitlisted, refused, reminded, told of a cancellation):
    // the name typed with the RSVP it proved may greet. `confirmed_at` is reset whenever a
    // new request reopens the RSVP, so a stranger's later typing is never greeted.
    const greeting = greetingFor(t, rsvp.confirmedAt ? { addressProven: true, givenName: rsvp.givenName } : { addressProven: false });

    let subject: string;
    let paragraphs: string[];
    let action: { label: string; url: string } | undefined;
    switch (kind) {
      case EventEmail.Going: {
        const promoted = message.params.promoted === '1';
        subject = fill(promoted ? t.promotedSubject : t.goingSubject, vars);
        paragraphs = [fill(promoted ? t.promotedIntro : t.goingIntro, vars), ...details, t.calendar];
        action = await this.cancelAction(rsvp, t.cancelAction);
        break;
      }
      case EventEmail.Waitlisted:
        subject = fill(t.waitlistedSubject, vars);
        paragraphs = [fill(t.waitlistedIntro, vars), ...details];
        action = await this.cancelAction(rsvp, t.leaveAction);
        break;
      case EventEmail.Full:
        subject = fill(t.fullSubject, vars);
        paragraphs = [fill(t.fullIntro, vars), ...details];
        break;
      case EventEmail.Reminder:
        subject = fill(t.reminderSubject, vars);
        paragraphs = [fill(t.reminderIntro, vars), ...details, t.calendar];
        action = await this.cancelAction(rsvp, t.cancelAction);
        break;
      case EventEmail.Cancelled:
        subject = fill(t.cancelledSubject, vars);
        paragraphs = [fill(t.cancelledIntro, vars), fill(t.when, vars)];
        break;
      default:
        return null;
    }
    // A protected person's email says nothing of the event in its subject (docs/safety.md).
    if (rsvp.protected) subject = CATALOGUE[language].safety.neutralNoticeSubject;
    const rendered = renderActionEmail({
      language,
      subject,
      greeting,
      paragraphs,
      actionLabel: action?.label ?? '',
      actionUrl: action?.url ?? '',
      fallbackLabel: t.fallback,
      footer: t.footer,
    });
    // Attendees get the invitation for their calendar; those who were going when the event
    // was cancelled get the same entry (same UID, next SEQUENCE) marked CANCELLED.
    const calendarFor =
      going && (kind === EventEmail.Going || kind === EventEmail.Reminder)
        ? { includeAddress: true }
        : kind === EventEmail.Cancelled && rsvp.status === 'going'
          ? { includeAddress: false }
          : null;
    const attachments = calendarFor
      ? [
          {
            filename: 'invitation.ics',
            content: buildEventCalendar(event, { host: new URL(this.config.publicUrl).hostname, ...calendarFor }),
            contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
          },
        ]
      : undefined;
    return { to: rsvp.email, ...rendered, attachments };
  }

  /** Whether the email still has a reason to go out at the moment it is sent. */
  private stillTrue(kind: DecisionEmailKind, rsvp: Rsvp, event: CampaignEvent): boolean {
    switch (kind) {
      case EventEmail.Going:
        return rsvp.status === 'going' && event.status === 'published';
      case EventEmail.Waitlisted:
        return (rsvp.status === 'waitlisted' || rsvp.status === 'going') && event.status === 'published';
      case EventEmail.Full:
        return rsvp.status === 'refused';
      case EventEmail.Reminder:
        return rsvp.status === 'going' && event.status === 'published' && event.startsAt.getTime() > this.clock.now().getTime();
      case EventEmail.Cancelled:
        return true;
      default:
        return false;
    }
  }

  private async cancelAction(rsvp: Rsvp, label: string): Promise<{ label: string; url: string } | undefined> {
    const token = rsvp.cancelTokenId ? await this.tokens.tokenForId(rsvp.cancelTokenId) : null;
    return token ? { label, url: `${this.config.publicUrl}/rsvp/cancel/${token}` } : undefined;
  }
}
