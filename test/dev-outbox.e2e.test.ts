import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';

describe('mail capture without SMTP_URL', () => {
  let dir: string;
  let platform: Platform;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outbox-'));
    platform = await startPlatform({ SMTP_URL: undefined, MAIL_OUTBOX_DIR: dir });
  });
  afterAll(async () => {
    await platform.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes each message as .eml and lists it at /dev/outbox', async () => {
    const email = uniqueEmail('capture');
    await request(platform.api.getHttpServer())
      .post('/api/v1/signups')
      .send(signupPayload({ email, language: 'fa' }));
    await waitUntil(async () => (await readdir(dir)).length > 0, 10_000, 'a captured message');
    const [file] = await readdir(dir);
    expect(file).toMatch(/\.eml$/);
    const eml = await readFile(join(dir, file), 'utf8');
    expect(eml).toContain(`To: ${email}`);

    const list = await request(platform.api.getHttpServer()).get('/dev/outbox');
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ file });
    const raw = await request(platform.api.getHttpServer()).get(list.body.items[0].url);
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toContain('message/rfc822');
    expect((await request(platform.api.getHttpServer()).get('/dev/outbox/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });
});

describe('/dev/outbox in production', () => {
  it('is not served', async () => {
    const platform = await startPlatform({ NODE_ENV: 'production', SMTP_URL: undefined }, { worker: false });
    try {
      const res = await request(platform.api.getHttpServer()).get('/dev/outbox');
      expect(res.status).toBe(404);
    } finally {
      await platform.close();
    }
  });
});
