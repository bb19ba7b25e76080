import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** SimpleWebAuthn's browser bundle, from the installed package (never a CDN). */
function webauthnBundle(): Buffer {
  const main = require.resolve('@simplewebauthn/browser');
  return readFileSync(join(dirname(main), '..', 'dist', 'bundle', 'index.umd.min.js'));
}

// The build copies src/console/assets to dist/console/assets, beside this file.
const DIR = join(__dirname, 'assets');

/**
 * The console's static files, from memory, on our own origin: its stylesheet, its passkey
 * script and the WebAuthn library. `Cache-Control: no-store` like every console response.
 */
@ApiExcludeController()
@Controller('console/assets')
export class ConsoleAssetsController {
  private readonly assets = new Map<string, { body: Buffer; type: string }>([
    ['console.css', { body: readFileSync(join(DIR, 'console.css')), type: 'text/css; charset=utf-8' }],
    ['console.js', { body: readFileSync(join(DIR, 'console.js')), type: 'text/javascript; charset=utf-8' }],
    ['webauthn.js', { body: webauthnBundle(), type: 'text/javascript; charset=utf-8' }],
  ]);

  @Get(':file')
  async asset(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const asset = this.assets.get(file);
    if (!asset) throw new NotFoundException('No such file');
    await reply.status(200).header('content-type', asset.type).send(asset.body);
  }
}

/** The scripts a page with a passkey button loads, in order. */
export const PASSKEY_SCRIPTS = ['/console/assets/webauthn.js', '/console/assets/console.js'];
