import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Security scheme names, used by the routes' decorators and declared once here. */
export const OSDI_SECURITY = 'osdiToken';
export const EMAIL_WEBHOOK_SECURITY = 'emailWebhookSecret';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * The OpenAPI document `/docs-json` serves. It must pass Redocly's recommended ruleset
 * (`test/openapi-lint.e2e.test.ts`): the server is PUBLIC_URL, every scheme is declared, and
 * an operation that declares no security is public, so it says so (`security: []`) rather
 * than leaving readers to guess. A route that needs a key declares it with its guard's
 * decorator (`@Auth`, `@OsdiAuth`, `@ApiSecurity`).
 */
export function createOpenApiDocument(app: INestApplication, publicUrl: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Campaign platform API')
    .setDescription(
      'Join the movement, petitions, events, newsletters, and an OSDI API (/api/osdi/v1/, HAL+JSON) for n8n, Parsons and Zapier. Errors: {statusCode, error, message, details?}.',
    )
    .setVersion('1')
    .setLicense('AGPL-3.0-or-later', 'https://www.gnu.org/licenses/agpl-3.0.html')
    .addServer(publicUrl, 'This installation (PUBLIC_URL)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'cpk_ API key', description: 'Organizer API key (opaque, not a JWT)' })
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'OSDI-API-Token', description: 'Organizer API key, as OSDI clients send it' },
      OSDI_SECURITY,
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Webhook-Secret', description: 'EMAIL_WEBHOOK_SECRET' }, EMAIL_WEBHOOK_SECURITY)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
  return document;
}
