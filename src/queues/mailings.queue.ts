/**
 * The mailings queue: newsletters only. It is separate from the confirmations queue, and
 * its consumer runs at MAILING_CONCURRENCY, so a mailing to a million people never delays
 * an email a supporter is waiting for.
 */
export const MAILINGS_QUEUE = 'mailings';

export const MailingJob = {
  /** Store a delivery row for every recipient (resuming from the stored position), then enqueue the batches. */
  PlanMailing: 'plan-mailing',
  /** Send the pending deliveries of one batch of a mailing. */
  SendBatch: 'send-batch',
} as const;

export interface PlanMailingPayload {
  mailingId: string;
}

export interface SendBatchPayload {
  mailingId: string;
  batch: number;
}

export interface MailingPayloads {
  [MailingJob.PlanMailing]: PlanMailingPayload;
  [MailingJob.SendBatch]: SendBatchPayload;
}

export const mailingJobId = {
  planMailing: (mailingId: string): string => `mailing-${mailingId}-plan`,
  sendBatch: (mailingId: string, batch: number): string => `mailing-${mailingId}-batch-${batch}`,
};
