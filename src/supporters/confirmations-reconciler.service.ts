import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EmailMessageRepository } from '../mail/email-message.repository';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { ProcessSignupService } from './process-signup.service';
import { SupportersRepository } from './supporters.repository';

const EVERY_MS = 30_000;
const STALE_SECONDS = 120;

/**
 * The last line of "never lost": a sign-up still `received`, or an email still `pending`,
 * long after its job should have run (job lost with a Redis that was wiped, say) is
 * processed here directly. Both paths are idempotent, so racing a slow job is harmless.
 */
@Injectable()
export class ConfirmationsReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConfirmationsReconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly supporters: SupportersRepository,
    private readonly messages: EmailMessageRepository,
    private readonly signups: ProcessSignupService,
    private readonly mail: TransactionalMailService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.reconcile()
        .then(() => undefined)
        .finally(() => (this.running = undefined));
    }, EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async reconcile(staleSeconds = STALE_SECONDS): Promise<number> {
    let count = 0;
    try {
      for (const id of await this.supporters.findStaleReceived(staleSeconds, 200)) {
        await this.signups.process(id);
        count++;
      }
      for (const id of await this.messages.findStalePending(staleSeconds, 200)) {
        await this.mail.send(id);
        count++;
      }
      if (count > 0) this.logger.warn(`re-drove ${count} confirmation(s) whose job never ran`);
    } catch (err) {
      this.logger.warn(`reconcile failed, will retry: ${(err as Error).message}`);
    }
    return count;
  }
}
