import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '../common/crypto.util';
import { AppConfig } from '../config/app-config';
import type { Role } from '../organizers/organizer.entity';
import { ConsoleAuthRepository } from './console-auth.repository';
import { ConsoleThrottled } from '../console/console-errors';
import { HashQueueFull, UNUSABLE_HASH, verifyPassword } from './password-hasher';
import { decryptSecret, normalizeRecoveryCode, recoveryCodeHash, totpStep } from './second-factor';
import { SignInThrottle } from './sign-in-throttle.service';

export interface SignedIn {
  organizerId: string;
  role: Role;
  language: string;
  via: 'password+totp' | 'password+recovery-code' | 'recovery-code' | 'passkey';
}

/**
 * Password + TOTP code, or password + a recovery code (a recovery code alone for an
 * organizer with passkeys only, whose password field is ignored). Every failure is the same `null`
 * (unknown address, passkeys only, wrong password, wrong or reused code), and the password
 * is always hashed, even for an account that does not exist, so no answer and no timing
 * tells which addresses have accounts.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly repo: ConsoleAuthRepository,
    private readonly throttle: SignInThrottle,
    private readonly config: AppConfig,
  ) {}

  async withPassword(address: string, email: string, password: string, code: string): Promise<SignedIn | null> {
    const normalized = normalizeEmail(email);
    await this.throttle.hit(address, normalized);
    const account = await this.repo.findSignInAccount(normalized);
    const passwordOk = await verifyPassword(account?.passwordHash ?? UNUSABLE_HASH, password).catch((err: unknown) => {
      if (err instanceof HashQueueFull) throw new ConsoleThrottled(5);
      throw err;
    });
    if (!account) return null;
    const typed = code.replace(/\s/g, '');
    let via: SignedIn['via'];
    if (!account.passwordHash) {
      // An organizer with passkeys only has no password to pair with a code: a recovery code
      // alone (50 random bits, used once, throttled) is their way back when the passkey is lost.
      if (!normalizeRecoveryCode(typed)) return null;
      if (!(await this.repo.spendRecoveryCode(account.organizerId, recoveryCodeHash(this.config.APP_SECRET, typed)))) return null;
      via = 'recovery-code';
    } else if (!passwordOk) {
      return null;
    } else if (/^\d{6}$/.test(typed) && account.totpSecret) {
      const step = totpStep(decryptSecret(this.config.APP_SECRET, account.totpSecret), typed);
      if (step === null || !(await this.repo.spendTotpStep(account.organizerId, step))) return null;
      via = 'password+totp';
    } else {
      if (!normalizeRecoveryCode(typed)) return null;
      if (!(await this.repo.spendRecoveryCode(account.organizerId, recoveryCodeHash(this.config.APP_SECRET, typed)))) return null;
      via = 'password+recovery-code';
    }
    await this.throttle.succeeded(normalized);
    return { organizerId: account.organizerId, role: account.role, language: account.language, via };
  }
}
