import Redis from 'ioredis';
import request from 'supertest';
import { REDIS } from '../src/queues/redis.module';
import { signupPayload } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';

describe('per-client rate limit on public POSTs (Redis-backed)', () => {
  let platform: Platform;
  const http = () => request(platform.api.getHttpServer());
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  beforeAll(async () => {
    // One proxy hop trusted, as behind a load balancer: X-Forwarded-For names the client.
    platform = await startPlatform({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1', QUEUE_PREFIX: `rl-${Date.now()}` }, { worker: false });
  });
  afterAll(() => platform.close());

  it('answers 429 with Retry-After once a client used up its limit, and stores nothing more', async () => {
    for (let i = 0; i < 3; i++)
      expect((await http().post('/api/v1/signups').set(from('198.51.100.7')).send(signupPayload())).status).toBe(202);
    const payload = signupPayload();
    const limited = await http().post('/api/v1/signups').set(from('198.51.100.7')).send(payload);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Too many requests; try again later' });
    const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM signups WHERE email_normalized = $1`, [payload.email]);
    expect(n).toBe(0);

    // Link POSTs count toward the same limit; reads and other clients are unaffected.
    expect(
      (
        await http()
          .post(`/confirm/${'A'.repeat(43)}`)
          .set(from('198.51.100.7'))
          .type('form')
          .send('')
      ).status,
    ).toBe(429);
    expect((await http().get('/health/live').set(from('198.51.100.7'))).status).toBe(200);
    expect((await http().post('/api/v1/signups').set(from('203.0.113.9')).send(signupPayload())).status).toBe(202);
  });

  it('keeps client addresses out of Redis: keys are keyed hashes', async () => {
    const redis = platform.api.get<symbol, Redis>(REDIS);
    const keys = await redis.keys('*ratelimit*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).not.toMatch(/198\.51|203\.0|127\.0/);
  });
});
