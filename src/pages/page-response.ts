import type { FastifyReply } from 'fastify';
import { AppConfig } from '../config/app-config';
import { applyPagePolicy } from '../web/layout';

/** Sends a public page: strict CSP, framable only when it is an embed, cached only when it is a GET. */
export async function sendPage(
  reply: FastifyReply,
  config: AppConfig,
  answer: { status: number; html: string },
  options: { embed: boolean; get: boolean },
): Promise<void> {
  applyPagePolicy(reply, options.embed ? config.EMBED_ALLOWED_ORIGINS : undefined);
  await reply
    .status(answer.status)
    .header('content-type', 'text/html; charset=utf-8')
    // A GET page is public (a count at most a second old is fine); a form's answer is nobody else's.
    .header('cache-control', options.get && answer.status === 200 ? 'public, max-age=1' : 'no-store')
    .header('vary', 'Accept-Language')
    .send(answer.html);
}
