import { Global, Module } from '@nestjs/common';
import { ChangeFeed } from './change-feed.service';
import { ChangesRepository } from './changes.repository';

/**
 * The change feed (core): global, so every feature that makes a change worth telling records
 * it without importing a module for it. The relay (`ChangeFeedRelay`) is the worker's.
 */
@Global()
@Module({
  providers: [ChangeFeed, ChangesRepository],
  exports: [ChangeFeed, ChangesRepository],
})
export class ChangesModule {}
