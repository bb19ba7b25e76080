import type { AppConfig } from '../config/app-config';

export class InvalidWebhookUrlError extends Error {}

/**
 * The shape a webhook URL must have: http or https (https only in production), no user
 * name or password (they would travel in every request and sit in the database), at most
 * 2,000 characters. Where it resolves to is `resolveDestination`'s question.
 */
export function checkWebhookUrl(value: string, config: Pick<AppConfig, 'isProduction'>): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidWebhookUrlError('url must be an absolute http(s) URL');
  }
  if (value.length > 2000) throw new InvalidWebhookUrlError('url must be at most 2000 characters');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !config.isProduction)) {
    throw new InvalidWebhookUrlError(config.isProduction ? 'url must be https' : 'url must be http or https');
  }
  if (url.username || url.password) throw new InvalidWebhookUrlError('url must not hold a user name or password');
  return url;
}
