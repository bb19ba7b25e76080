import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { SendMailOptions, Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { AppConfig } from '../config/app-config';
import { DkimSigner } from './dkim-signer';
import { headerText } from './header-text';

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** `{prepared: true, value}`: already encoded by the caller, sent exactly as given. */
  headers?: Record<string, string | { prepared: true; value: string }>;
  attachments?: Array<{ filename: string; content: string | Buffer; contentType: string }>;
  /** Extra `Message-ID`, e.g. for newsletters; nodemailer makes one otherwise. */
  messageId?: string;
  /** A `From` other than MAIL_FROM (same address, another display name: a mailing's neutral sender). */
  from?: string;
}

export interface SentEmail {
  messageId: string;
}

/** An SMTP answer that will not change on retry (5xx): the address or message is refused. */
export class PermanentMailError extends Error {}

interface SmtpLikeError {
  responseCode?: number;
  message: string;
}

/**
 * The only code that talks to nodemailer. SMTP (pooled) when SMTP_URL is set; otherwise
 * every message is written as an .eml file under MAIL_OUTBOX_DIR for local development.
 */
/** Which connection pool carries a message: newsletters never queue behind, or in front of, confirmations. */
export type MailChannel = 'transactional' | 'newsletter';

@Injectable()
export class MailerService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailerService.name);
  private readonly transport: Transporter;
  /**
   * A pool of its own for newsletters, so a mailing cannot hold every SMTP connection. It
   * signs nothing itself: newsletters come as signed bytes (`sendRaw`), and the rare one
   * built by nodemailer carries its signing options with it.
   */
  private readonly newsletterTransport: Transporter;
  private readonly outboxDir?: string;
  /** The DKIM key parsed once, shared with the newsletter builder; null without DKIM. */
  readonly dkim: DkimSigner | null;
  private readonly dkimOptions?: { domainName: string; keySelector: string; privateKey: KeyObject };
  /** The envelope sender of raw messages: MAIL_FROM's address. */
  private readonly envelopeFrom: string;

  constructor(private readonly config: AppConfig) {
    this.dkim = DkimSigner.fromConfig(config);
    // The parsed key, not the PEM text: nodemailer would parse the PEM again for every message.
    const dkim = (this.dkimOptions = this.dkim
      ? { domainName: config.DKIM_DOMAIN ?? '', keySelector: config.DKIM_SELECTOR ?? '', privateKey: this.dkim.privateKey }
      : undefined);
    const [sender] = addressparser(config.MAIL_FROM, { flatten: true });
    this.envelopeFrom = sender?.address ?? config.MAIL_FROM;
    if (config.SMTP_URL) {
      const url = new URL(config.SMTP_URL);
      const smtp = (maxConnections: number, signing: typeof dkim): Transporter =>
        nodemailer.createTransport({
          pool: true,
          maxConnections,
          maxMessages: 1_000,
          host: url.hostname,
          port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
          secure: url.protocol === 'smtps:',
          auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
          // Local sinks and relays often speak plain SMTP; use STARTTLS where offered.
          ignoreTLS: url.searchParams.get('tls') === 'off',
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
          dkim: signing,
        });
      this.transport = smtp(5, dkim);
      this.newsletterTransport = smtp(config.MAILING_CONCURRENCY, undefined);
    } else {
      this.outboxDir = resolve(config.MAIL_OUTBOX_DIR);
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', dkim });
      this.newsletterTransport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    }
  }

  get capturing(): boolean {
    return this.outboxDir !== undefined;
  }

  async send(email: OutgoingEmail, channel: MailChannel = 'transactional'): Promise<SentEmail> {
    const newsletter = channel === 'newsletter';
    return this.deliver(newsletter ? this.newsletterTransport : this.transport, {
      from: email.from ?? this.config.MAIL_FROM,
      to: email.to,
      // Names and titles people typed may sit in the subject: shown as typed, never decoded.
      subject: headerText(email.subject),
      html: email.html,
      text: email.text,
      headers: email.headers,
      attachments: email.attachments,
      messageId: email.messageId,
      ...(newsletter && this.dkimOptions ? { dkim: this.dkimOptions } : {}),
    });
  }

  /**
   * A message built (and signed) by the caller, sent byte for byte from MAIL_FROM's address
   * to `to`, on the newsletter pool unless told otherwise. `messageId` names the capture file.
   */
  async sendRaw(to: string, raw: Buffer, messageId: string, channel: MailChannel = 'newsletter'): Promise<SentEmail> {
    const info = await this.deliver(channel === 'newsletter' ? this.newsletterTransport : this.transport, {
      envelope: { from: this.envelopeFrom, to: [to] },
      raw,
    });
    return { messageId: info.messageId || messageId };
  }

  private async deliver(transport: Transporter, mail: SendMailOptions): Promise<SentEmail> {
    try {
      const info = (await transport.sendMail(mail)) as { messageId: string; message?: Buffer };
      if (this.outboxDir && info.message) {
        await mkdir(this.outboxDir, { recursive: true });
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const safeId = (info.messageId ?? '').replace(/[^A-Za-z0-9@.-]/g, '');
        await writeFile(join(this.outboxDir, `${stamp}-${safeId}.eml`), info.message);
      }
      return { messageId: info.messageId };
    } catch (err) {
      const code = (err as SmtpLikeError).responseCode;
      if (code !== undefined && code >= 500 && code < 600) throw new PermanentMailError((err as SmtpLikeError).message);
      throw err;
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
    if (this.newsletterTransport !== this.transport) this.newsletterTransport.close();
  }
}
