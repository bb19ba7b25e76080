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
