import type { LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ResolvedAddress } from './address-policy';

/** No 2xx within this long (connecting, sending, the whole answer) is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** What is read of a receiver's answer before it is dropped: only the status matters. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface SendResult {
  /** The receiver's HTTP status; null when none came (refused, timed out, reset). */
  status: number | null;
  error?: string;
}

/**
 * POSTs one signed payload to `url`, connecting to `pinned` (the address the policy checked)
 * whatever DNS says now, with the URL's host name for Host and TLS (SNI, certificate check).
 * Redirects are never followed: a 3xx is an answer like any other non-2xx (a redirect could
 * lead anywhere, a private address included).
 */
export function sendWebhook(
  url: URL,
  pinned: ResolvedAddress,
  headers: Record<string, string>,
  body: string,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<SendResult> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const lookup = (_host: string, options: LookupOptions, callback: (...args: unknown[]) => void): void => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }] satisfies LookupAddress[]);
    else callback(null, pinned.address, pinned.family);
  };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(
      url,
      {
        method: 'POST',
        lookup: lookup as never,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'campaign-platform-webhooks/1',
        },
        agent: false,
      },
      (res) => {
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = (): void => finish({ status: res.statusCode ?? null });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    req.on('error', (err) => finish({ status: null, error: err.message }));
    req.end(body);
  });
}
