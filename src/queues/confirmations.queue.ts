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
  /** Send one stored console email (an organizer's invitation). */
  SendConsoleEmail: 'send-console-email',
} as const;

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

export interface ConfirmationPayloads {
  [ConfirmationJob.ProcessSignup]: ProcessSignupPayload;
  [ConfirmationJob.ProcessSignature]: ProcessSignaturePayload;
  [ConfirmationJob.ProcessRsvp]: ProcessRsvpPayload;
  [ConfirmationJob.SendEventEmail]: SendEventEmailPayload;
  [ConfirmationJob.SendConsoleEmail]: SendEventEmailPayload;
}

export type ConfirmationJobName = keyof ConfirmationPayloads;

export const confirmationJobId = {
  processSignup: (signupId: string): string => `signup-${signupId}`,
  // Signature and RSVP job ids (`signature-<id>[-<n>]`, `rsvp-<id>-<round>`) are built by
  // the one SQL statement of their request, in petitions.repository.ts / events.repository.ts.
  sendEventEmail: (messageId: string): string => `event-email-${messageId}`,
  sendConsoleEmail: (messageId: string): string => `console-email-${messageId}`,
};
