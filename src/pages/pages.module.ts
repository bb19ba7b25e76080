import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { PetitionsModule } from '../petitions/petitions.module';
import { ProofOfWorkModule } from '../web/proof-of-work.module';
import { JoinModule } from '../join/join.module';
import { AssetsController } from './assets.controller';
import { PageExceptionFilter } from './page-exception.filter';
import { PagesLeanReads } from './pages-lean-reads';
import { PublicPagesController } from './public-pages.controller';
import { PublicPagesService } from './public-pages.service';

/** The public HTML pages, their embeds and static assets (API process only). */
@Module({
  imports: [JoinModule, PetitionsModule, EventsModule, ProofOfWorkModule],
  controllers: [PublicPagesController, AssetsController],
  providers: [PublicPagesService, PageExceptionFilter, PagesLeanReads],
})
export class PagesModule {}
