import { Client, ClientConfig } from 'pg';

/**
 * When PostgreSQL drops a connection (restart, failover, pg_terminate_backend), pg emits
 * 'error' on the client; if that happens while the client is between owners (just released
 * by TypeORM, not yet idle in the pool) nobody listens and Node kills the process. Every
 * client of ours therefore always has a listener. The failure itself still reaches whoever
 * was using the connection, as a rejected query.
 */
export class ResilientPgClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

/**
 * For a pooler in transaction mode (DATABASE_POOL_MODE=transaction): every statement is sent
 * unnamed. A named prepared statement lives on one server connection, and the pooler may
 * hand the next transaction of this client to another, where the name is unknown (or
 * already taken by another client's statement).
 */
export class UnnamedStatementsPgClient extends ResilientPgClient {
  override query(...args: unknown[]): never {
    const [config] = args;
    if (
      config !== null &&
      typeof config === 'object' &&
      'name' in config &&
      typeof (config as { submit?: unknown }).submit !== 'function'
    ) {
      args[0] = { ...(config as Record<string, unknown>), name: undefined };
    }
    return (Client.prototype.query as (...a: unknown[]) => never).apply(this, args);
  }
}
