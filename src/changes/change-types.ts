/**
 * The changes the feed carries, and the ids each one's `data` holds. Ids only: a receiver
 * that needs more asks the API (or was created with includePersonalData, see src/webhooks).
 */
export const CHANGE_TYPES = [
  'person.confirmed',
  'person.unsubscribed',
  'person.erased',
  'signature.confirmed',
  'rsvp.going',
  'rsvp.waitlisted',
  'rsvp.cancelled',
  'mailing.sent',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** What a change's data may name: the person, and the things it is about. */
export interface ChangeData {
  personId?: string;
  petitionId?: string;
  signatureId?: string;
  eventId?: string;
  rsvpId?: string;
  mailingId?: string;
  listId?: string;
}
