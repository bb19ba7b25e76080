import { Module } from '@nestjs/common';
import { ConsoleModule } from '../console/console.module';
import { registerConsoleNav } from '../console/console-nav';
import { PeopleModule } from '../people/people.module';
import { ConsolePeopleController } from './console-people.controller';
import { consolePeopleMessages } from './console-people.messages';

// Viewers too: they may open one person's record by its id (as the API lets them), nothing in bulk.
registerConsoleNav({ id: 'people', path: '/console/people', label: (l) => consolePeopleMessages(l).nav, minRole: 'viewer', order: 10 });

/** The console's people screens (API process): search, a person's page, tags, subject access, erasure. */
@Module({ imports: [ConsoleModule, PeopleModule], controllers: [ConsolePeopleController] })
export class ConsolePeopleModule {}
