import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { checkWebhookUrl } from './webhook-url';
import { sendWebhook } from './webhook-sender';

describe('webhook URLs and the sender', () => {
  let server: Server;
  let port: number;
  const seen: IncomingMessage[] = [];
  let answer: (req: IncomingMessage, res: import('node:http').ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      req.resume();
      req.on('end', () => answer(req, res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => (seen.length = 0));

  it('takes http(s) only, https only in production, and no credentials in the URL', () => {
    expect(checkWebhookUrl('http://hooks.example.org/x', { isProduction: false }).hostname).toBe('hooks.example.org');
    expect(() => checkWebhookUrl('http://hooks.example.org/x', { isProduction: true })).toThrow('url must be https');
    expect(checkWebhookUrl('https://hooks.example.org/x', { isProduction: true }).protocol).toBe('https:');
    for (const bad of [
      'ftp://example.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://u:p@example.org/',
      'example.org/x',
      '',
    ]) {
      expect(() => checkWebhookUrl(bad, { isProduction: false })).toThrow();
    }
  });

  it('connects to the pinned address whatever the host name says (no second DNS answer), with the name as Host', async () => {
    answer = (_req, res) => res.writeHead(204).end();
    // `.invalid` never resolves: reaching the server proves the pinned address was used.
    const result = await sendWebhook(
      new URL(`http://receiver.invalid:${port}/hook`),
      { address: '127.0.0.1', family: 4 },
      { 'webhook-id': 'x' },
      '{}',
    );
    expect(result).toEqual({ status: 204 });
    expect(seen[0].headers.host).toBe(`receiver.invalid:${port}`);
    expect(seen[0].headers['webhook-id']).toBe('x');
    expect(seen[0].headers['content-type']).toBe('application/json');
  });

  it('never follows a redirect: a 3xx is the answer, and its Location is not asked', async () => {
    answer = (req, res) =>
      req.url === '/hook' ? res.writeHead(307, { location: `http://127.0.0.1:${port}/elsewhere` }).end() : res.writeHead(200).end();
    const result = await sendWebhook(new URL(`http://127.0.0.1:${port}/hook`), { address: '127.0.0.1', family: 4 }, {}, '{}');
    expect(result).toEqual({ status: 307 });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.map((r) => r.url)).toEqual(['/hook']);
  });

  it('gives up when no answer comes in time (status null)', async () => {
    answer = () => undefined; // never answers
    const started = Date.now();
    const result = await sendWebhook(new URL(`http://127.0.0.1:${port}/hook`), { address: '127.0.0.1', family: 4 }, {}, '{}', 300);
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/no answer/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
