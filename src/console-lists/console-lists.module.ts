import { Module } from '@nestjs/common';
import { ConsoleModule } from '../console/console.module';
import { ConsoleDashboardModule } from '../console-dashboard/console-dashboard.module';
import { ListsModule } from '../lists/lists.module';
import { ConsoleListsController } from './console-lists.controller';

/** The console's lists screen (API process). Subscriber counts come from the dashboard's rollup. */
@Module({ imports: [ConsoleModule, ListsModule, ConsoleDashboardModule], controllers: [ConsoleListsController] })
export class ConsoleListsModule {}
