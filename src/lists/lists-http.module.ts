import { Module } from '@nestjs/common';
import { ListsController } from './lists.controller';
import { ListsModule } from './lists.module';

@Module({ imports: [ListsModule], controllers: [ListsController] })
export class ListsHttpModule {}
