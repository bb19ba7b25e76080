import { ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

/**
 * A real SMTP server in the test process. It keeps every message it accepts, parsed, so
 * tests can assert on what a mail server would really have received.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** Milliseconds to wait before accepting each message (to hold a send in flight). */
  delayMs = 0;
  /** Refuse the next N messages with this SMTP reply code (4xx temporary, 5xx permanent). */
  refuse?: { code: number; remaining: number };
  /** Called when a message's data starts arriving, with its recipients (lower-cased). */
  onData?: (to: string[]) => void;
  private server?: SMTPServer;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        this.onData?.(session.envelope.rcptTo.map((r) => r.address.toLowerCase()));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          if (this.refuse && this.refuse.remaining > 0) {
            this.refuse.remaining--;
            const err = Object.assign(new Error(this.refuse.code >= 500 ? 'mailbox unavailable' : 'try again later'), {
              responseCode: this.refuse.code,
            });
            callback(err);
            return;
          }
          const finish = (): void => {
            simpleParser(raw)
              .then((parsed) => {
                this.messages.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw, parsed });
                callback();
              })
              .catch((err: Error) => callback(err));
          };
          if (this.delayMs > 0) setTimeout(finish, this.delayMs);
          else finish();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits until `count` messages have reached `address`. */
  async waitFor(address: string, count = 1, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.to(address);
      if (found.length >= count) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`expected ${count} message(s) to ${address}, got ${this.to(address).length} after ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The single action link (under PUBLIC_URL) in a message's plain-text part. */
export function actionLink(mail: ReceivedMail): string {
  const match = /(http:\/\/links\.test\/\S+)/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error('no action link in message');
  return match[1];
}
