/** Email kinds of the petitions feature (kept import-free: the join flow's cap list reads it). */
export const SIGNATURE_CONFIRMATION_EMAIL = 'signature-confirmation';
export const SIGNATURE_REMINDER_EMAIL = 'signature-reminder';
