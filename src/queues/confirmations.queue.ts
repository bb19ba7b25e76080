/**
 * The confirmations queue: every email a supporter is waiting for right now (sign-up,
 * signature and RSVP confirmations). It has a queue of its own so that a newsletter
 * going out to a million people can never make it wait.
 */
export const CONFIRMATIONS_QUEUE = 'confirmations';

export const ConfirmationJob = {
  /** Decide what a stored sign-up means for its person and send the confirmation email. */
  ProcessSignup: 'process-signup',
  /** Same for a petition signature. */
  ProcessSignature: 'process-signature',
  /** Same for an event RSVP. */
  ProcessRsvp: 'process-rsvp',
  /** Send one stored event email (seat decision, promotion, cancellation). */
  SendEventEmail: 'send-event-email',
  /** Send one stored email to an organizer (an invitation, a canary alert, an export request's decision). */
  SendStoredEmail: 'send-stored-email',
} as const;

/**
 * BullMQ hands out a queue's jobs without a priority before any job with one (its wait list
 * first, then the prioritized set). A petition's confirmations are the jobs that come in
 * bursts of tens of thousands (a viral petition), so they carry one: a sign-up, an RSVP or
 * an event email queued during such a burst is the next job a free slot takes, not the
 * 30,001st. Retries keep their job's priority.
 */
export const CONFIRMATION_JOB_PRIORITY: Partial<Record<ConfirmationJobName, number>> = {
  [ConfirmationJob.ProcessSignature]: 1,
};

export interface ProcessSignupPayload {
  signupId: string;
}

export interface ProcessSignaturePayload {
  signatureId: string;
}

export interface ProcessRsvpPayload {
  rsvpId: string;
}

export interface SendEventEmailPayload {
  messageId: string;
}

export interface SendStoredEmailPayload {
  messageId: string;
}

export interface ConfirmationPayloads {
  [ConfirmationJob.ProcessSignup]: ProcessSignupPayload;
  [ConfirmationJob.ProcessSignature]: ProcessSignaturePayload;
  [ConfirmationJob.ProcessRsvp]: ProcessRsvpPayload;
  [ConfirmationJob.SendEventEmail]: SendEventEmailPayload;
  [ConfirmationJob.SendStoredEmail]: SendStoredEmailPayload;
}

export type ConfirmationJobName = keyof ConfirmationPayloads;

export const confirmationJobId = {
  processSignup: (signupId: string): string => `signup-${signupId}`,
  // Signature and RSVP job ids (`signature-<id>[-<n>]`, `rsvp-<id>-<round>`) are built by
  // the one SQL statement of their request, in petitions.repository.ts / events.repository.ts.
  sendEventEmail: (messageId: string): string => `event-email-${messageId}`,
  sendStoredEmail: (messageId: string): string => `stored-email-${messageId}`,
};
