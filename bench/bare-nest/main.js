#!/usr/bin/env node
// The "bare Nest" baseline of the read scenario: NestJS on Fastify, the same versions as
// the API, one module, one controller, one GET returning small JSON, and nothing else (no
// logger, pipes, guards, hooks or plugins). What the public petition GET is compared with.
//
//   node bench/bare-nest/main.js [PORT=3999]      →  GET http://127.0.0.1:PORT/hello
//
// Prints "bare-nest: listening on PORT" once it answers; stops on SIGTERM/SIGINT. Plain JS
// (decorators applied by hand) so it runs without the build. Load it with the same tool
// and settings as the endpoint it is compared with.
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

class HelloController {
  hello() {
    return { hello: 'world' };
  }
}
Controller()(HelloController);
Get('hello')(HelloController.prototype, 'hello', Object.getOwnPropertyDescriptor(HelloController.prototype, 'hello'));

class BareModule {}
Module({ controllers: [HelloController] })(BareModule);

async function main() {
  const port = Number(process.argv[2] || process.env.PORT || 3999);
  const app = await NestFactory.create(BareModule, new FastifyAdapter({ logger: false }), { logger: false });
  app.enableShutdownHooks();
  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write(`bare-nest: listening on ${port}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
