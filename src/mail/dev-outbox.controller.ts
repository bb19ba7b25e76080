import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppConfig } from '../config/app-config';
import { MailerService } from './mailer.service';

/**
 * Captured mail for local development (SMTP_URL unset). Never served in production, where
 * it would show anyone every supporter's confirmation links.
 */
@ApiExcludeController()
@Controller('dev/outbox')
export class DevOutboxController {
  constructor(
    private readonly config: AppConfig,
    private readonly mailer: MailerService,
  ) {}

  @Get()
  async list(): Promise<{ items: Array<{ file: string; size: number; createdAt: Date; url: string }> }> {
    const dir = this.dir();
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
  async show(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const dir = this.dir();
    if (!/^[A-Za-z0-9@._-]+\.eml$/.test(file)) throw new NotFoundException('No such message');
    const content = await readFile(join(dir, file)).catch(() => {
      throw new NotFoundException('No such message');
    });
    await reply.header('content-type', 'message/rfc822').header('cache-control', 'no-store').send(content);
  }

  private dir(): string {
    if (this.config.isProduction || !this.mailer.capturing) throw new NotFoundException('Cannot GET /dev/outbox');
    return resolve(this.config.MAIL_OUTBOX_DIR);
  }
}
