/**
 * The confirmations queue: every email a supporter is waiting for right now (sign-up,
 * signature and RSVP confirmations). It has a queue of its own so that a newsletter
 * going out to a million people can never make it wait.
 */
export const CONFIRMATIONS_QUEUE = 'confirmations';

export const ConfirmationJob = {
  /** Decide what a stored sign-up means for its person and send the confirmation email. */
  ProcessSignup: 'process-signup',
} as const;

export interface ProcessSignupPayload {
  signupId: string;
}

export interface ConfirmationPayloads {
  [ConfirmationJob.ProcessSignup]: ProcessSignupPayload;
}

export type ConfirmationJobName = keyof ConfirmationPayloads;

export const confirmationJobId = {
  processSignup: (signupId: string): string => `signup-${signupId}`,
};
