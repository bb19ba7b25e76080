import 'reflect-metadata';
import { exitOnFatal, preflight } from './bootstrap';
import { createHttpApp } from './http-app';

async function main(): Promise<void> {
  const config = await preflight('api');
  const app = await createHttpApp(config);
  app.enableShutdownHooks([], { useProcessExit: true });
  // On SIGTERM Nest closes the server (no new requests), lets in-flight ones finish, then exits.
  await app.listen({ port: config.PORT, host: '0.0.0.0' });
  process.stdout.write(`api: listening on port ${config.PORT}; links in emails use ${config.publicUrl} (docs at /docs)\n`);
}

main().catch(exitOnFatal('api'));
