import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { ConsoleModule } from '../console/console.module';
import { registerConsoleNav } from '../console/console-nav';
import { EventsModule } from '../events/events.module';
import { PeopleModule } from '../people/people.module';
import { PetitionsModule } from '../petitions/petitions.module';
import { ConsoleExportsController } from './console-exports.controller';
import { consoleExportsMessages } from './console-exports.messages';

registerConsoleNav({
  id: 'exports',
  path: '/console/exports',
  label: (l) => consoleExportsMessages(l).nav,
  minRole: 'organizer',
  order: 30,
});

/** The console's exports screen (API process): the API's streamed, audited CSV exports, from forms. */
@Module({ imports: [ConsoleModule, PeopleModule, ActionsModule, PetitionsModule, EventsModule], controllers: [ConsoleExportsController] })
export class ConsoleExportsModule {}
