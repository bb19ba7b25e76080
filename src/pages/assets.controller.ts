import { Controller, Get, Headers, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  /** Seconds a browser (or a host page, for embed.js) may keep it. */
  maxAge: number;
  /** embed.js is loaded by other sites' pages: it must not be blocked by CORP. */
  crossOrigin: boolean;
}

// The build copies src/pages/assets to dist/pages/assets; both sit beside this file.
const DIR = join(__dirname, 'assets');

function load(file: string, type: string, maxAge: number, crossOrigin = false): Asset {
  const body = readFileSync(join(DIR, file));
  return { body, type, maxAge, crossOrigin, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/**
 * The pages' only static files, served from memory by the platform itself (no CDN: a
 * third-party request would tell someone who visits). Small and fixed, so a route beats a
 * static-file plugin.
 */
@ApiExcludeController()
@Controller()
export class AssetsController {
  private readonly assets = new Map<string, Asset>([
    ['site.css', load('site.css', 'text/css; charset=utf-8', 300)],
    ['site.js', load('site.js', 'text/javascript; charset=utf-8', 300)],
  ]);
  private readonly embed = load('embed.js', 'text/javascript; charset=utf-8', 3600, true);

  @Get('assets/:file')
  async asset(@Param('file') file: string, @Headers('if-none-match') etag: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const asset = this.assets.get(file);
    if (!asset) throw new NotFoundException('No such file');
    await this.send(reply, asset, etag);
  }

  @Get('embed.js')
  async embedScript(@Headers('if-none-match') etag: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.send(reply, this.embed, etag);
  }

  private async send(reply: FastifyReply, asset: Asset, ifNoneMatch: string | undefined): Promise<void> {
    void reply.header('cache-control', `public, max-age=${asset.maxAge}`).header('etag', asset.etag);
    if (asset.crossOrigin) void reply.header('cross-origin-resource-policy', 'cross-origin');
    if (ifNoneMatch === asset.etag) {
      await reply.status(304).send();
      return;
    }
    await reply.status(200).header('content-type', asset.type).send(asset.body);
  }
}
