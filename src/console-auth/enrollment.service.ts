import { ConflictException, GoneException, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { keyedHash } from '../common/crypto.util';
import { RequestValidationException } from '../common/validation';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/database.module';
import type { Role } from '../organizers/organizer.entity';
import { ConsoleAuthRepository, InvitationRow } from './console-auth.repository';
import { InvitationsService } from './invitations.service';
import { hashPassword } from './password-hasher';
import { encryptSecret, newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpStep, totpUri } from './second-factor';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

export interface Enrolled {
  organizerId: string;
  role: Role;
  language: string;
  recoveryCodes: string[];
}

/**
 * Enrolling credentials from an invitation (a passkey, or a password and a TOTP app), the
 * recovery codes that come with them, and their regeneration. An invitation is used in the
 * same transaction that stores the credentials: two tabs racing get one enrollment.
 */
@Injectable()
export class EnrollmentService {
  constructor(
    private readonly repo: ConsoleAuthRepository,
    private readonly invitations: InvitationsService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  /**
   * A TOTP secret offered on the invitation page, with a MAC binding it to the invitation:
   * the form carries both back, so nothing is stored before the invitee proves the app works.
   */
  offerTotp(invitation: InvitationRow): { secret: string; mac: string; uri: string } {
    const secret = newTotpSecret();
    return { secret, mac: this.totpMac(invitation.id, secret), uri: totpUri(secret, invitation.email ?? 'console') };
  }

  private totpMac(invitationId: string, secret: string): string {
    return keyedHash(this.config.APP_SECRET, 'console-totp-offer', `${invitationId}:${secret}`);
  }

  async enrollPassword(
    invitation: InvitationRow,
    form: { password: string; totpSecret: string; totpMac: string; code: string },
    language: string,
  ): Promise<Enrolled> {
    const mac = this.totpMac(invitation.id, form.totpSecret);
    if (form.totpMac.length !== mac.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(form.totpMac))) {
      throw new RequestValidationException([
        { field: 'totpSecret', message: 'the key does not belong to this invitation; reload the page' },
      ]);
    }
    const problems: Array<{ field: string; message: string }> = [];
    if ([...form.password].length < PASSWORD_MIN || [...form.password].length > PASSWORD_MAX) {
      problems.push({ field: 'password', message: `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters` });
    }
    const step = totpStep(form.totpSecret, form.code.replace(/\s/g, ''));
    if (step === null) problems.push({ field: 'code', message: 'is not the code the authenticator app shows' });
    if (problems.length > 0) throw new RequestValidationException(problems);
    const passwordHash = await hashPassword(form.password);
    return this.complete(invitation, language, async (tx, organizerId) => {
      await this.repo.upsertAccount(tx, organizerId, {
        passwordHash,
        totpSecret: encryptSecret(this.config.APP_SECRET, form.totpSecret),
        language,
      });
      await this.repo.spendTotpStepIn(tx, organizerId, step as number);
    });
  }

  /**
   * Uses the invitation and stores what `store` stores, with ten new recovery codes, in one
   * transaction. 410 when the invitation was used (or expired) meanwhile.
   */
  async complete(
    invitation: InvitationRow,
    language: string,
    store: (tx: import('typeorm').EntityManager, organizerId: string) => Promise<void>,
  ): Promise<Enrolled> {
    if (!invitation.organizerId) throw new ConflictException('This set-up link needs an email address first');
    const organizerId = invitation.organizerId;
    const codes = newRecoveryCodes();
    await this.transactions.run(async (tx) => {
      if (!(await this.invitations.claim(tx, invitation.id))) throw new GoneException('This invitation has been used already');
      await this.repo.upsertAccount(tx, organizerId, { language });
      await store(tx, organizerId);
      await this.repo.replaceRecoveryCodes(
        tx,
        organizerId,
        codes.map((c) => recoveryCodeHash(this.config.APP_SECRET, c)),
      );
    });
    return { organizerId, role: invitation.role, language, recoveryCodes: codes };
  }

  /** Ten new recovery codes; the old ones stop working. Shown once. */
  async regenerateRecoveryCodes(organizerId: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    await this.transactions.run((tx) =>
      this.repo.replaceRecoveryCodes(
        tx,
        organizerId,
        codes.map((c) => recoveryCodeHash(this.config.APP_SECRET, c)),
      ),
    );
    return codes;
  }
}
