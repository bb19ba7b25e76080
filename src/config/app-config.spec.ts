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

  it('accepts RATE_LIMIT_PER_MINUTE=0 (limit off) and strips a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({ RATE_LIMIT_PER_MINUTE: '0', PUBLIC_URL: 'https://act.example.org/' });
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(config.publicUrl).toBe('https://act.example.org');
  });
});
