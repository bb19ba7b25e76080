// Loaded before every test file (jest setupFiles): points the platform at the test
// database and a Redis database of its own, so tests never touch development data.
const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/campaign_test');
process.env.DATABASE_URL = base.toString();
process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
process.env.QUEUE_PREFIX = 'test';
process.env.NODE_ENV = 'test';
process.env.APP_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
process.env.RATE_LIMIT_PER_MINUTE = '0';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.PUBLIC_URL = 'http://links.test';
process.env.MAIL_FROM = 'Movement <hello@movement.test>';
delete process.env.SMTP_URL;
// Console sign-ins come from 127.0.0.1 in every test: the per-address limit would stop a
// suite that signs in often. The throttle's own test sets its limits low.
process.env.CONSOLE_SIGNIN_PER_ADDRESS = '100000';
process.env.CONSOLE_SIGNIN_PER_ACCOUNT = '1000';
