import { Module } from '@nestjs/common';
import { ExportsModule } from '../exports/exports.module';
import { ErasePersonService } from './erase-person.service';
import { PeopleRepository } from './people.repository';
import { PeopleService } from './people.service';
import { PersonSectionRegistry } from './person-sections.registry';

/**
 * People for organizers. Exports the section registry so petitions, events and mailings
 * can add their sections (detail, subject access) and erasure steps.
 */
@Module({
  imports: [ExportsModule],
  providers: [PeopleRepository, PeopleService, ErasePersonService, PersonSectionRegistry],
  exports: [PeopleService, ErasePersonService, PersonSectionRegistry],
})
export class PeopleModule {}
