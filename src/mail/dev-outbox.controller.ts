import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppConfig } from '../config/app-config';
import { MailerService } from './mailer.service';

/**
 * Captured mail for local development (SMTP_URL unset). It holds every supporter's
 * confirmation links, so it is served only outside production and only to this machine.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

@ApiExcludeController()
@Controller('dev/outbox')
export class DevOutboxController {
  constructor(
    private readonly config: AppConfig,
    private readonly mailer: MailerService,
  ) {}

  @Get()
  async list(@Req() req: FastifyRequest): Promise<{ items: Array<{ file: string; size: number; createdAt: Date; url: string }> }> {
    const dir = this.dir(req);
    const files = (await readdir(dir).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.eml'))
      .sort()
      .reverse();
    const items = await Promise.all(
      files.slice(0, 200).map(async (file) => {
        const s = await stat(join(dir, file));
        return { file, size: s.size, createdAt: s.mtime, url: `/dev/outbox/${encodeURIComponent(file)}` };
      }),
    );
    return { items };
  }

  @Get(':file')
  async show(@Param('file') file: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const dir = this.dir(req);
    if (!/^[A-Za-z0-9@._-]+\.eml$/.test(file)) throw new NotFoundException('No such message');
    const content = await readFile(join(dir, file)).catch(() => {
      throw new NotFoundException('No such message');
    });
    await reply.header('content-type', 'message/rfc822').header('cache-control', 'no-store').send(content);
  }

  private dir(req: FastifyRequest): string {
    const local = LOOPBACK.has(req.socket.remoteAddress ?? '');
    if (this.config.isProduction || !this.mailer.capturing || !local) throw new NotFoundException('Cannot GET /dev/outbox');
    return resolve(this.config.MAIL_OUTBOX_DIR);
  }
}
