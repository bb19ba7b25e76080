import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';

export type NodeEnv = 'development' | 'production' | 'test';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

// Only used outside production, so a fresh checkout runs with no set-up; production
// refuses to start without a real secret (see validate()).
const DEV_APP_SECRET = 'dev-only-secret-never-use-in-production-0123456789';
/** Secrets published in this repository (docker-compose.yml): never acceptable in production. */
const KNOWN_SECRETS = new Set([DEV_APP_SECRET, 'compose-dev-secret-change-me-0123456789abcdef']);

/**
 * The whole configuration of the platform, read once from the environment at start.
 * Every other part of the code receives this object; nothing else reads process.env.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: NodeEnv = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/campaign';

  /**
   * How DATABASE_URL's connections are pooled in front of PostgreSQL. `session` (default):
   * PostgreSQL itself, or a pooler in session mode. `transaction`: a pooler in transaction
   * mode (PgBouncer before 1.21 and the like), where nothing outlives a transaction: no named
   * prepared statements, and no `statement_timeout` start-up parameter (PgBouncer refuses
   * it; set it on the role instead: docs/scaling.md).
   */
  @IsIn(['session', 'transaction'], { message: 'must be session or transaction' })
  DATABASE_POOL_MODE: 'session' | 'transaction' = 'session';

  /** Optional read replica for bulk exports; falls back to DATABASE_URL. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  EXPORT_DATABASE_URL?: string;

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * `host:port,host:port,...` of a Redis Cluster (some of its nodes: the rest are found from
   * them), used instead of REDIS_URL by the API, the workers and the queues. QUEUE_PREFIX
   * must then hold a hash tag (`{campaign}`), so that each queue's keys share a slot.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9.-]+:\d{1,5}\s*(,\s*[A-Za-z0-9.-]+:\d{1,5}\s*)*$/, { message: 'must be host:port,host:port,...' })
  REDIS_CLUSTER_NODES?: string;

  /** Namespace of every BullMQ key, so several installations can share one Redis. */
  @Matches(/^[A-Za-z0-9:_{}-]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 : _ - { }' })
  QUEUE_PREFIX = 'campaign';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL?: string;

  @IsString()
  @MinLength(3)
  // An address alone, or a display name and the address in angle brackets, on one line.
  @Matches(/^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, {
    message: 'MAIL_FROM must be an email address, optionally with a name: "Movement <hello@example.org>"',
  })
  MAIL_FROM = 'Campaign <no-reply@localhost>';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** Where captured mail goes when SMTP_URL is unset. */
  @IsString()
  MAIL_OUTBOX_DIR = '.data/outbox';

  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  APP_SECRET: string = DEV_APP_SECRET;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  EMAIL_WEBHOOK_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9.-]+$/, { message: 'must be a domain name' })
  DKIM_DOMAIN?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((c: AppConfig) => c.DKIM_DOMAIN !== undefined)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'must be set with DKIM_DOMAIN, a DNS label' })
  DKIM_SELECTOR?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((c: AppConfig) => c.DKIM_DOMAIN !== undefined)
  @Matches(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, { message: 'must be set with DKIM_DOMAIN, a PEM private key' })
  DKIM_PRIVATE_KEY?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 60;

  /** How long the API and workers wait for PostgreSQL at start before refusing to start. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  DATABASE_WAIT_SECONDS = 30;

  /**
   * Confirmation emails about one thing (the join flow, one petition, one event) sent to one
   * address per 24 hours: the cap on resends.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CONFIRMATION_EMAILS_PER_DAY = 3;

  /** Confirmation emails to one address per 24 hours across everything: the anti-bombing ceiling. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CONFIRMATION_EMAILS_PER_DAY_TOTAL = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY = 10;

  /**
   * Newsletter emails per second across every worker together (a Redis counter shared by
   * all of them); 0 means no cap. Confirmation emails are not counted.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  MAIL_RATE_PER_SECOND = 50;

  /**
   * Newsletter batches one worker process sends at once. Each batch sends one message at a
   * time over a connection pool of its own, so this also bounds newsletter SMTP connections
   * per worker and leaves the transactional pool to confirmation emails.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  MAILING_CONCURRENCY = 4;

  /** Recipients per newsletter batch (one planner page, one send job). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  MAILING_BATCH_SIZE = 1_000;

  /**
   * Which X-Forwarded-For hops to believe: empty (none, the default), a number of proxies
   * in front of the API, or a comma-separated list of proxy addresses/CIDRs. Never "all":
   * a client could then choose its own address and escape the rate limit.
   */
  @Matches(/^(|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
    message: 'must be empty, a number of proxy hops, or a comma-separated list of proxy addresses or CIDRs',
  })
  TRUST_PROXY = '';

  /** Sign-ups (and signatures, RSVPs) never confirmed are deleted after this many days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RETENTION_UNCONFIRMED_DAYS = 30;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * `json` (one JSON object per line, for log collectors) or `pretty` (one readable line per
   * event, without Nest's boot lines). `npm start` sets `pretty` outside production.
   */
  @IsIn(['json', 'pretty'], { message: 'must be json or pretty' })
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  /**
   * Proof of work (ALTCHA) on the public forms: `on` makes the pages and the public JSON
   * POSTs (sign-ups, signatures, RSVPs) require a solved challenge from GET /api/v1/challenge.
   * Off by default: the contract's JSON API takes no such field.
   */
  @IsIn(['off', 'on'], { message: 'must be off or on' })
  PROOF_OF_WORK = 'off';

  /** The challenge's difficulty: a browser tries on average half this many hashes (100,000: well under a second). */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(10_000_000)
  PROOF_OF_WORK_MAX_NUMBER = 100_000;

  /**
   * Which sites may frame the embeds (/embed/...): `*` (any site, the default) or a
   * space-separated list of origins (`https://a.example https://b.example`). Every other page
   * refuses to be framed.
   */
  @Matches(/^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\s+https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)*)$/, {
    message: 'must be * or a space-separated list of origins (https://site.example)',
  })
  EMBED_ALLOWED_ORIGINS = '*';

  /** A console session ends after this many minutes without a request (sign in again). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  CONSOLE_SESSION_IDLE_MINUTES = 30;

  /** A console session ends this many hours after sign-in, however active. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  CONSOLE_SESSION_MAX_HOURS = 12;

  /** Console sign-in attempts per account (the email typed) per 15 minutes, counted in Redis. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CONSOLE_SIGNIN_PER_ACCOUNT = 10;

  /** Console sign-in attempts (every way in, passkeys too) per client address per 15 minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CONSOLE_SIGNIN_PER_ADDRESS = 50;

  get proofOfWork(): boolean {
    return this.PROOF_OF_WORK === 'on';
  }

  /** TRUST_PROXY as Fastify's trustProxy option. */
  get trustProxy(): false | string | ((address: string, hop: number) => boolean) {
    if (this.TRUST_PROXY === '') return false;
    if (!/^\d+$/.test(this.TRUST_PROXY)) return this.TRUST_PROXY;
    const hops = Number(this.TRUST_PROXY);
    return (_address: string, hop: number) => hop < hops;
  }

  /** REDIS_CLUSTER_NODES as ioredis Cluster start-up nodes; null without a cluster. */
  get redisClusterNodes(): Array<{ host: string; port: number }> | null {
    if (!this.REDIS_CLUSTER_NODES) return null;
    return this.REDIS_CLUSTER_NODES.split(',').map((node) => {
      const [host, port] = node.trim().split(':');
      return { host, port: Number(port) };
    });
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  /** Base of every link in an email, without a trailing slash. */
  /** Links in emails are https: HSTS, CSP upgrades and RFC 8058's one-click URL assume it. */
  get publicUrlIsHttps(): boolean {
    return this.publicUrl.startsWith('https://');
  }

  /** PUBLIC_URL's origin (scheme, host, port): the console's same-origin checks and the WebAuthn origin. */
  get publicOrigin(): string {
    return new URL(this.publicUrl).origin;
  }

  /**
   * Browsers allow WebAuthn only on `localhost` or a domain name, never on a bare IP address,
   * and only in a secure context (https, or localhost): the relying party id, or null where
   * passkeys cannot work.
   */
  get passkeyRpId(): string | null {
    const host = new URL(this.publicUrl).hostname;
    if (host === 'localhost') return host;
    if (!this.publicUrlIsHttps) return null;
    if (host.startsWith('[') || /^\d+(\.\d+){3}$/.test(host) || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host)) return null;
    return host.toLowerCase();
  }

  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://localhost:${this.PORT}`).replace(/\/+$/, '');
  }
}

export class ConfigError extends Error {}

const KNOWN_KEYS = Object.keys(new AppConfig());

/**
 * Builds and validates the configuration. Throws a ConfigError whose message is one line
 * naming the first bad variable, which the entrypoints print before exiting non-zero.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of [
    ...KNOWN_KEYS,
    'EXPORT_DATABASE_URL',
    'REDIS_CLUSTER_NODES',
    'PUBLIC_URL',
    'SMTP_URL',
    'EMAIL_WEBHOOK_SECRET',
    'DKIM_DOMAIN',
    'DKIM_SELECTOR',
    'DKIM_PRIVATE_KEY',
  ]) {
    const value = env[key];
    if (value !== undefined) raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    // Constraints are listed bottom decorator first; the top one (the type check) says most.
    const reason = Object.values(first.constraints ?? {}).pop() ?? 'is invalid';
    throw new ConfigError(`Invalid configuration: ${first.property} ${reason.replace(new RegExp(`^${first.property} `), '')}`);
  }
  if (config.REDIS_CLUSTER_NODES && !/\{[^{}]+\}/.test(config.QUEUE_PREFIX)) {
    // Without a hash tag a queue's keys land in different slots and BullMQ's scripts fail.
    throw new ConfigError('Invalid configuration: QUEUE_PREFIX must hold a hash tag such as {campaign} when REDIS_CLUSTER_NODES is set');
  }
  if (config.isProduction && KNOWN_SECRETS.has(config.APP_SECRET)) {
    throw new ConfigError('Invalid configuration: APP_SECRET must be set to a secret of your own in production (32+ characters)');
  }
  return config;
}

/** The one place that reads the process environment. */
export function loadConfigFromEnvironment(): AppConfig {
  return loadConfig(process.env);
}
