import { AuditEntry } from '../audit/audit-entry.entity';
import { CampaignEvent } from '../events/campaign-event.entity';
import { Rsvp } from '../events/rsvp.entity';
import { EmailMessage } from '../mail/email-message.entity';
import { Mailing } from '../mailings/mailing.entity';
import { MailingDelivery } from '../mailings/mailing-delivery.entity';
import { ApiKey } from '../organizers/api-key.entity';
import { Organizer } from '../organizers/organizer.entity';
import { OutboxEntry } from '../outbox/outbox-entry.entity';
import { ConsentRecord } from '../people/consent-record.entity';
import { MailingList } from '../people/mailing-list.entity';
import { PetitionCount, PetitionCountDelta } from '../petitions/petition-count.entity';
import { Petition } from '../petitions/petition.entity';
import { Signature } from '../petitions/signature.entity';
import { Person } from '../people/person.entity';
import { PersonTag } from '../people/person-tag.entity';
import { Signup } from '../join/signup.entity';
import { Subscription } from '../people/subscription.entity';
import { Suppression } from '../mail/suppression.entity';
import { ActionToken } from '../tokens/action-token.entity';

/** Every entity of the platform: the app and the migration CLI share this list. */
export const ENTITIES = [
  Person,
  MailingList,
  Subscription,
  ConsentRecord,
  Signup,
  Suppression,
  ActionToken,
  EmailMessage,
  OutboxEntry,
  Organizer,
  ApiKey,
  AuditEntry,
  PersonTag,
  Petition,
  Signature,
  PetitionCount,
  PetitionCountDelta,
  CampaignEvent,
  Rsvp,
  Mailing,
  MailingDelivery,
];
