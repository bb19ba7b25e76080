import { ConflictException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { randomToken } from '../common/crypto.util';
import { AppConfig } from '../config/app-config';
import { REDIS } from '../queues/redis.module';
import type { RedisClient } from '../queues/redis-options';
import { ConsoleAuthRepository } from './console-auth.repository';
import type { SignedIn } from './sign-in.service';

/** A ceremony must be finished within 5 minutes, and its challenge is taken once. */
const CEREMONY_SECONDS = 300;

type Purpose = { kind: 'register'; organizerId: string; email: string } | { kind: 'authenticate' };

export class PasskeysUnavailable extends ConflictException {
  constructor() {
    super('Passkeys need PUBLIC_URL on a domain name or localhost');
  }
}

/**
 * WebAuthn through @simplewebauthn/server: registration (from an invitation, or an organizer
 * adding one) and sign-in with a discoverable credential (no address typed). The relying
 * party is PUBLIC_URL's host and the origin PUBLIC_URL's: a passkey made here answers only
 * here. Challenges live in Redis for 5 minutes and are taken once (GETDEL).
 */
@Injectable()
export class PasskeysService {
  constructor(
    private readonly repo: ConsoleAuthRepository,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  private rpId(): string {
    const rpId = this.config.passkeyRpId;
    if (!rpId) throw new PasskeysUnavailable();
    return rpId;
  }

  private key(ceremony: string): string {
    return `${this.config.QUEUE_PREFIX}:console-webauthn:${ceremony}`;
  }

  private async remember(challenge: string, purpose: Purpose): Promise<string> {
    const ceremony = randomToken(24);
    try {
      await this.redis.set(this.key(ceremony), JSON.stringify({ challenge, purpose }), 'EX', CEREMONY_SECONDS);
    } catch {
      throw new ServiceUnavailableException('Passkeys are unavailable for a moment; try again');
    }
    return ceremony;
  }

  private async take(ceremony: string): Promise<{ challenge: string; purpose: Purpose } | null> {
    if (!/^[A-Za-z0-9_-]{32}$/.test(ceremony)) return null;
    const value = await this.redis.getdel(this.key(ceremony)).catch(() => null);
    return value ? (JSON.parse(value) as { challenge: string; purpose: Purpose }) : null;
  }

  async registrationOptions(organizer: {
    organizerId: string;
    email: string;
  }): Promise<{ ceremony: string; options: PublicKeyCredentialCreationOptionsJSON }> {
    const existing = await this.repo.passkeysOf(organizer.organizerId);
    const options = await generateRegistrationOptions({
      rpName: 'Organizer console',
      rpID: this.rpId(),
      userName: organizer.email,
      userID: new TextEncoder().encode(organizer.organizerId),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
      // Discoverable, so that sign-in needs no address typed; verified by the device's lock.
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    const ceremony = await this.remember(options.challenge, {
      kind: 'register',
      organizerId: organizer.organizerId,
      email: organizer.email,
    });
    return { ceremony, options };
  }

  /**
   * Verifies a registration and returns what to store, or null when it does not verify (wrong
   * origin, challenge unknown, used or of another organizer). `store` runs the insert, in the
   * caller's transaction when it has one (an invitation being used).
   */
  async verifyRegistration(
    organizerId: string,
    ceremony: string,
    response: RegistrationResponseJSON,
  ): Promise<{ credentialId: string; publicKey: Buffer; counter: number; transports: string } | null> {
    const taken = await this.take(ceremony);
    if (!taken || taken.purpose.kind !== 'register' || taken.purpose.organizerId !== organizerId) return null;
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: taken.challenge,
      expectedOrigin: this.config.publicOrigin,
      expectedRPID: this.rpId(),
      requireUserVerification: true,
    }).catch(() => null);
    if (!result?.verified) return null;
    const { credential } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: (credential.transports ?? []).join(','),
    };
  }

  async authenticationOptions(): Promise<{ ceremony: string; options: PublicKeyCredentialRequestOptionsJSON }> {
    const options = await generateAuthenticationOptions({ rpID: this.rpId(), userVerification: 'required', allowCredentials: [] });
    return { ceremony: await this.remember(options.challenge, { kind: 'authenticate' }), options };
  }

  /** The organizer a passkey sign-in proves, or null (unknown credential, revoked organizer, bad signature, replayed challenge). */
  async verifyAuthentication(ceremony: string, response: AuthenticationResponseJSON): Promise<SignedIn | null> {
    const taken = await this.take(ceremony);
    if (!taken || taken.purpose.kind !== 'authenticate' || typeof response?.id !== 'string') return null;
    const passkey = await this.repo.findPasskey(response.id);
    if (!passkey) return null;
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: taken.challenge,
      expectedOrigin: this.config.publicOrigin,
      expectedRPID: this.rpId(),
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: Number(passkey.counter),
        transports: transportsOf(passkey.transports),
      },
      requireUserVerification: true,
    }).catch(() => null);
    if (!result?.verified) return null;
    await this.repo.recordPasskeyUse(passkey.id, result.authenticationInfo.newCounter);
    return { organizerId: passkey.organizerId, role: passkey.role, language: passkey.language, via: 'passkey' };
  }

  /** Removes one of the organizer's own passkeys; never the last way in (no password, no other passkey: 409). */
  async remove(organizerId: string, passkeyId: string): Promise<void> {
    const passkeys = await this.repo.passkeysOf(organizerId);
    if (!passkeys.some((p) => p.id === passkeyId)) throw new NotFoundException('No such passkey');
    if (passkeys.length === 1 && !(await this.repo.hasPassword(organizerId))) {
      throw new ConflictException('This is your only way to sign in: add another passkey first');
    }
    await this.repo.deletePasskey(organizerId, passkeyId);
  }
}

function transportsOf(stored: string): AuthenticatorTransportFuture[] {
  return stored ? (stored.split(',') as AuthenticatorTransportFuture[]) : [];
}
