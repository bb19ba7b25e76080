import request from 'supertest';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { freePort, TestRedis, runDist, waitUntil } from './support/processes';
import { SmtpSink } from './support/smtp-sink';

describe('Redis outages', () => {
  it('a sign-up taken while Redis is down is emailed exactly once after Redis returns', async () => {
    const redis = await TestRedis.create();
    await redis.start();
    const sink = await new SmtpSink().start();
    let platform: Platform | undefined;
    try {
      // The rate limit is on: while Redis is away it must let sign-ups through, not refuse them.
      platform = await startPlatform({ SMTP_URL: sink.url, REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '60' });
      const email = uniqueEmail('outage');

      await redis.stop();
      const res = await request(platform.api.getHttpServer()).post('/api/v1/signups').send(signupPayload({ email }));
      expect(res.status).toBe(202);
      expect(res.text).toBe('{"status":"pending"}');
      const [{ n }] = await platform.db.query(
        `SELECT count(*)::int AS n FROM signups s JOIN outbox o ON o.payload->>'signupId' = s.id::text WHERE s.email_normalized = $1 AND o.dispatched_at IS NULL`,
        [email],
      );
      expect(n).toBe(1);
      const ready = await request(platform.api.getHttpServer()).get('/health/ready');
      expect(ready.status).toBe(503);

      await new Promise((r) => setTimeout(r, 2_500));
      expect(sink.to(email)).toHaveLength(0);

      await redis.start();
      await sink.waitFor(email, 1, 20_000);
      // Give any duplicate (relay retry, reconnecting worker) time to show itself.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(sink.to(email)).toHaveLength(1);
    } finally {
      await platform?.close();
      await redis.stop();
      await sink.stop();
    }
  }, 60_000);

  it('a process started while Redis was down exits once Redis turns out to evict keys', async () => {
    const port = await freePort();
    const proc = runDist('worker.js', { REDIS_URL: `redis://127.0.0.1:${port}` });
    const redis = new TestRedis(port, ['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
    try {
      await waitUntil(() => proc.output().includes('not reachable yet'), 15_000, 'the start-up warning');
      await redis.start();
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), 20_000);
      const { code } = await proc.exited;
      clearTimeout(timer);
      expect(code).toBe(78);
      expect(proc.output()).toContain('maxmemory-policy "allkeys-lru"');
    } finally {
      proc.child.kill('SIGKILL');
      await redis.stop();
    }
  }, 40_000);

  it('the API and the worker refuse to start on a Redis that may evict keys', async () => {
    const redis = await TestRedis.create(['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
    await redis.start();
    try {
      for (const script of ['main.js', 'worker.js']) {
        const proc = runDist(script, { REDIS_URL: redis.url, PORT: '0' });
        const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
        const { code } = await proc.exited;
        clearTimeout(timer);
        expect(code).not.toBe(0);
        expect(code).not.toBeNull();
        expect(proc.output()).toContain('maxmemory-policy "allkeys-lru"');
      }
    } finally {
      await redis.stop();
    }
  }, 40_000);
});
