import { Module } from '@nestjs/common';
import { ConsoleModule } from '../console/console.module';
import { registerConsoleNav } from '../console/console-nav';
import { EventsModule } from '../events/events.module';
import { MailingsModule } from '../mailings/mailings.module';
import { PetitionsModule } from '../petitions/petitions.module';
import { DASHBOARD_MESSAGES } from './dashboard-page';
import { DashboardController } from './dashboard.controller';
import { DashboardRepository } from './dashboard.repository';
import { DashboardService } from './dashboard.service';

registerConsoleNav({ id: 'dashboard', path: '/console/dashboard', label: (l) => DASHBOARD_MESSAGES[l].nav, minRole: 'viewer', order: 10 });

/** The console's dashboard (API process): figures from the daily_counts rollup and the admin services. */
@Module({
  imports: [ConsoleModule, PetitionsModule, EventsModule, MailingsModule],
  controllers: [DashboardController],
  providers: [DashboardRepository, DashboardService],
  exports: [DashboardRepository],
})
export class ConsoleDashboardModule {}
