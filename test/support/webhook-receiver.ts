import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  type: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Whether the Standard Webhooks library accepted the signature. */
  verified: boolean;
  answered: number | null;
}

/**
 * A webhook receiver on a local port, as a third party would write it: every request is
 * checked with the `standardwebhooks` library against the secrets it was given, and kept;
 * `events()` de-duplicates by `webhook-id`, as receivers are told to. `answer` decides each
 * request's fate (a status, or `hang` to hold it open until the sender gives up).
 */
export class WebhookReceiver {
  readonly requests: ReceivedWebhook[] = [];
  private readonly secrets: string[] = [];
  answer: (request: { n: number; id: string; type: string }) => number | 'hang' = () => 204;
  private server?: Server;
  private readonly hanging = new Set<ServerResponse>();
  onRequest?: (request: ReceivedWebhook) => void;

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks`;
  }

  trust(secret: string): void {
    this.secrets.push(secret);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      let verified = false;
      let payload: ReceivedWebhook['payload'] = { type: '?', timestamp: '', data: {} };
      for (const secret of this.secrets) {
        try {
          payload = new Webhook(secret).verify(body, headers) as ReceivedWebhook['payload'];
          verified = true;
          break;
        } catch {
          // another secret, or a forgery
        }
      }
      if (!verified) {
        try {
          payload = JSON.parse(body) as ReceivedWebhook['payload'];
        } catch {
          // not JSON
        }
      }
      const received: ReceivedWebhook = {
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        type: payload.type,
        payload,
        verified,
        answered: null,
      };
      const decision = verified ? this.answer({ n: this.requests.length, id: received.id, type: received.type }) : 401;
      this.requests.push(received);
      this.onRequest?.(received);
      if (decision === 'hang') {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      received.answered = decision;
      res.statusCode = decision;
      res.end();
    });
  }

  /** Each event once, by webhook-id, in the order first received, only those answered with a 2xx. */
  events(): ReceivedWebhook[] {
    const seen = new Map<string, ReceivedWebhook>();
    for (const r of this.requests) if (r.answered !== null && r.answered >= 200 && r.answered < 300 && !seen.has(r.id)) seen.set(r.id, r);
    return [...seen.values()];
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
