import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives the contract defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/campaign');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(60);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ APP_SECRET: 'short' }, 'APP_SECRET'],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ NODE_ENV: 'production' }, 'APP_SECRET'],
    [{ DKIM_DOMAIN: 'example.org' }, 'DKIM_SELECTOR'],
    [{ PROOF_OF_WORK: 'yes' }, 'PROOF_OF_WORK'],
    [{ PROOF_OF_WORK_MAX_NUMBER: '10' }, 'PROOF_OF_WORK_MAX_NUMBER'],
    [{ EMBED_ALLOWED_ORIGINS: 'example.org' }, 'EMBED_ALLOWED_ORIGINS'],
    [{ EMBED_ALLOWED_ORIGINS: "https://a.example 'unsafe-inline'" }, 'EMBED_ALLOWED_ORIGINS'],
    [{ REDIS_CLUSTER_NODES: 'redis://a:1' }, 'REDIS_CLUSTER_NODES'],
    [{ REDIS_CLUSTER_NODES: 'a:1,b:2' }, 'QUEUE_PREFIX'],
  ])('refuses %j with one line naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(variable);
    expect(message).not.toContain('\n');
  });

  it('reads REDIS_CLUSTER_NODES as start-up nodes, with a hash-tagged QUEUE_PREFIX', () => {
    expect(loadConfig({}).redisClusterNodes).toBeNull();
    const config = loadConfig({ REDIS_CLUSTER_NODES: 'r1.internal:7000, 10.0.0.2:7001', QUEUE_PREFIX: '{campaign}' });
    expect(config.redisClusterNodes).toEqual([
      { host: 'r1.internal', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
    ]);
  });

  it('keeps proof of work off and embeds framable by any site unless told otherwise', () => {
    const defaults = loadConfig({});
    expect(defaults.proofOfWork).toBe(false);
    expect(defaults.EMBED_ALLOWED_ORIGINS).toBe('*');
    const set = loadConfig({
      PROOF_OF_WORK: 'on',
      PROOF_OF_WORK_MAX_NUMBER: '50000',
      EMBED_ALLOWED_ORIGINS: 'https://a.example http://b.example:8080',
    });
    expect(set.proofOfWork).toBe(true);
    expect(set.PROOF_OF_WORK_MAX_NUMBER).toBe(50000);
    expect(set.EMBED_ALLOWED_ORIGINS).toBe('https://a.example http://b.example:8080');
  });

  it('accepts RATE_LIMIT_PER_MINUTE=0 (limit off) and strips a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({ RATE_LIMIT_PER_MINUTE: '0', PUBLIC_URL: 'https://act.example.org/' });
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(config.publicUrl).toBe('https://act.example.org');
  });
});

describe('the console settings', () => {
  it('allows passkeys on a domain name or localhost, never on an IP address', () => {
    const rpId = (PUBLIC_URL?: string): string | null => loadConfig(PUBLIC_URL ? { PUBLIC_URL } : {}).passkeyRpId;
    expect(rpId()).toBe('localhost');
    expect(rpId('https://Act.Movement.org/')).toBe('act.movement.org');
    expect(rpId('http://192.0.2.10:3000')).toBeNull();
    expect(rpId('http://[::1]:3000')).toBeNull();
    expect(rpId('http://intranet:3000')).toBeNull();
    expect(rpId('http://act.movement.org')).toBeNull(); // not a secure context
    expect(rpId('http://localhost:3000')).toBe('localhost');
    expect(loadConfig({ PUBLIC_URL: 'https://act.movement.org/base/' }).publicOrigin).toBe('https://act.movement.org');
  });

  it('has session and sign-in defaults, and refuses a bad log format', () => {
    const config = loadConfig({});
    expect([
      config.CONSOLE_SESSION_IDLE_MINUTES,
      config.CONSOLE_SESSION_MAX_HOURS,
      config.CONSOLE_SIGNIN_PER_ACCOUNT,
      config.CONSOLE_SIGNIN_PER_ADDRESS,
    ]).toEqual([30, 12, 10, 50]);
    expect(config.LOG_FORMAT).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be json or pretty/);
    expect(() => loadConfig({ CONSOLE_SESSION_IDLE_MINUTES: '0' })).toThrow(/CONSOLE_SESSION_IDLE_MINUTES/);
  });
});
