import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
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
  /** A pool of its own for newsletters, so a mailing cannot hold every SMTP connection. */
  private readonly newsletterTransport: Transporter;
  private readonly outboxDir?: string;

  constructor(private readonly config: AppConfig) {
    const dkim = config.DKIM_DOMAIN
      ? { domainName: config.DKIM_DOMAIN, keySelector: config.DKIM_SELECTOR ?? '', privateKey: config.DKIM_PRIVATE_KEY ?? '' }
      : undefined;
    if (config.SMTP_URL) {
      const url = new URL(config.SMTP_URL);
      const smtp = (maxConnections: number): Transporter =>
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
          dkim,
        });
      this.transport = smtp(5);
      this.newsletterTransport = smtp(config.MAILING_CONCURRENCY);
    } else {
      this.outboxDir = resolve(config.MAIL_OUTBOX_DIR);
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', dkim });
      this.newsletterTransport = this.transport;
    }
  }

  get capturing(): boolean {
    return this.outboxDir !== undefined;
  }

  async send(email: OutgoingEmail, channel: MailChannel = 'transactional'): Promise<SentEmail> {
    const transport = channel === 'newsletter' ? this.newsletterTransport : this.transport;
    try {
      const info = (await transport.sendMail({
        from: this.config.MAIL_FROM,
        to: email.to,
        // Names and titles people typed may sit in the subject: shown as typed, never decoded.
        subject: headerText(email.subject),
        html: email.html,
        text: email.text,
        headers: email.headers,
        attachments: email.attachments,
        messageId: email.messageId,
      })) as { messageId: string; message?: Buffer };
      if (this.outboxDir && info.message) {
        await mkdir(this.outboxDir, { recursive: true });
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const safeId = info.messageId.replace(/[^A-Za-z0-9@.-]/g, '');
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
