import { Module } from '@nestjs/common';
import { PeopleExportController } from './people-export.controller';
import { PeopleController } from './people.controller';
import { PeopleModule } from './people.module';

@Module({ imports: [PeopleModule], controllers: [PeopleController, PeopleExportController] })
export class PeopleHttpModule {}
