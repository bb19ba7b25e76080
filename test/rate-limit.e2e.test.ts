import request from 'supertest';
import { signupPayload } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';

describe('per-client rate limit on public POSTs (Redis-backed)', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform({ RATE_LIMIT_PER_MINUTE: '3', QUEUE_PREFIX: `rl-${Date.now()}` }, { worker: false });
  });
  afterAll(() => platform.close());

  it('answers 429 with Retry-After once the limit is used up, and stores nothing more', async () => {
    const http = () => request(platform.api.getHttpServer());
    for (let i = 0; i < 3; i++) expect((await http().post('/api/v1/signups').send(signupPayload())).status).toBe(202);
    const payload = signupPayload();
    const limited = await http().post('/api/v1/signups').send(payload);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM signups WHERE email_normalized = $1`, [payload.email]);
    expect(n).toBe(0);
    // Reads are not limited.
    expect((await http().get('/health/live')).status).toBe(200);
  });
});
