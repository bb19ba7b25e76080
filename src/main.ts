import 'reflect-metadata';
import cluster from 'node:cluster';
import { runApiCluster } from './api-cluster';
import { exitOnFatal, preflight } from './bootstrap';

async function main(): Promise<void> {
  const config = await preflight('api');
  // One process per core (API_PROCESSES): this one only supervises, each fork serves.
  if (cluster.isPrimary && config.apiProcesses > 1) {
    runApiCluster(config.apiProcesses, (line) => process.stdout.write(`${line}\n`));
    return;
  }
  // Loaded here: the cluster's primary never needs Nest.
  const { createHttpApp } = await import('./http-app.js');
  const app = await createHttpApp(config);
  app.enableShutdownHooks([], { useProcessExit: true });
  // On SIGTERM Nest closes the server (no new requests), lets in-flight ones finish, then exits.
  await app.listen({ port: config.PORT, host: '0.0.0.0' });
  process.stdout.write(`api: listening on port ${config.PORT}; links in emails use ${config.publicUrl} (docs at /docs)\n`);
}

main().catch(exitOnFatal('api'));
